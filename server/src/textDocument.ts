// The open document's text with line offsets kept up to date under incremental edits. Smaller than
// vscode-languageserver-textdocument (the server bundle's size budget is tight) and only what the cache needs.
// Lines end at `\n` (a preceding `\r` belongs to the line end): VS Code normalises lone `\r` away when it loads a file.
import type { Position, Range, TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol';

function lineStartsOf(text: string, base: number, out: number[]): void {
  for (let p = text.indexOf('\n'); p !== -1; p = text.indexOf('\n', p + 1)) out.push(base + p + 1);
}

export class EditableDocument {
  private text: string;
  /** Offset of each line's first character; lineStarts[0] === 0. */
  private lineStarts: number[] = [0];

  constructor(
    readonly uri: string,
    public version: number,
    text: string,
  ) {
    this.text = text;
    lineStartsOf(text, 0, this.lineStarts);
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
    const start = this.lineStarts[p.line]!;
    const next = p.line + 1 < this.lineStarts.length ? this.lineStarts[p.line + 1]! : this.text.length;
    let end = next;
    if (end > start && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return Math.max(start, Math.min(start + p.character, end));
  }

  positionAt(offset: number): Position {
    const at = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    // An offset inside a `\r\n` pair means the end of the line, as LSP positions cannot point between them.
    const start = this.lineStarts[lo]!;
    const character = at > start && this.text.charCodeAt(at - 1) === 13 ? at - 1 - start : at - start;
    return { line: lo, character };
  }

  update(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    for (const change of changes) {
      if (!('range' in change)) {
        this.text = change.text;
        this.lineStarts = [0];
        lineStartsOf(change.text, 0, this.lineStarts);
        continue;
      }
      const start = this.offsetAt(change.range.start);
      const end = Math.max(start, this.offsetAt(change.range.end));
      const startLine = this.positionAt(start).line;
      const endLine = this.positionAt(end).line;
      this.text = this.text.slice(0, start) + change.text + this.text.slice(end);
      const added: number[] = [];
      lineStartsOf(change.text, start, added);
      const delta = change.text.length - (end - start);
      const starts = this.lineStarts;
      if (delta !== 0) for (let i = endLine + 1; i < starts.length; i++) starts[i]! += delta;
      if (added.length === endLine - startLine) {
        for (let k = 0; k < added.length; k++) starts[startLine + 1 + k] = added[k]!;
      } else {
        starts.splice(startLine + 1, endLine - startLine, ...added);
      }
    }
    this.version = version;
  }
}
