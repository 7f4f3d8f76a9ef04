// The token scanner over streamed text: chunks in, findings (line, character, facts) out, as they are found. The same
// grammar and the same per-line scan limit as the whole-text scan (workspaceScan.scanText), so both find the same.
import { releaseScannedText, TokenScanner, type TokenSpan } from '../tokens/grammar';
import { LineStream } from './lineStream';
import { tokenFacts, type TokenFacts } from './tokenFacts';

export interface TextFinding extends TokenFacts {
  line: number;
  character: number;
  endCharacter: number;
}

/** The tokens of one line of text, at most `budget`, appended to `out` (the caller says which line it is). */
export function scanLineText(text: string, line: number, budget: number, out: TextFinding[]): void {
  if (budget <= 0 || (text.indexOf('eyJ') === -1 && text.indexOf('lt_') === -1)) return;
  const hits: TokenSpan[] = [];
  new TokenScanner(text).scanLine(0, text.length, text.length, budget, hits);
  for (const hit of hits)
    out.push({
      line,
      character: hit.start,
      endCharacter: hit.end,
      ...tokenFacts(text.slice(hit.start, hit.end), hit.kind),
    });
}

export class StreamScanner {
  private readonly lines: LineStream;
  private found = 0;

  /** `onFindings` gets each line's findings; at most `maxFindings` in all. */
  constructor(
    onFindings: (findings: TextFinding[]) => void,
    private readonly maxFindings = Number.POSITIVE_INFINITY,
    maxLine?: number,
  ) {
    this.lines = new LineStream((text, line) => {
      const out: TextFinding[] = [];
      scanLineText(text, line, this.maxFindings - this.found, out);
      if (out.length === 0) return;
      this.found += out.length;
      onFindings(out);
    }, maxLine);
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
}
