// Lines out of a text that arrives in chunks (a child process's output, a file read piece by piece). A line is handed
// on when its `\n` arrives, so a token split across two chunks is whole again. Memory is bounded by `maxLine`: of a
// longer line only its first `maxLine` characters are kept, which is also all the whole-text scan looks at
// (MAX_LINE_SCAN), so both find the same tokens.
import { MAX_LINE_SCAN } from './limits';

export type LineSink = (text: string, line: number) => void;

export class LineStream {
  private carry = '';
  /** The current line is longer than maxLine + 1: the rest until its `\n` is dropped (and it cannot end in a kept `\r`). */
  private overflow = false;
  private line = 0;
  private ended = false;

  constructor(
    private readonly sink: LineSink,
    private readonly maxLine = MAX_LINE_SCAN,
  ) {}

  /** Characters currently held for an unfinished line (the memory bound's one variable part). */
  get held(): number {
    return this.carry.length;
  }

  push(chunk: string): void {
    let from = 0;
    for (;;) {
      const nl = chunk.indexOf('\n', from);
      if (nl === -1) {
        this.append(chunk, from, chunk.length);
        return;
      }
      this.append(chunk, from, nl);
      this.emit();
      from = nl + 1;
    }
  }

  /** The last line, if the text does not end with `\n`. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.carry.length > 0 || this.overflow) this.emit();
  }

  private append(chunk: string, from: number, to: number): void {
    if (to <= from) return;
    // One character more than maxLine: a `\r` right after the kept part is still seen as the line's end.
    const room = this.maxLine + 1 - this.carry.length;
    if (to - from > room) {
      this.overflow = true;
      to = from + Math.max(0, room);
    }
    if (to > from) this.carry = this.carry.length === 0 ? chunk.slice(from, to) : this.carry + chunk.slice(from, to);
  }

  private emit(): void {
    let text = this.carry;
    if (!this.overflow && text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
    if (text.length > this.maxLine) text = text.slice(0, this.maxLine);
    this.carry = '';
    this.overflow = false;
    this.sink(text, this.line++);
  }
}
