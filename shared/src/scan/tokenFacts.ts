// What a scan reports about one token it found: its shape, fingerprint and the unverified `jti` (or the contract's
// `token_id`) and `exp` of a JWT. Never the value. Shared by the workspace file scan (server), the streamed scans of
// the git history and the request histories (extension) and the bench, so all of them describe a token alike.
import { tokenFingerprint } from '../tokens/fingerprint';
import type { TokenShape } from '../tokens/grammar';
import { MAX_DECODE_SEGMENT } from './limits';

/** The largest time a Date holds (ECMAScript: 100,000,000 days either side of 1970). */
const MAX_DATE_MS = 8.64e15;

export interface TokenFacts {
  shape: 'jwt' | 'longTerm';
  fingerprint: string;
  tokenId?: string;
  expiresAt?: number;
}

function payloadOf(token: string): Record<string, unknown> | undefined {
  const d1 = token.indexOf('.');
  const d2 = token.indexOf('.', d1 + 1);
  if (d1 === -1 || d2 === -1 || d2 === d1 + 1 || d2 - d1 - 1 > MAX_DECODE_SEGMENT) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(token.slice(d1 + 1, d2), 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export function tokenFacts(value: string, kind: TokenShape): TokenFacts {
  const facts: TokenFacts = { shape: kind === 'longTerm' ? 'longTerm' : 'jwt', fingerprint: tokenFingerprint(value) };
  if (kind !== 'jwt') return facts; // a JWE's claims are encrypted; an lt_ key has none
  const payload = payloadOf(value);
  const id = payload?.jti ?? payload?.token_id;
  if (typeof id === 'string') facts.tokenId = id.slice(0, 200);
  const exp = payload?.exp;
  // An exp no Date can hold is no expiry: whatever shows one as a date (the Leak Scan's rows) would throw on it.
  if (typeof exp === 'number' && Math.abs(exp * 1000) <= MAX_DATE_MS) facts.expiresAt = exp * 1000;
  return facts;
}
