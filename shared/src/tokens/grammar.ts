// The token grammar and its scanner, shared so the extension and the language server agree what a token is.
// Linear time, no regular expressions: /eyJ[\w-]+\.[\w-]+\.[\w-]*/ backtracks quadratically on a 15 MB line of
// `eyJ…` without dots. A failed candidate returns the end of the run it started, so callers skip the whole run.

export type TokenShape = 'jwt' | 'jwe' | 'longTerm';

export interface TokenSpan {
  start: number;
  end: number;
  kind: TokenShape;
}

/** 1 for A-Z a-z 0-9 - _ : the base64url alphabet, which is also what may follow `lt_`. */
const B64URL = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  B64URL[c] = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 95 ? 1 : 0;
}

export function isB64Url(code: number): boolean {
  return code < 128 && B64URL[code] === 1;
}

/**
 * The base64url run as one sticky regex: native code, about twice as fast as a charCodeAt loop (bench figure 1).
 * Nothing follows the one class, so it never backtracks (a 15 MB run costs one linear pass, no backtrack stack).
 */
const RUN = /[A-Za-z0-9_-]*/y;

/**
 * End of the base64url run that starts at `from`, at most `limit`. The regex reads to the run's end even past `limit`:
 * still linear, since a run lies within one line and a line's scan overruns its limit at most once.
 */
export function runEnd(text: string, from: number, limit: number): number {
  RUN.lastIndex = from;
  RUN.test(text);
  const end = RUN.lastIndex;
  return end < limit ? end : limit;
}

const RELEASE = /(?:)/;

/**
 * Points RegExp's last-match record (RegExp.input, kept per realm by V8) at an empty string. After runEnd that record
 * holds the scanned text, which would then stay alive after its document is closed or replaced (a second copy of a
 * 5 MB file, bench figure 5). Whoever scans a document calls this when done.
 */
export function releaseScannedText(): void {
  RELEASE.test('');
}

/** Minimum length of the random part after `lt_` (the contract's long-term tokens are long hex strings). */
const MIN_LONG_TERM_BODY = 16;

/** A JWT (3 segments) or JWE (5) at `start` (which holds `eyJ`), or where to resume searching. */
export function matchJose(text: string, start: number, limit: number): TokenSpan | number {
  const e1 = runEnd(text, start, limit);
  if (e1 >= limit || text.charCodeAt(e1) !== 46 /* . */ || e1 - start < 8) return e1 > start ? e1 : start + 1;
  const e2 = runEnd(text, e1 + 1, limit);
  if (e2 === e1 + 1) return e2; // empty payload: not a JWT
  if (e2 >= limit || text.charCodeAt(e2) !== 46) return e2;
  const e3 = runEnd(text, e2 + 1, limit); // the signature may be empty (alg none)
  if (e3 < limit && text.charCodeAt(e3) === 46) {
    // JWE compact form: header.key.iv.ciphertext.tag
    const e4 = runEnd(text, e3 + 1, limit);
    if (e4 < limit && text.charCodeAt(e4) === 46) return { start, end: runEnd(text, e4 + 1, limit), kind: 'jwe' };
  }
  return { start, end: e3, kind: 'jwt' };
}

/** An `lt_…` long-term token at `start`, or where to resume searching. */
export function matchLongTerm(text: string, start: number, limit: number): TokenSpan | number {
  const end = runEnd(text, start + 3, limit);
  if (end - (start + 3) < MIN_LONG_TERM_BODY) return end;
  return { start, end, kind: 'longTerm' };
}

/**
 * A forward-only token finder over one string: the server's parsers call it line by line, redactTokens over the whole
 * text. It keeps the next `eyJ` / `lt_` candidate positions, so sparse tokens in a long text cost one indexOf pass each
 * in total (never quadratic). Each call must start at or after where the previous one stopped. Whoever is done
 * scanning a text calls releaseScannedText(), or RegExp's last-match record keeps that text alive.
 */
export class TokenScanner {
  private nextJose = -2; // -2: not searched yet; -1: none left
  private nextLong = -2;

  constructor(private readonly text: string) {}

  /**
   * Where the next token could start at or after `from` (an `eyJ` or `lt_`), or -1. Lets a parser skip the lines
   * before it without asking for tokens line by line: most lines of a request file hold none.
   */
  candidate(from: number): number {
    const text = this.text;
    if (this.nextJose !== -1 && this.nextJose < from) this.nextJose = text.indexOf('eyJ', from);
    if (this.nextLong !== -1 && this.nextLong < from) this.nextLong = text.indexOf('lt_', from);
    const j = this.nextJose;
    const l = this.nextLong;
    return j === -1 ? l : l === -1 ? j : Math.min(j, l);
  }

  /** The first token that starts in [from, limit) (and ends by limit), or undefined. */
  next(from: number, limit: number): TokenSpan | undefined {
    const text = this.text;
    for (;;) {
      const pos = this.candidate(from);
      if (pos === -1 || pos >= limit) return undefined;
      if (pos > 0 && isB64Url(text.charCodeAt(pos - 1))) {
        // Inside a longer word (e.g. `xeyJ…`): skip the rest of that word.
        from = Math.max(runEnd(text, pos, limit), pos + 1);
        continue;
      }
      const r = pos === this.nextJose ? matchJose(text, pos, limit) : matchLongTerm(text, pos, limit);
      if (typeof r !== 'number') return r;
      from = Math.max(r, pos + 1);
    }
  }

  /** Appends the hits in [lineStart, lineEnd) to `out`, scanning at most `scanLimit` chars of the line; at most `budget`. */
  scanLine(lineStart: number, lineEnd: number, scanLimit: number, budget: number, out: TokenSpan[]): number {
    const limit = Math.min(lineEnd, lineStart + scanLimit);
    let found = 0;
    for (let from = lineStart; found < budget; found++) {
      const r = this.next(from, limit);
      if (!r) break;
      out.push(r);
      from = r.end;
    }
    return found;
  }
}
