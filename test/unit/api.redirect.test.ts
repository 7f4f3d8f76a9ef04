// Token POSTs never follow redirects: a 307/308 would resend the secret body, a 302/303 would carry the bearer
// header elsewhere. A second loopback server counts what it receives: it must stay 0.
import { strict as assert } from 'node:assert';
import type { ServerResponse } from 'node:http';
import { createAuthClient } from '../../client/src/api/authClient';
import { fakeSleep, rejectsWith, reply, startStub, tokenBody, type Stub } from '../support/apiStubServer';

describe('api client: redirects are refused', () => {
  let status = 302;
  let target: Stub;
  let origin: Stub;
  before(async () => {
    target = await startStub((_req, res: ServerResponse) => reply(res, 201, tokenBody(), { 'x-token-id': 'tok_st_1' }));
    origin = await startStub((req, res) => reply(res, status, '', { location: `${target.origin}${req.path}` }));
  });
  after(async () => {
    await origin.close();
    await target.close();
  });

  const operations: Array<[string, (baseUrl: string) => Promise<unknown>]> = [
    [
      'issueLongTermToken (client secret)',
      (baseUrl) =>
        createAuthClient({ baseUrl }).issueLongTermToken({
          mechanism: 'client_secret',
          clientId: 'c2m_demo',
          clientSecret: 'the-secret-1',
        }),
    ],
    [
      'issueLongTermToken (short-term bearer)',
      (baseUrl) =>
        createAuthClient({ baseUrl }).issueLongTermToken({
          mechanism: 'short_term',
          clientId: 'c2m_demo',
          shortTermToken: 'eyJhbGciOiJIUzI1NiJ9.e30.sig',
        }),
    ],
    [
      'issueShortTermToken',
      (baseUrl) =>
        createAuthClient({ baseUrl, sleep: fakeSleep().sleep }).issueShortTermToken('lt_long_term_secret_value'),
    ],
    ['revokeToken', (baseUrl) => createAuthClient({ baseUrl }).revokeToken('tok_1', 'lt_long_term_secret_value')],
  ];

  for (const code of [301, 302, 303, 307, 308]) {
    for (const [name, run] of operations) {
      it(`${code} on ${name} -> kind redirect, the other server receives nothing`, async () => {
        status = code;
        const before = origin.requests.length;
        const error = await rejectsWith(run(origin.baseUrl), {
          kind: 'redirect',
          code: 'redirect_refused',
          status: code,
          retryable: false,
        });
        assert.equal(origin.requests.length, before + 1, 'exactly one request, no retry of a redirect');
        assert.equal(target.requests.length, 0, 'the redirect target must receive nothing');
        assert.match(error.message, new RegExp(`to ${target.origin.replace(/[.:/]/g, '\\$&')}`));
      });
    }
  }
});
