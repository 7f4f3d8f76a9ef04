// One consistent world for the whole-server tests: a fixed "now", two profiles, and tokens in every condition.
import type { TokenSummary, TokenStateParams } from '@shared/protocol/tokenState';
import { tokenFingerprint } from '@shared/tokens/fingerprint';
import { makeJwt, makeLongTerm } from '../jwt';

export const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
export const MARGIN = 60_000;
const s = (ms: number): number => Math.floor(ms / 1000);

export const tokens = {
  valid: makeJwt({
    sub: 'client-dev',
    jti: 'tok_st_valid',
    scopes: ['jobs:submit'],
    iat: s(NOW - 60_000),
    exp: s(NOW + 724_000),
  }),
  expired: makeJwt({
    sub: 'client-dev',
    jti: 'tok_st_old',
    scopes: ['jobs:submit'],
    iat: s(NOW - 900_000),
    exp: s(NOW - 180_000),
  }),
  expiring: makeJwt({
    sub: 'client-dev',
    jti: 'tok_st_soon',
    scopes: ['jobs:submit'],
    iat: s(NOW - 870_000),
    exp: s(NOW + 30_000),
  }),
  unknown: makeJwt({ sub: 'someone-else', jti: 'foreign-1', scope: 'read write', exp: (NOW + 3_600_500) / 1000 }),
  longTerm: makeLongTerm('dev-long'),
};

/** `issuedAt`: when the client received it (its lifetime decides when it is expiring, see judgement.ts). */
function meta(
  name: keyof typeof tokens,
  kind: 'long' | 'short',
  tokenId: string,
  expiresAt: number,
  issuedAt = NOW - 60_000,
): TokenSummary {
  return {
    profileId: 'dev',
    profileName: 'Dev',
    kind,
    tokenId,
    fingerprint: tokenFingerprint(tokens[name]),
    scopes: kind === 'long' ? ['jobs:*'] : ['jobs:submit'],
    issuedAt,
    expiresAt,
    status: 'valid',
  };
}

/** Known tokens' expiries carry an extra 500 ms so countdown texts stay exact while a test runs. */
export function state(overrides: Partial<Record<keyof typeof tokens, Partial<TokenSummary>>> = {}): TokenStateParams {
  const known: TokenSummary[] = [
    { ...meta('valid', 'short', 'tok_st_valid', NOW + 724_500), ...overrides.valid },
    { ...meta('expired', 'short', 'tok_st_old', NOW - 180_000), status: 'expired', ...overrides.expired },
    { ...meta('expiring', 'short', 'tok_st_soon', NOW + 30_500, NOW - 870_000), ...overrides.expiring },
    { ...meta('longTerm', 'long', 'tok_lt_dev', NOW + 86_400_000 * 90 + 500), ...overrides.longTerm },
  ];
  return {
    tokens: known,
    profiles: [
      { id: 'staging', name: 'Staging', active: false, usable: false },
      { id: 'dev', name: 'Dev', active: true, usable: true },
    ],
    refreshMarginMs: MARGIN,
    now: NOW,
  };
}
