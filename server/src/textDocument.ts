// The open document's text with line offsets kept up to date under incremental edits. Smaller than
// vscode-languageserver-textdocument (the server bundle's size budget is tight) and only what the cache needs.
// Lines end at `\n` (a preceding `\r` belongs to the line end): VS Code normalises lone `\r` away when it loads a file.
import type { Position, Range, TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol';

/**
 * Line starts in an Int32Array with room to grow, not a number[]: 4 bytes a line instead of 8 (plus the array's own
 * growth slack), outside the garbage-collected heap (bench figure 5: 100,000 lines, about 0.95 MB -> 0.4 MB).
 * Offsets fit: documents are capped far below 2^31 characters (parse/limits.ts).
 */
class LineStarts {
  private starts: Int32Array;
  length = 1;

  constructor(text: string) {
    this.starts = new Int32Array(Math.max(16, countLines(text)));
    this.length = 1 + writeStarts(text, 0, this.starts, 1);
  }

  at(line: number): number {
    return this.starts[line]!;
  }

  /** Index of the last line starting at or before `offset`. */
  lineOf(offset: number): number {
    const starts = this.starts;
    let lo = 0;
    let hi = this.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /**
   * Lines startLine+1..endLine (the ones inside a replaced range) become the line breaks of `inserted`, placed at
   * `at`; the starts of the lines after them move by `delta` characters.
   */
  replace(startLine: number, endLine: number, inserted: string, at: number, delta: number): void {
    const added = countLines(inserted) - 1;
    const removed = endLine - startLine;
    const tail = this.length - (endLine + 1);
    const length = this.length + added - removed;
    const capacity = this.starts.length;
    if (length > capacity || (capacity > 64 && length < capacity >> 2)) {
      // Grow (or, after a big deletion, shrink) with a quarter to spare: a run of Enter presses does not copy each time.
      const grown = new Int32Array(Math.max(16, length + (length >> 2)));
      grown.set(this.starts.subarray(0, startLine + 1));
      grown.set(this.starts.subarray(endLine + 1, endLine + 1 + tail), startLine + 1 + added);
      this.starts = grown;
    } else if (added !== removed) {
      this.starts.copyWithin(startLine + 1 + added, endLine + 1, endLine + 1 + tail);
    }
    const starts = this.starts;
    writeStarts(inserted, at, starts, startLine + 1);
    if (delta !== 0) for (let i = startLine + 1 + added; i < length; i++) starts[i]! += delta;
    this.length = length;
  }
}

function countLines(text: string): number {
  let n = 1;
  for (let p = text.indexOf('\n'); p !== -1; p = text.indexOf('\n', p + 1)) n++;
  return n;
}

/** Writes the start of each line after a `\n` in `text` (offset by `base`) from out[index]; returns how many. */
function writeStarts(text: string, base: number, out: Int32Array, index: number): number {
  let i = index;
  for (let p = text.indexOf('\n'); p !== -1; p = text.indexOf('\n', p + 1)) out[i++] = base + p + 1;
  return i - index;
}

export class EditableDocument {
  private text: string;
  /** Offset of each line's first character; lineStarts.at(0) === 0. */
  private lineStarts: LineStarts;

  constructor(
    readonly uri: string,
    public version: number,
    text: string,
  ) {
    this.text = text;
    this.lineStarts = new LineStarts(text);
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  getText(range?: Range): string {
    return range ? this.text.slice(this.offsetAt(range.start), this.offsetAt(range.end)) : this.text;
  }

  /** Clamped like LSP positions: past the end of a line means its end (before its line break). */
  offsetAt(p: Position): number {
    if (p.line >= this.lineStarts.length) return this.text.length;
    if (p.line < 0) return 0;
    const start = this.lineStarts.at(p.line);
    const next = p.line + 1 < this.lineStarts.length ? this.lineStarts.at(p.line + 1) : this.text.length;
    let end = next;
    if (end > start && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return Math.max(start, Math.min(start + p.character, end));
  }

  positionAt(offset: number): Position {
    const at = Math.max(0, Math.min(offset, this.text.length));
    const lo = this.lineStarts.lineOf(at);
    // An offset inside a `\r\n` pair means the end of the line, as LSP positions cannot point between them.
    const start = this.lineStarts.at(lo);
    const character = at > start && this.text.charCodeAt(at - 1) === 13 ? at - 1 - start : at - start;
    return { line: lo, character };
  }

  update(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    for (const change of changes) {
      if (!('range' in change)) {
        this.text = change.text;
        this.lineStarts = new LineStarts(change.text);
        continue;
      }
      const start = this.offsetAt(change.range.start);
      const end = Math.max(start, this.offsetAt(change.range.end));
      const startLine = this.positionAt(start).line;
      const endLine = this.positionAt(end).line;
      this.text = this.text.slice(0, start) + change.text + this.text.slice(end);
      this.lineStarts.replace(startLine, endLine, change.text, start, change.text.length - (end - start));
    }
    this.version = version;
  }
}
