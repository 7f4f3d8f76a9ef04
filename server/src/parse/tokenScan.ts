// Finds bearer tokens in text in linear time, with the token grammar of protocol.ts (shared with the client, which
// redacts the same tokens before syncing). Candidates come from indexOf; a failed candidate skips its whole run.
import { isB64Url, matchJose, matchLongTerm, runEnd, type TokenShape, type TokenSpan } from '../protocol';

export type TokenKindFound = TokenShape;
export type TokenHit = TokenSpan;

/**
 * A forward-only scanner over one string: call `next(lineStart, lineEnd)` for consecutive lines.
 * It keeps the next `eyJ` / `lt_` candidate positions, so sparse tokens in a long file cost one indexOf pass in total.
 */
export class TokenScanner {
  private nextJose = -2; // -2: not searched yet; -1: none left
  private nextLong = -2;

  constructor(private readonly text: string) {}

  /** Hits in [lineStart, lineEnd), scanning at most `scanLimit` chars of the line. At most `budget` hits. */
  scanLine(lineStart: number, lineEnd: number, scanLimit: number, budget: number, out: TokenHit[]): number {
    const text = this.text;
    const limit = Math.min(lineEnd, lineStart + scanLimit);
    let found = 0;
    let from = lineStart;
    while (found < budget) {
      if (this.nextJose !== -1 && this.nextJose < from) this.nextJose = text.indexOf('eyJ', from);
      if (this.nextLong !== -1 && this.nextLong < from) this.nextLong = text.indexOf('lt_', from);
      const j = this.nextJose;
      const l = this.nextLong;
      const pos = j === -1 ? l : l === -1 ? j : Math.min(j, l);
      if (pos === -1 || pos >= limit) break;
      if (pos > lineStart && isB64Url(text.charCodeAt(pos - 1))) {
        // Inside a longer word (e.g. `xeyJ…`): skip the rest of that word.
        from = runEnd(text, pos, limit);
        if (from === pos) from = pos + 1;
        continue;
      }
      const r = pos === j ? matchJose(text, pos, limit) : matchLongTerm(text, pos, limit);
      if (typeof r === 'number') {
        from = Math.max(r, pos + 1);
        continue;
      }
      out.push(r);
      found++;
      from = r.end;
    }
    return found;
  }
}
