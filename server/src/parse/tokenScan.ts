// Finds bearer tokens in text in linear time. No regular expressions: a pattern like /eyJ[\w-]+\.[\w-]+\.[\w-]*/
// backtracks quadratically on a 15 MB line of `eyJ…` without dots. Here every character is looked at a bounded
// number of times: candidates come from indexOf, and a failed candidate skips the whole run it started.

export type TokenKindFound = 'jwt' | 'jwe' | 'longTerm';

export interface TokenHit {
  start: number;
  end: number;
  kind: TokenKindFound;
}

/** Minimum length of the random part after `lt_` (the contract's long-term tokens are long hex strings). */
const MIN_LONG_TERM_BODY = 16;

/** 1 for A-Z a-z 0-9 - _ : the base64url alphabet, which is also what may follow `lt_`. A table: this is the hot loop. */
const B64URL = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  B64URL[c] = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 95 ? 1 : 0;
}

export function isB64Url(code: number): boolean {
  return code < 128 && B64URL[code] === 1;
}

function runEnd(text: string, from: number, limit: number): number {
  let i = from;
  while (i < limit) {
    const c = text.charCodeAt(i);
    if (c >= 128 || B64URL[c] === 0) break;
    i++;
  }
  return i;
}

/**
 * Tries a JWT (3 segments) or JWE (5 segments) starting at `start` (which holds `eyJ`).
 * Returns the hit, or the position to resume searching from when there is none.
 */
function matchJose(text: string, start: number, limit: number): TokenHit | number {
  const e1 = runEnd(text, start, limit);
  if (e1 >= limit || text.charCodeAt(e1) !== 46 /* . */ || e1 - start < 8) return e1 > start ? e1 : start + 1;
  const e2 = runEnd(text, e1 + 1, limit);
  if (e2 === e1 + 1) return e2; // empty payload: not a JWT
  if (e2 >= limit || text.charCodeAt(e2) !== 46) return e2;
  const e3 = runEnd(text, e2 + 1, limit); // the signature may be empty (alg none)
  if (e3 < limit && text.charCodeAt(e3) === 46) {
    // JWE compact form: header.key.iv.ciphertext.tag
    const e4 = runEnd(text, e3 + 1, limit);
    if (e4 < limit && text.charCodeAt(e4) === 46) {
      const e5 = runEnd(text, e4 + 1, limit);
      return { start, end: e5, kind: 'jwe' };
    }
    return { start, end: e3, kind: 'jwt' };
  }
  return { start, end: e3, kind: 'jwt' };
}

function matchLongTerm(text: string, start: number, limit: number): TokenHit | number {
  const end = runEnd(text, start + 3, limit);
  if (end - (start + 3) < MIN_LONG_TERM_BODY) return end;
  return { start, end, kind: 'longTerm' };
}

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
