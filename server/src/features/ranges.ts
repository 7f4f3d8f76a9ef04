// Range helpers the quick fixes, lenses and the destination guard share.
import type { Range } from 'vscode-languageserver-protocol';

export function overlaps(a: Range, b: Range): boolean {
  const before = (p: Range['start'], q: Range['start']) =>
    p.line < q.line || (p.line === q.line && p.character <= q.character);
  return before(a.start, b.end) && before(b.start, a.end);
}

/** A token's range as a key: where it starts names it (two tokens never start at one place). */
export function startKey(range: Range): string {
  return `${range.start.line}:${range.start.character}`;
}
