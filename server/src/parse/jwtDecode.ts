// Decodes a JWT's header and payload for display and expiry hints. Never throws, never verifies:
// the claims of a token in a file are whatever the file says, so everything here is "unverified".
import { MAX_DECODE_SEGMENT } from './limits';
import { detach } from './lines';
import type { ClaimTimes } from './model';

export type JsonObject = Record<string, unknown>;

export interface DecodedJwt {
  header?: JsonObject;
  payload?: JsonObject;
  alg?: string;
  /** Epoch ms, only when `exp` is a finite number of seconds. */
  expiresAt?: number;
  issuedAt?: number;
  /** Human-readable reasons the token looks wrong (bad base64, exp not a number, alg none, ...). */
  problems: string[];
}

/** base64url -> JSON object, or undefined. Buffer's base64url decoder skips invalid characters instead of throwing. */
export function decodeSegment(segment: string): JsonObject | undefined {
  if (segment.length === 0 || segment.length > MAX_DECODE_SEGMENT) return undefined;
  const json = Buffer.from(segment, 'base64url').toString('utf8');
  try {
    const value: unknown = JSON.parse(json);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}

function secondsToMs(value: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  const ms = value * 1000;
  return Number.isFinite(ms) ? ms : undefined;
}

/** Scopes claimed by a payload (`scopes`, `scope` or `scp`), for display. */
export function scopesOf(payload: JsonObject): string[] | undefined {
  const raw = payload.scopes ?? payload.scope ?? payload.scp;
  if (typeof raw === 'string')
    return raw
      .split(' ')
      .filter((s) => s.length > 0)
      .slice(0, 100);
  if (Array.isArray(raw)) return raw.filter((s): s is string => typeof s === 'string').slice(0, 100);
  return undefined;
}

/** Headers repeat across a file (same issuer, same alg): decode each distinct one once. */
const headerCache = new Map<string, JsonObject | undefined>();
const HEADER_CACHE_SIZE = 64;

function decodeHeader(segment: string): JsonObject | undefined {
  if (headerCache.has(segment)) return headerCache.get(segment);
  const header = decodeSegment(segment);
  if (headerCache.size >= HEADER_CACHE_SIZE) headerCache.clear();
  // Keyed by a copy: the segment is a slice of the document text, and a cached slice would pin all of it.
  headerCache.set(detach(segment), header);
  return header;
}

/** The token id a payload claims (`jti`, or the contract's `token_id`), for display. */
export function tokenIdOf(payload: JsonObject): string | undefined {
  const id = payload.jti ?? payload.token_id;
  return typeof id === 'string' ? id : undefined;
}

const NO_TIMES: ClaimTimes = Object.freeze({ expiresAt: null, issuedAt: null });

/** Decoded payload bytes land here: one buffer for every token instead of a Buffer object each (figure 1). */
const scratch = Buffer.allocUnsafe(Math.ceil((MAX_DECODE_SEGMENT * 3) / 4));

/**
 * Only what classification needs, from the payload of the JWT at text[start, end): no header, no problem list, no
 * copy of the token (it runs for every token of a file). The bytes are read as latin1, not UTF-8: `exp` and `iat` are
 * ASCII keys with number values, and a byte outside ASCII can only sit inside a JSON string either way, so the same
 * payloads parse and give the same two numbers, without the cost of UTF-8 decoding.
 */
export function claimTimesAt(text: string, start: number, end: number): ClaimTimes {
  const d1 = text.indexOf('.', start);
  const d2 = d1 === -1 ? -1 : text.indexOf('.', d1 + 1);
  if (d1 === -1 || d2 === -1 || d2 >= end || d2 === d1 + 1 || d2 - d1 - 1 > MAX_DECODE_SEGMENT) return NO_TIMES;
  const length = scratch.write(text.slice(d1 + 1, d2), 0, 'base64url');
  let payload: unknown;
  try {
    payload = JSON.parse(scratch.toString('latin1', 0, length));
  } catch {
    return NO_TIMES;
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return NO_TIMES;
  const claims = payload as JsonObject;
  return { expiresAt: secondsToMs(claims.exp) ?? null, issuedAt: secondsToMs(claims.iat) ?? null };
}

export function decodeJwt(token: string): DecodedJwt {
  const problems: string[] = [];
  const d1 = token.indexOf('.');
  const d2 = token.indexOf('.', d1 + 1);
  if (d1 === -1 || d2 === -1) return { problems: ['not a JWT'] };
  if (token.indexOf('.', d2 + 1) !== -1 && token.split('.', 6).length === 5) {
    return { problems: ['encrypted token (JWE): claims are not readable'] };
  }
  const header = decodeHeader(token.slice(0, d1));
  const payload = decodeSegment(token.slice(d1 + 1, d2));
  if (!header) problems.push('header is not base64url-encoded JSON');
  if (!payload) problems.push('payload is not base64url-encoded JSON');
  const alg = typeof header?.alg === 'string' ? header.alg : undefined;
  if (alg?.toLowerCase() === 'none') problems.push('alg "none": the token is not signed');
  const result: DecodedJwt = { problems };
  if (header) result.header = header;
  if (alg !== undefined) result.alg = alg;
  if (payload) {
    result.payload = payload;
    const exp = secondsToMs(payload.exp);
    if (exp !== undefined) result.expiresAt = exp;
    else if (payload.exp !== undefined) problems.push('exp is not a finite number of seconds');
    const iat = secondsToMs(payload.iat);
    if (iat !== undefined) result.issuedAt = iat;
  }
  return result;
}
