// Line iteration over a string without splitting it: a 5 MB file is not copied into 200,000 strings.

export interface LineSpan {
  /** Offset of the line's first character. */
  start: number;
  /** Offset just past its last character, excluding `\r\n` / `\n`. */
  end: number;
  /** Offset of the next line's first character (text.length + 1 past the last line). */
  next: number;
}

export function lineAt(text: string, start: number): LineSpan {
  let nl = text.indexOf('\n', start);
  if (nl === -1) nl = text.length;
  let end = nl;
  if (end > start && text.charCodeAt(end - 1) === 13) end--;
  return { start, end, next: nl + 1 };
}

/** First offset in [from, end) that is not a space or tab (or end). */
export function skipBlanks(text: string, from: number, end: number): number {
  let i = from;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 0xfeff) break;
    i++;
  }
  return i;
}

/** Offset of `ch` in [from, min(end, from + window)), or -1. Bounded so colon-free lines cannot make a scan quadratic. */
export function indexOfBounded(text: string, ch: number, from: number, end: number, window: number): number {
  const stop = Math.min(end, from + window);
  for (let i = from; i < stop; i++) if (text.charCodeAt(i) === ch) return i;
  return -1;
}

/**
 * A copy of `s` that does not keep its parent alive. V8 represents a slice of 13+ characters as a view into the
 * parent string, so a token sliced out of a 5 MB document would pin that document's text after every edit.
 * Concatenating and slicing forces a flat copy of just these characters.
 */
export function detach(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}
