// Classification shortcut: a JWT is hashed only when its claimed expiry is near a known token's expiry (the client
// computes expiry from expires_in on its own clock, so the two differ by clock skew). Known tokens must still be found.
import assert from 'node:assert/strict';
import { analyseText } from '../../server/src/analysis';
import { classifyAll } from '../../server/src/features/classify';
import type { TokenSummary } from '@shared/protocol/tokenState';
import { tokenFingerprint } from '@shared/tokens/fingerprint';
import { TokenStateStore } from '../../server/src/tokenStateStore';
import { makeJwt } from '../support/jwt';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

function meta(value: string, expiresAt: number): TokenSummary {
  return {
    profileId: 'p',
    profileName: 'P',
    kind: 'short',
    tokenId: value.slice(-6),
    fingerprint: tokenFingerprint(value),
    scopes: [],
    issuedAt: NOW - 60_000,
    expiresAt,
    status: 'valid',
  };
}

function known(tokens: string[], metas: TokenSummary[]): boolean[] {
  const store = new TokenStateStore(() => NOW);
  store.update({ tokens: metas, profiles: [], refreshMarginMs: 60_000, now: NOW });
  const text = `GET http://x\n\n${tokens.join('\n')}\n`;
  return classifyAll(analyseText('file:///a.http', 'request', text), store.snapshot, NOW).map(
    (t) => t.meta !== undefined,
  );
}

describe('parse: classification against known tokens', () => {
  it('finds a known token whose exp claim is 10 minutes off its computed expiry (clock skew)', () => {
    const skewed = makeJwt({ exp: (NOW + 15 * 60_000 + 10 * 60_000) / 1000 });
    assert.deepEqual(known([skewed], [meta(skewed, NOW + 15 * 60_000)]), [true]);
  });

  it('finds a known JWT without an exp claim, and tells apart unknown ones far from every known expiry', () => {
    const noExp = makeJwt({ sub: 'x' });
    const mine = makeJwt({ exp: (NOW + 900_000) / 1000 });
    const foreignFar = makeJwt({ exp: (NOW + 30 * 86_400_000) / 1000 });
    const foreignNear = makeJwt({ exp: (NOW + 900_000) / 1000, sub: 'other' });
    assert.deepEqual(
      known([noExp, mine, foreignFar, foreignNear], [meta(noExp, NOW + 900_000), meta(mine, NOW + 900_000)]),
      [true, true, false, false],
    );
  });

  it('hashes everything when a known token has no usable expiry', () => {
    const far = makeJwt({ exp: (NOW + 30 * 86_400_000) / 1000 });
    assert.deepEqual(known([far], [meta(far, Number.NaN)]), [true]);
  });
});
