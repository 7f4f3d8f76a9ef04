// The one file shared by the extension (client) and the language server. It declares the custom LSP messages (each
// side makes them with its own classes, see messageTypes), the token metadata they carry and the token grammar.
// Token *values* never appear here: LSP traces are logged verbatim.
/* eslint-disable @typescript-eslint/no-namespace -- one namespace per message is the vscode-languageserver-node convention the brief asks for */
import * as crypto from 'node:crypto';
import type { NotificationType, Range, RequestType } from 'vscode-languageserver-protocol';

/** First 16 hex chars of SHA-256 over the token value: lets the server recognise a token without holding it. */
export function tokenFingerprint(value: string): string {
  // crypto.hash (Node >= 20.12) is the one-shot form: no Hash object per token when a file holds thousands.
  const hex = typeof crypto.hash === 'function' ? crypto.hash('sha256', value, 'hex') : crypto.createHash('sha256').update(value, 'utf8').digest('hex');
  return hex.slice(0, 16);
}

// ---- The token grammar, shared so both sides agree what a token is -------------------------------------------
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

// ---- Stand-ins: what the server sees instead of a token's secret part ------------------------------------------
// The client rewrites documents before syncing them (LSP traces are logged verbatim): a JWT keeps its header and
// payload (claims, not secrets) and its signature becomes STAND_IN + fingerprint + `_` filler of the same length;
// an `lt_` token's body likewise. Positions do not move, and the server still knows which token it is.

const STAND_IN = 'C2MFP';
const STAND_IN_MIN = STAND_IN.length + 16;

function standInPart(secret: string, fingerprint: string): string {
  if (secret.length < STAND_IN_MIN) return '_'.repeat(secret.length);
  return STAND_IN + fingerprint + '_'.repeat(secret.length - STAND_IN_MIN);
}

/** The stand-in for one token value (same length; a JWE is blanked). */
export function standInFor(value: string, kind: TokenShape): string {
  if (kind === 'longTerm') return `lt_${standInPart(value.slice(3), tokenFingerprint(value))}`;
  const dot = value.indexOf('.');
  if (kind === 'jwe') return value.slice(0, dot) + value.slice(dot).replace(/[^.]/g, '_');
  const sig = value.lastIndexOf('.') + 1;
  return value.slice(0, sig) + standInPart(value.slice(sig), tokenFingerprint(value));
}

/** The fingerprint a stand-in carries, or undefined for a real token value. */
export function standInFingerprint(value: string): string | undefined {
  const at = value.startsWith('lt_') ? 3 : value.lastIndexOf('.') + 1;
  if (!value.startsWith(STAND_IN, at) || value.length < at + STAND_IN_MIN) return undefined;
  const fp = value.slice(at + STAND_IN.length, at + STAND_IN_MIN);
  if (!/^[0-9a-f]{16}$/.test(fp)) return undefined;
  for (let i = at + STAND_IN_MIN; i < value.length; i++) if (value.charCodeAt(i) !== 95 /* _ */) return undefined;
  return fp;
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

/** `text` with every token's secret part replaced by its stand-in (linear; returns `text` itself when it holds none). */
export function redactTokens(text: string): string {
  const scanner = new TokenScanner(text);
  let out = '';
  let copied = 0;
  for (let r = scanner.next(0, text.length); r; r = scanner.next(r.end, text.length)) {
    const value = text.slice(r.start, r.end);
    if (r.kind === 'jwe' || standInFingerprint(value) === undefined) {
      out += text.slice(copied, r.start) + standInFor(value, r.kind);
      copied = r.end;
    }
  }
  releaseScannedText();
  return copied === 0 ? text : out + text.slice(copied);
}

/** Token metadata as the server sees it: everything but the value. */
export interface TokenMeta {
  profileId: string;
  profileName: string;
  kind: 'long' | 'short';
  tokenId: string;
  fingerprint: string;
  scopes: string[];
  /** Epoch ms on the client's clock. */
  issuedAt: number;
  expiresAt: number;
  status: 'none' | 'valid' | 'expiring' | 'expired' | 'revoked' | 'error';
  /**
   * The client no longer holds this token: a newer one replaced it (a refresh). It still works until it expires.
   * Absent for the tokens the client holds now. Revoked tokens it no longer holds keep `status: 'revoked'`.
   */
  superseded?: boolean;
}

export interface ProfileMeta {
  id: string;
  name: string;
  active: boolean;
  /** It holds a live long-term token, so a short-term token can be had now (completion offers only these). */
  usable: boolean;
}

export interface TokenStateParams {
  /**
   * The tokens the client holds, then the ones it held earlier in this window (bounded), each with its last status:
   * a token revoked or signed out stays `revoked` after a newer one replaced it. The server never un-revokes one.
   */
  tokens: TokenMeta[];
  profiles: ProfileMeta[];
  /** A short-term token this close to its expiry is "expiring" (information diagnostic, "Refresh" lens). */
  refreshMarginMs: number;
  /** The client's clock when the state was sent; the server measures expiry against it (same clock as expiresAt). */
  now: number;
}

export interface StaleToken {
  range: Range;
  fingerprint: string;
}

/** The text a completion inserts where the token will go; the client swaps it for the fresh token. */
export const TOKEN_PLACEHOLDER = '<c2m:token>';

/** The name of the env variable the extension writes and references. */
export const ENV_TOKEN_NAME = 'C2M_ACCESS_TOKEN';

/**
 * Commands the *client* registers and performs (they need token values, which never cross the connection).
 * The server only puts them in completion items, code lenses and code actions; the client swaps these arguments for
 * ids of its own before VS Code sees them, and the commands take nothing else.
 */
export namespace ClientCommands {
  /** Replace `range` (holding TOKEN_PLACEHOLDER, where the completion put it) with a fresh short-term token. */
  export const insertToken = 'c2m.lsp.insertToken';
  export interface InsertTokenArgs { uri: string; range: Range; profileId: string }
  /** Replace the token at `range` with a fresh short-term token of the profile that owns `fingerprint` (or the active one). */
  export const replaceToken = 'c2m.lsp.replaceToken';
  export interface ReplaceTokenArgs { uri: string; range: Range; fingerprint: string }
  /** Replace every stale token of the document (asks the server which with StaleTokensRequest). */
  export const replaceStaleTokens = 'c2m.lsp.replaceStaleTokens';
  export interface ReplaceStaleTokensArgs { uri: string }
  /** Move the literal token at `range` into the sibling `.env` and reference it with `{{$dotenv C2M_ACCESS_TOKEN}}`. */
  export const moveTokenToEnv = 'c2m.lsp.moveTokenToEnv';
  export interface MoveTokenToEnvArgs { uri: string; range: Range }
  /** Revoke the token with this fingerprint, if it is one of ours. */
  export const revokeTokenByFingerprint = 'c2m.lsp.revokeTokenByFingerprint';
  export interface RevokeTokenArgs { fingerprint: string }
  /** Add the env file `uri` (open, holding tokens, not ignored) to the `.gitignore` of its repository. */
  export const addToGitIgnore = 'c2m.lsp.addToGitIgnore';
  export interface AddToGitIgnoreArgs { uri: string }
}

/** Diagnostic codes, stable so code actions and tests can match on them. */
export const DiagnosticCodes = {
  expired: 'c2m.expired',
  revoked: 'c2m.revoked',
  longTerm: 'c2m.longTermLeak',
  expiring: 'c2m.expiring',
  envNotIgnored: 'c2m.envNotIgnored',
  tooLarge: 'c2m.tooLarge',
} as const;

/** One token the workspace scan found: where, and what it is. Never the value. */
export interface ScanFinding {
  uri: string;
  range: Range;
  /** jwt: three base64url segments starting `eyJ` (or a JWE); longTerm: the contract's `lt_…` long-term form. */
  shape: 'jwt' | 'longTerm';
  fingerprint: string;
  /** Unverified claims, when the token decodes: `jti` and `exp` (epoch ms). */
  tokenId?: string;
  expiresAt?: number;
}

export interface ScanFilesParams {
  /** file: URIs; the server reads them itself, so file contents never cross the connection either. */
  uris: string[];
  /** Files larger than this are skipped (reported in `skipped`). */
  maxFileBytes: number;
  /** Stop after this many findings in total. */
  maxFindings: number;
}

export interface ScanFilesResult {
  findings: ScanFinding[];
  /** Files not scanned (too large, unreadable, binary), with the reason. */
  skipped: { uri: string; reason: string }[];
  truncated: boolean;
}

// ---- Custom messages ------------------------------------------------------------------------------------------------

/** The message classes of vscode-languageserver-protocol, as the server and the language client each import them. */
export interface MessageClasses {
  NotificationType: new <P>(method: string) => NotificationType<P>;
  RequestType: new <P, R, E>(method: string) => RequestType<P, R, E>;
}

/**
 * Every custom message, made with the caller's classes: this file imports none at run time, so what imports it for the
 * token grammar (the extension's activation bundle too) does not carry vscode-languageserver-protocol.
 */
export function messageTypes(c: MessageClasses) {
  return {
    /** client -> server: everything the client knows about tokens, sent after start and on every change. No values. */
    TokenStateNotification: new c.NotificationType<TokenStateParams>('c2m/tokenState'),
    /** server -> client: is this env file ignored by git? The client answers with `git check-ignore`; null: git could not say. */
    IsIgnoredRequest: new c.RequestType<{ uri: string }, boolean | null, void>('c2m/isIgnored'),
    /** client -> server: a `.gitignore`, `info/exclude` or the git index changed: earlier IsIgnored answers are stale. */
    GitIgnoreChangedNotification: new c.NotificationType<Record<string, never>>('c2m/gitIgnoreChanged'),
    /** client -> server: the stale (expired, expiring, revoked or long-term) tokens of a document, for "replace all". */
    StaleTokensRequest: new c.RequestType<{ uri: string }, StaleToken[], void>('c2m/staleTokens'),
    /** client -> server: scan these files for tokens (the workspace leak scan). Answers metadata only. */
    ScanFilesRequest: new c.RequestType<ScanFilesParams, ScanFilesResult, void>('c2m/scanFiles'),
  };
}
