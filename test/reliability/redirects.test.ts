// Redirects: token POSTs and bearer requests answered with 3xx pointing at another loopback server (or the
// same port over another scheme). The other server must receive nothing; the caller gets a redirect_refused error.
import { strict as assert } from 'node:assert';
import { createAuthClient } from '../../client/src/api/authClient';
import { rejectsWith, reply, startStub, type Stub } from '../support/apiStubServer';
import { note } from '../support/reliability/ledger';

const LONG_TOKEN = `lt_${'a'.repeat(40)}`;

describe('reliability: redirects', () => {
  let target: Stub;
  let redirector: Stub;
  let status = 302;
  let location = '';

  before(async () => {
    target = await startStub((_req, res) => reply(res, 201, {}));
    redirector = await startStub((_req, res) => reply(res, status, undefined, { location }));
  });
  after(async () => {
    await target.close();
    await redirector.close();
  });

  it('[D1] token POSTs answered 302, 303, 307 and 308 to another loopback server: it receives nothing', async () => {
    const client = createAuthClient({ baseUrl: redirector.baseUrl, sleep: () => Promise.resolve() });
    const n = note('D1', 'issue long-term and exchange, each answered 302/303/307/308 with Location on another port');
    for (const code of [302, 303, 307, 308]) {
      status = code;
      location = `${target.baseUrl}/auth/tokens/long`;
      await rejectsWith(
        client.issueLongTermToken({
          mechanism: 'client_secret',
          clientId: 'c',
          clientSecret: 'canary-secret-redirect',
        }),
        { kind: 'redirect', code: 'redirect_refused' },
      );
      location = `${target.baseUrl}/auth/tokens/short`;
      await rejectsWith(client.issueShortTermToken(LONG_TOKEN), { kind: 'redirect', code: 'redirect_refused' });
      n.fault(2);
    }
    n.done();
    assert.equal(target.requests.length, 0, 'the other server received nothing');
    assert.equal(redirector.requests.length, 8, 'one request per call: a redirect is not a retryable failure');
  });

  it('[D2] a bearer request (revoke) redirected to another port or to https on the same host: nothing sent there', async () => {
    const client = createAuthClient({ baseUrl: redirector.baseUrl });
    const hosts = [
      `${target.origin}/v1/auth/tokens/x/revoke`,
      `https://127.0.0.1:${new URL(target.origin).port}/v1/steal`,
      `https://${new URL(redirector.origin).host}/v1/steal`,
    ];
    const n = note('D2', 'revoke with Authorization: Bearer, answered 307/308 to another port and to https');
    for (const to of hosts) {
      for (const code of [307, 308]) {
        status = code;
        location = to;
        const error = await rejectsWith(client.revokeToken('tok_1', LONG_TOKEN), { kind: 'redirect' });
        assert.ok(!error.message.includes(LONG_TOKEN));
        n.fault();
      }
    }
    n.done();
    assert.equal(target.requests.length, 0, 'the other port received nothing');
  });
});
