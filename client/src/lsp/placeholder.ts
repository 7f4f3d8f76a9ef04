// Where the completion's placeholder is while its token is fetched: the span it was accepted into, moved by edits
// before it and lost when an edit touches it. Offsets, so it follows VS Code's content changes (applied in order).

export interface Span {
  start: number;
  end: number;
}

export interface OffsetChange {
  rangeOffset: number;
  rangeLength: number;
  text: string;
}

/** The span after `changes`, or undefined when one of them replaced, split or removed any of it. */
export function trackSpan(span: Span, changes: readonly OffsetChange[]): Span | undefined {
  let { start, end } = span;
  for (const c of changes) {
    const changeEnd = c.rangeOffset + c.rangeLength;
    if (changeEnd <= start) {
      const delta = c.text.length - c.rangeLength;
      start += delta;
      end += delta;
    } else if (c.rangeOffset < end) {
      return undefined;
    }
  }
  return { start, end };
}
