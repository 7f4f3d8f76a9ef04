// Turns the token hits of one line into findings: shared by the request-file and env-file parsers.
import { MAX_LINE_SCAN } from './limits';
import type { TokenContext, TokenFinding } from './model';
import type { TokenScanner, TokenSpan } from '@shared/tokens/grammar';

/** Reused between calls: parsing is synchronous, so one buffer serves every line. */
const hits: TokenSpan[] = [];

/**
 * Scans the line [lineStart, lineEnd) and appends at most `budget` findings on relative line `rel` to `out`.
 * `context` is the line's context, or a function of each hit's start offset (env files: a token left of `=` is not a value).
 */
export function scanLineInto(
  scanner: TokenScanner,
  lineStart: number,
  lineEnd: number,
  blockOffset: number,
  rel: number,
  budget: number,
  out: TokenFinding[],
  context: TokenContext | ((offset: number) => TokenContext),
): number {
  if (hits.length !== 0) hits.length = 0; // most lines have no hit: skip the write
  const n = scanner.scanLine(lineStart, lineEnd, MAX_LINE_SCAN, budget, hits);
  for (let h = 0; h < n; h++) {
    const hit = hits[h]!;
    out.push({
      line: rel,
      start: hit.start - lineStart,
      end: hit.end - lineStart,
      kind: hit.kind,
      offset: hit.start - blockOffset,
      context: typeof context === 'function' ? context(hit.start) : context,
      fingerprint: undefined,
      claims: undefined,
    });
  }
  return n;
}
