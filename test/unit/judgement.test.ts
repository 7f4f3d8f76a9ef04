// One judgement of a token: the tree and status bar (displayStatus), the engine's token info (tokenInfoOf) and the
// language server (classify, fed the token state the client sends) say the same thing about the
// same token at the same moment, for short-term tokens of different lifetimes and long-term tokens near their end.
import assert from 'node:assert/strict';
import { tokenInfoOf } from '../../client/src/core/tokenInfo';
import type { Disposable, ProfileSummary, TokenInfo, TokenService } from '../../client/src/core/tokenService';
import { tokenStateOf } from '../../client/src/lsp/tokenStateSync';
import { displayStatus } from '../../client/src/ui/viewFormat';
import { analyseText } from '../../server/src/analysis';
import { classifyAll } from '../../server/src/features/classify';
import { tokenFingerprint } from '@shared/tokens/fingerprint';
import { TokenStateStore } from '../../server/src/tokenStateStore';
import { makeJwt, makeLongTerm } from '../support/jwt';

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const RULES = { refreshFraction: 0.8, longWarningMs: 7 * DAY };

interface Case {
  value: string;
  kind: 'long' | 'short';
  issuedAt: number;
  expiresAt: number;
}

const cases: Case[] = [
  { value: makeJwt({ jti: 'a', exp: (T0 + 15 * MIN) / 1000 }), kind: 'short', issuedAt: T0, expiresAt: T0 + 15 * MIN },
  { value: makeJwt({ jti: 'b', exp: (T0 + 60 * MIN) / 1000 }), kind: 'short', issuedAt: T0, expiresAt: T0 + 60 * MIN },
  { value: makeJwt({ jti: 'c', exp: (T0 + 2 * MIN) / 1000 }), kind: 'short', issuedAt: T0, expiresAt: T0 + 2 * MIN },
  { value: makeLongTerm('long-30'), kind: 'long', issuedAt: T0, expiresAt: T0 + 30 * DAY },
  { value: makeLongTerm('long-10'), kind: 'long', issuedAt: T0 - 80 * DAY, expiresAt: T0 + 10 * DAY },
];

function service(infos: TokenInfo[]): TokenService {
  const none: Disposable = { dispose: () => undefined };
  const profiles: ProfileSummary[] = [
    { id: 'p', name: 'P', baseUrl: 'https://api.example.com/v1', clientId: 'c', active: true },
  ];
  return { tokens: () => infos, profiles: () => profiles, onDidChange: () => none } as unknown as TokenService;
}

describe('one judgement of a token (client views, engine, language server)', () => {
  it('agree on valid / expiring / expired at every moment', () => {
    const text = `GET http://x\n\n${cases.map((c) => `Authorization: Bearer ${c.value}`).join('\n')}\n`;
    const moments = [0, 1, 2, 9, 11, 12.5, 13, 20, 49, 50, 59, 61]
      .map((m) => T0 + m * MIN)
      .concat([T0 + 2 * DAY, T0 + 3 * DAY + 1, T0 + 23 * DAY + 1, T0 + 31 * DAY]);
    for (const now of moments) {
      const infos = cases.map((c) =>
        tokenInfoOf(
          'p',
          c.kind,
          {
            tokenId: c.value.slice(-6),
            fingerprint: tokenFingerprint(c.value),
            scopes: [],
            receivedAt: c.issuedAt,
            expiresIn: (c.expiresAt - c.issuedAt) / 1000,
            serverExpiresAt: new Date(c.expiresAt).toISOString(),
            state: 'active',
          } as Parameters<typeof tokenInfoOf>[2],
          { now, warningMs: RULES.longWarningMs },
        ),
      );
      const store = new TokenStateStore(() => now);
      store.update(tokenStateOf(service(infos), now, RULES));
      const server = classifyAll(analyseText('file:///a.http', 'request', text), store.snapshot, now).map(
        (t) => t.condition,
      );
      const engine = infos.map((i) => i.status);
      const views = infos.map((i) => displayStatus(i, now, RULES));
      assert.deepEqual(server, views, `server vs tree at +${(now - T0) / MIN} min`);
      assert.deepEqual(engine, views, `engine vs tree at +${(now - T0) / MIN} min`);
    }
  });
});
