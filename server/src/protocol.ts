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

// ---- Redaction: what the client syncs instead of a document's text ---------------------------------------------
// Same-length patches, in two layers. Below, every token-shaped substring wherever it starts: glued to a word
// (`tok_eyJ…`, `Bearer%20eyJ…`, `-lt_…`) or inside a longer chain of dotted runs (a JWT after `eyJ….`, an `lt_` run
// that swallowed a JWT's header) has its secret part replaced; the server does not look for those, but their secrets
// must not cross the connection either. On top, the tokens the server's own scanner finds (at a word start) get the
// stand-ins it recognises, and where a glued shape overlapped one of them outside its secret part, the parts that
// hold no secret (the `lt_` prefix, a header or payload of JSON claims: non-ASCII claims can encode to `lt_…`)
// are put back: the server finds and classifies them as before.

/** A same-length replacement of text[at, at + text.length). */
interface Patch {
  at: number;
  text: string;
}

/** Where a span's secret part starts: a JWT's signature, everything after a JWE's header, an `lt_` token's body. */
function secretStart(value: string, kind: TokenShape): number {
  return kind === 'longTerm' ? 3 : kind === 'jwe' ? value.indexOf('.') + 1 : value.lastIndexOf('.') + 1;
}

/**
 * The stand-in for the span's secret part. Undefined when there is nothing to replace (empty, or already a stand-in),
 * unless `keep`: then an existing stand-in is its own patch (it must survive the glued layer).
 */
function patchFor(text: string, span: TokenSpan, keep = false): Patch | undefined {
  const value = text.slice(span.start, span.end);
  const at = secretStart(value, span.kind);
  if (at >= value.length) return undefined;
  if (span.kind !== 'jwe' && standInFingerprint(value) !== undefined) return keep ? { at: span.start + at, text: value.slice(at) } : undefined;
  return { at: span.start + at, text: standInFor(value, span.kind).slice(at) };
}

/** The spans the server's parsers find (TokenScanner: a token at a word start). */
function serverSpans(text: string): TokenSpan[] {
  const scanner = new TokenScanner(text);
  const spans: TokenSpan[] = [];
  for (let r = scanner.next(0, text.length); r; r = scanner.next(r.end, text.length)) spans.push(r);
  return spans;
}

/** Whether the server's sweep found this very span (its patch is made there). */
function isSeen(seen: TokenSpan | undefined, span: TokenSpan): boolean {
  return seen !== undefined && seen.start === span.start && seen.end === span.end;
}

/**
 * Every token shape that starts at any `needle` (`eyJ` or `lt_`), wherever it is, whose span the server's sweep did
 * not find itself (`seen`). A failed candidate skips the run it started (matchJose / matchLongTerm say where to).
 * After a JWT/JWE the search goes on from the end of its header run, not of the token: a token may start in its
 * payload or signature run (a chain `eyJ….eyJ….eyJ….sig`), and then its signature lies past this one's. Each run
 * starts at most one attempt, and an attempt reads at most five runs: linear. An `lt_` hit takes the rest of its run.
 */
function gluedShapes(text: string, needle: 'eyJ' | 'lt_', seen: readonly TokenSpan[], out: Patch[]): void {
  const match = needle === 'eyJ' ? matchJose : matchLongTerm;
  let k = 0;
  for (let from = 0; ; ) {
    const pos = text.indexOf(needle, from);
    if (pos === -1) return;
    const r = match(text, pos, text.length);
    if (typeof r === 'number') {
      from = Math.max(r, pos + 1);
      continue;
    }
    while (k < seen.length && seen[k]!.start < pos) k++;
    const patch = isSeen(seen[k], r) ? undefined : patchFor(text, r);
    if (patch) out.push(patch);
    from = needle === 'eyJ' ? text.indexOf('.', pos) : r.end;
  }
}

/** Whether `segment` is base64url of a JSON object: a JWT's header or payload, whose bytes are claims, not secrets. */
function isClaims(segment: string): boolean {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object';
  } catch {
    return false;
  }
}

/** The parts of a span outside its secret part that hold no secret: the `lt_` prefix, header and payload of claims. */
function publicParts(text: string, span: TokenSpan): Patch[] {
  if (span.kind === 'longTerm') return [{ at: span.start, text: 'lt_' }];
  const d1 = text.indexOf('.', span.start);
  const parts = [{ at: span.start, text: text.slice(span.start, d1) }];
  if (span.kind === 'jwt') parts.push({ at: d1 + 1, text: text.slice(d1 + 1, text.lastIndexOf('.', span.end - 1)) });
  return parts.filter((p) => p.text === 'lt_' || isClaims(p.text));
}

/** The public parts of the server's spans that a glued patch overlaps (both lists sorted by position). */
function restores(text: string, glued: readonly Patch[], spans: readonly TokenSpan[]): Patch[] {
  const out: Patch[] = [];
  let k = 0;
  for (const g of glued) {
    const end = g.at + g.text.length;
    while (k < spans.length && spans[k]!.end <= g.at) k++;
    for (let i = k; i < spans.length && spans[i]!.start < end; i++) {
      for (const part of publicParts(text, spans[i]!)) if (part.at < end && g.at < part.at + part.text.length) out.push(part);
    }
  }
  return out;
}

/** `text` with the patches applied (sorted by `at`; where two overlap, the earlier one's characters are kept). */
function applyPatches(text: string, patches: readonly Patch[]): string {
  let out = '';
  let pos = 0;
  for (const p of patches) {
    const end = p.at + p.text.length;
    if (end <= pos) continue;
    const from = Math.max(p.at, pos);
    out += text.slice(pos, from) + p.text.slice(from - p.at);
    pos = end;
  }
  return out + text.slice(pos);
}

const byPosition = (a: Patch, b: Patch): number => a.at - b.at;

/** The token shapes as written: dots as dots. */
function redactShapes(text: string): string {
  const spans = serverSpans(text);
  const glued: Patch[] = [];
  gluedShapes(text, 'eyJ', spans, glued);
  gluedShapes(text, 'lt_', spans, glued);
  releaseScannedText();
  if (glued.length === 0) {
    const own = spans.map((s) => patchFor(text, s)).filter((p) => p !== undefined);
    return own.length > 0 ? applyPatches(text, own) : text;
  }
  glued.sort(byPosition);
  const own = spans.map((s) => patchFor(text, s, true)).filter((p) => p !== undefined);
  return applyPatches(applyPatches(text, glued), [...own, ...restores(text, glued, spans)].sort(byPosition));
}

const ENCODED_DOT = /%2e/gi;
/** What each `%2E` is read as: a dot, then two base64url characters, so every offset holds. */
const READ_AS_DOT = '.__';

/**
 * `redacted` (the shapes as written, already replaced) with the secret parts of the shapes whose dots are
 * percent-encoded (`eyJ…%2EeyJ…%2Esig`: a token in a query string) replaced too. Each `%2E` is read as `.__`, the
 * shapes found that way are redacted, and only the characters that redaction changed are taken over: the `%` of every
 * `%2E` stays (so the server finds no token there, as before), and the secret after it does not cross.
 */
function redactEncodedDots(redacted: string): string {
  ENCODED_DOT.lastIndex = 0;
  if (!ENCODED_DOT.test(redacted)) return redacted;
  const dotted = redacted.replace(ENCODED_DOT, READ_AS_DOT);
  const red = redactShapes(dotted);
  if (red === dotted) return redacted;
  const parts: string[] = [];
  let pos = 0;
  for (let i = 0; i < red.length; i++) {
    if (red.charCodeAt(i) === dotted.charCodeAt(i)) continue;
    let j = i + 1;
    while (j < red.length && red.charCodeAt(j) !== dotted.charCodeAt(j)) j++;
    parts.push(redacted.slice(pos, i), red.slice(i, j));
    pos = i = j;
  }
  parts.push(redacted.slice(pos));
  return parts.join('');
}

/**
 * `text` with every token-shaped substring's secret part replaced by its stand-in, whatever precedes or follows it,
 * dots written as `%2E` included (same length: every offset holds; linear; returns `text` itself when it holds none).
 */
export function redactTokens(text: string): string {
  return redactEncodedDots(redactShapes(text));
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
  /** A short-term token whose lifetime is unknown (a JWT without `iat`) is "expiring" this close to its expiry. */
  refreshMarginMs: number;
  /** When a token is "expiring" (judgement.ts): the same rules the extension's tree and status bar apply. */
  expiry?: { refreshFraction: number; longWarningMs: number };
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
