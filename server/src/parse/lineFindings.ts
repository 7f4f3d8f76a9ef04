// Turns the token hits of one line into findings: shared by the request-file and env-file parsers.
import { MAX_LINE_SCAN } from './limits';
import type { LineSpan } from './lines';
import type { TokenContext, TokenFinding } from './model';
import type { TokenHit, TokenScanner } from './tokenScan';

/** Reused between calls: parsing is synchronous, so one buffer serves every line. */
const hits: TokenHit[] = [];

/**
 * Scans `line` and appends at most `budget` findings on relative line `rel` to `out`.
 * `context` is the line's context, or a function of each hit's start offset (env files: a token left of `=` is not a value).
 */
export function scanLineInto(
  scanner: TokenScanner,
  text: string,
  line: LineSpan,
  rel: number,
  budget: number,
  out: TokenFinding[],
  context: TokenContext | ((offset: number) => TokenContext),
): number {
  hits.length = 0;
  const n = scanner.scanLine(line.start, line.end, MAX_LINE_SCAN, budget, hits);
  for (let h = 0; h < n; h++) {
    const hit = hits[h]!;
    out.push({
      line: rel,
      start: hit.start - line.start,
      end: hit.end - line.start,
      kind: hit.kind,
      value: text.slice(hit.start, hit.end),
      context: typeof context === 'function' ? context(hit.start) : context,
    });
  }
  return n;
}
