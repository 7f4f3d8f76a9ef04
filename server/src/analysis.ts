// The per-document cache: the open document's text plus its parsed blocks, updated on every change.
// A single-range edit re-parses only the blocks it touches and shifts the ones below (under 5 ms after a
// one-character edit in a 10,000-request file); anything else (several ranges, a full replacement, a document
// over the size cap) re-parses the whole text, which is linear.
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol';
import { parseEnvText } from './parse/envFile';
import { MAX_ANALYSED_CHARS, MAX_FINDINGS } from './parse/limits';
import type { Block, ParseResult } from './parse/model';
import { parseRequestLines } from './parse/requestFile';
import { EditableDocument } from './textDocument';

export type DocKind = 'request' | 'env';

/** Which of our file kinds a document is, by file name first (other extensions may claim `.env` as another language). */
export function docKindOf(uri: string, languageId: string): DocKind | undefined {
  const path = uri.split(/[?#]/, 1)[0] ?? '';
  const raw = path.slice(path.lastIndexOf('/') + 1);
  let base = raw;
  try {
    base = decodeURIComponent(raw);
  } catch {
    // A malformed escape: judge by the raw name.
  }
  if (base === '.env' || base.startsWith('.env.') || languageId === 'dotenv') return 'env';
  if (languageId === 'http' || /\.(http|rest)$/i.test(base)) return 'request';
  return undefined;
}

export interface Analysis {
  readonly uri: string;
  readonly kind: DocKind;
  readonly version: number;
  /** The document text the blocks describe (token values are read from it). */
  readonly text: string;
  readonly blocks: readonly Block[];
  readonly tokenCount: number;
  readonly truncated: boolean;
}

function parseAll(kind: DocKind, text: string): ParseResult {
  if (kind === 'env') return parseEnvText(text, MAX_FINDINGS);
  return parseRequestLines(text, 0, 0, Number.MAX_SAFE_INTEGER, MAX_FINDINGS);
}

/** Full analysis of a text, without a document: what the benchmark's "full analysis" figure measures. */
export function analyseText(uri: string, kind: DocKind, text: string, version = 0): Analysis {
  const r = parseAll(kind, text);
  return { uri, kind, version, text, blocks: r.blocks, tokenCount: r.tokenCount, truncated: r.truncated };
}

function countNewlines(s: string): number {
  let n = 0;
  for (let p = s.indexOf('\n'); p !== -1; p = s.indexOf('\n', p + 1)) n++;
  return n;
}

/** Index of the last block whose startLine <= line (blocks are sorted and contiguous). */
export function blockIndexAt(blocks: readonly Block[], line: number): number {
  let lo = 0;
  let hi = blocks.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (blocks[mid]!.startLine <= line) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export class AnalysedDocument {
  private blocks: Block[];
  private tokenCount: number;
  private truncated: boolean;
  /** How the last update was done, for tests and the benchmark: 'full' or 'incremental'. */
  lastUpdate: 'full' | 'incremental' = 'full';

  constructor(
    readonly document: EditableDocument,
    readonly kind: DocKind,
  ) {
    const r = parseAll(kind, document.getText());
    this.blocks = r.blocks;
    this.tokenCount = r.tokenCount;
    this.truncated = r.truncated;
  }

  static open(uri: string, version: number, text: string, kind: DocKind): AnalysedDocument {
    return new AnalysedDocument(new EditableDocument(uri, version, text), kind);
  }

  get analysis(): Analysis {
    return {
      uri: this.document.uri,
      kind: this.kind,
      version: this.document.version,
      text: this.document.getText(),
      blocks: this.blocks,
      tokenCount: this.tokenCount,
      truncated: this.truncated,
    };
  }

  update(changes: TextDocumentContentChangeEvent[], version: number): void {
    const single = changes.length === 1 && 'range' in changes[0]! ? changes[0] : undefined;
    const canIncrement =
      single !== undefined &&
      this.kind === 'request' &&
      !this.truncated &&
      this.document.getText().length < MAX_ANALYSED_CHARS / 2;
    if (!canIncrement || !('range' in single)) {
      this.document.update(changes, version);
      this.reparseAll();
      return;
    }
    const { start, end } = single.range;
    const delta = countNewlines(single.text) - (end.line - start.line);
    let i = blockIndexAt(this.blocks, start.line);
    const j = blockIndexAt(this.blocks, end.line);
    // An edit on a `###` line may merge its block into the previous one.
    if (i > 0 && start.line === this.blocks[i]!.startLine) i--;
    const oldLength = this.document.getText().length;
    this.document.update(changes, version);
    const text = this.document.getText();
    const charDelta = text.length - oldLength;
    if (text.length >= MAX_ANALYSED_CHARS / 2) return this.reparseAll();

    const first = this.blocks[i]!;
    const last = this.blocks[j]!;
    const fromLine = first.startLine;
    const toLine = last.startLine + last.lineCount + delta;
    let removed = 0;
    for (let k = i; k <= j; k++) removed += this.blocks[k]!.tokens.length;
    const budget = MAX_FINDINGS - (this.tokenCount - removed);
    const r = parseRequestLines(
      text,
      this.document.offsetAt({ line: fromLine, character: 0 }),
      fromLine,
      toLine - fromLine,
      budget,
    );
    if (r.truncated) return this.reparseAll();
    for (let k = j + 1; k < this.blocks.length; k++) {
      const b = this.blocks[k]!;
      b.startLine += delta;
      b.startOffset += charDelta;
    }
    this.blocks.splice(i, j - i + 1, ...r.blocks);
    this.tokenCount += r.tokenCount - removed;
    this.lastUpdate = 'incremental';
  }

  private reparseAll(): void {
    const r = parseAll(this.kind, this.document.getText());
    this.blocks = r.blocks;
    this.tokenCount = r.tokenCount;
    this.truncated = r.truncated;
    this.lastUpdate = 'full';
  }
}
