// Error answers become one typed error: status, the contract's code and message (never `details`), Retry-After for 429/503.
import { strict as assert } from 'node:assert';
import { createAuthClient } from '../../client/src/api/authClient';
import { rejectsWith, reply, stubForSuite } from '../support/apiStubServer';

describe('api client: error statuses', () => {
  const suite = stubForSuite();
  const client = () =>
    createAuthClient({ baseUrl: suite.stub.baseUrl, sleep: () => Promise.resolve(), random: () => 0, now: () => 0 });
  const long = () => client().issueLongTermToken({ mechanism: 'otp', clientId: 'c2m_demo', otpCode: '123456' });

  const contract: Array<[number, string, string]> = [
    [400, 'invalid_grant', 'The grant type is not supported'],
    [401, 'invalid_token', 'The provided token is expired or invalid'],
    [403, 'insufficient_scope', 'The token lacks the required scope for this operation'],
    [404, 'not_found', 'The requested resource was not found'],
    [429, 'rate_limited', 'Too many requests. Please retry after 60 seconds.'],
  ];
  for (const [status, code, message] of contract) {
    it(`${status} ${code} -> kind http with status, code and message`, async () => {
      suite.answer = (res) => reply(res, status, { code, message }, status === 429 ? { 'retry-after': '60' } : {});
      const error = await rejectsWith(long(), { kind: 'http', status, code, retryable: status === 429 });
      assert.ok(error.message.includes(message), error.message);
      assert.equal(error.retryAfterMs, status === 429 ? 60_000 : undefined);
    });
  }

  it('revoke 404 -> status 404 code not_found', async () => {
    suite.answer = (res) => reply(res, 404, { code: 'not_found', message: 'The requested resource was not found' });
    await rejectsWith(client().revokeToken('tok_unknown', 'lt_bearer_token_value'), {
      kind: 'http',
      status: 404,
      code: 'not_found',
    });
  });

  it('revoke 204 resolves, with the id encoded into the path', async () => {
    suite.answer = (res) => reply(res, 204);
    await client().revokeToken('tok/../x?y', 'lt_bearer_token_value');
    assert.equal(suite.stub.requests.at(-1)?.path, '/v1/auth/tokens/tok%2F..%2Fx%3Fy/revoke');
    assert.equal(suite.stub.requests.at(-1)?.headers.authorization, 'Bearer lt_bearer_token_value');
  });

  it('400 whose details echo the request: code and message only, no details', async () => {
    suite.answer = (res) =>
      reply(res, 400, {
        code: 'invalid_request',
        message: 'Unknown field.',
        details: { echo: 'client_secret=hunter2-canary', field: 'sekret' },
      });
    const error = await rejectsWith(long(), { kind: 'http', status: 400, code: 'invalid_request' });
    assert.ok(!error.message.includes('hunter2'), error.message);
    assert.ok(!error.message.includes('sekret'), error.message);
    assert.ok(!('details' in error));
  });

  it('error body that is not JSON -> contract default code for the status', async () => {
    suite.answer = (res) => reply(res, 401, '<html>nope</html>', { 'content-type': 'text/html' });
    const error = await rejectsWith(long(), { kind: 'http', status: 401, code: 'invalid_token' });
    assert.ok(!error.message.includes('<html>'), error.message);
  });

  it('503 -> server_error, retryable, with Retry-After', async () => {
    suite.answer = (res) => reply(res, 503, 'down', { 'retry-after': '7' });
    await rejectsWith(long(), { kind: 'http', status: 503, code: 'server_error', retryable: true, retryAfterMs: 7000 });
  });

  it('a hostile code or a control-character message is not passed through raw', async () => {
    suite.answer = (res) => reply(res, 400, { code: 'x y\n<script>', message: 'line1\r\nInjected: header\u0000' });
    const error = await rejectsWith(long(), { kind: 'http', status: 400, code: 'invalid_request' });
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(error.message, /[\u0000-\u001f]/);
  });
});
