// The status tool's report: profiles and token metadata field by field, nothing else (a field added to TokenInfo
// later does not reach the agent), and no token without a status.
import { strict as assert } from 'node:assert';
import { statusReport } from '../../client/src/integrations/agentTools/statusReport';
import type { TokenInfo } from '../../client/src/core/tokenService';

describe('agent tools: status report', () => {
  it('lists profiles, the active one, and token ids, kinds, scopes, status and expiry; nothing more', () => {
    const now = Date.UTC(2026, 0, 1);
    const long: TokenInfo & { value?: string } = {
      profileId: 'p',
      kind: 'long',
      tokenId: 'tok_lt_1',
      fingerprint: 'f'.repeat(16),
      scopes: ['jobs:*'],
      issuedAt: now - 1000,
      expiresAt: now + 60_000,
      status: 'valid',
      // A value on the object (as a later field might carry) must not be copied into the report.
      value: 'lt_secretvalue',
    };
    const none: TokenInfo = { ...long, kind: 'short', tokenId: '', status: 'none' };
    const report = statusReport(
      [
        { id: 'p', name: 'P', baseUrl: 'https://api.example.com/v1', clientId: 'c', active: true },
        { id: 'q', name: 'Q', baseUrl: 'https://q.example', clientId: 'c', active: false },
      ],
      [long, none],
      now,
    );
    assert.deepEqual(report, {
      activeProfile: 'p',
      profiles: [
        {
          id: 'p',
          name: 'P',
          baseUrl: 'https://api.example.com/v1',
          active: true,
          tokens: [
            {
              kind: 'long-term',
              tokenId: 'tok_lt_1',
              status: 'valid',
              scopes: ['jobs:*'],
              issuedAt: '2025-12-31T23:59:59.000Z',
              expiresAt: '2026-01-01T00:01:00.000Z',
              expiresInSeconds: 60,
            },
          ],
        },
        { id: 'q', name: 'Q', baseUrl: 'https://q.example', active: false, tokens: [] },
      ],
    });
    assert.ok(!JSON.stringify(report).includes('secretvalue'));
    assert.equal(statusReport([], [], now).activeProfile, null);
  });
});
