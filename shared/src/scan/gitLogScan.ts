// Tokens in `git log -p` output: each line a commit added (a `+` line of a hunk) is scanned, and a finding says which
// commit added it, to which path, at which line of that file there. Fed in chunks (the output of a whole history does
// not fit in memory); removed lines are not scanned: a token removed later was added by an earlier commit, found there.
import { releaseScannedText } from '../tokens/grammar';
import { LineStream } from './lineStream';
import { scanLineText, type TextFinding } from './streamScan';

/** The arguments the scanner's parser expects (the caller adds git's safety options). */
export const GIT_LOG_ARGS = [
  'log',
  '-p',
  '--all',
  '-U0',
  '--no-color',
  '--no-ext-diff',
  '--no-textconv',
  '--format=commit %H',
] as const;

export interface HistoryFinding extends TextFinding {
  commit: string;
  /** The path in the repository (as `+++ b/…` names it). */
  path: string;
}

/** A C-quoted path as git writes names with unusual characters ("b/a\"b\303\251"): the bytes, as UTF-8. */
function unquote(name: string): string {
  if (!name.startsWith('"') || !name.endsWith('"')) return name;
  const bytes: number[] = [];
  const body = name.slice(1, -1);
  const escapes: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '\\': 92, '"': 34 };
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const next = body[i + 1] ?? '';
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(escapes[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The path of a `+++ ` line, or undefined for /dev/null. */
export function newPathOf(header: string): string | undefined {
  let name = header.slice(4);
  // git ends the name with a tab when it holds a space (so patch can tell where it stops).
  if (name.endsWith('\t')) name = name.slice(0, -1);
  name = unquote(name);
  if (name === '/dev/null') return undefined;
  return name.startsWith('b/') ? name.slice(2) : name;
}

const HUNK = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

export class GitLogScanner {
  private readonly lines: LineStream;
  private commit = '';
  private path: string | undefined;
  private inHunk = false;
  /** The line number in the new file of the next `+` line (0-based). */
  private newLine = 0;
  private found = 0;
  commits = 0;

  constructor(
    onFindings: (findings: HistoryFinding[]) => void,
    private readonly maxFindings = Number.POSITIVE_INFINITY,
  ) {
    this.lines = new LineStream((text) => {
      const found = this.line(text);
      if (found.length > 0) onFindings(found);
    });
  }

  get truncated(): boolean {
    return this.found >= this.maxFindings;
  }

  push(chunk: string): void {
    this.lines.push(chunk);
  }

  end(): void {
    this.lines.end();
    releaseScannedText();
  }

  private line(text: string): HistoryFinding[] {
    const c = text.charCodeAt(0);
    if (this.inHunk) {
      if (c === 43 /* + */) {
        const out: TextFinding[] = [];
        scanLineText(text.slice(1), this.newLine++, this.maxFindings - this.found, out);
        this.found += out.length;
        return out.map((f) => ({ ...f, commit: this.commit, path: this.path ?? '' }));
      }
      // Hunk lines start with ' ', '-', '+' or '\' (no newline at end of file); anything else ends the hunk.
      if (c === 45 || c === 92) return [];
      if (c === 32) {
        this.newLine++;
        return [];
      }
      this.inHunk = false;
    }
    if (text.startsWith('commit ')) {
      this.commit = text.slice(7).trim();
      this.path = undefined;
      this.commits++;
    } else if (text.startsWith('diff ')) {
      this.path = undefined;
    } else if (text.startsWith('+++ ')) {
      this.path = newPathOf(text);
    } else if (text.startsWith('@@ ')) {
      const m = HUNK.exec(text);
      if (m) {
        this.inHunk = true;
        this.newLine = Number(m[1]) - 1;
      }
    }
    return [];
  }
}
