// Retry policy: only the short-term exchange retries (network errors, timeouts, 5xx, 429), at most 3 tries,
// full-jitter exponential backoff, Retry-After honoured; the long-term call never retries, even on 503.
import { strict as assert } from 'node:assert';
import type { ServerResponse } from 'node:http';
import { createAuthClient, MAX_IN_CALL_RETRY_WAIT_MS } from '../../client/src/api/authClient';
import { BACKOFF_BASE_MS } from '../../client/src/api/backoff';
import { fakeSleep, rejectsWith, reply, startStub, tokenBody, type Stub } from '../support/apiStubServer';

describe('api client: retries', () => {
  let answers: Array<(res: ServerResponse) => void> = [];
  let stub: Stub;
  before(async () => {
    stub = await startStub((_req, res) => {
      const next = answers.shift();
      if (next) next(res);
      else reply(res, 201, tokenBody(), { 'x-token-id': 'tok_st_1' });
    });
  });
  after(() => stub.close());
  beforeEach(() => {
    stub.requests.length = 0;
    answers = [];
  });

  const serverError =
    (status: number, headers: Record<string, string> = {}) =>
    (res: ServerResponse) =>
      reply(res, status, { code: status === 429 ? 'rate_limited' : 'server_error', message: 'try later' }, headers);
  const dropped = (res: ServerResponse) => res.socket?.destroy();

  function client(random = () => 0.5) {
    const fake = fakeSleep();
    return { fake, api: createAuthClient({ baseUrl: stub.baseUrl, sleep: fake.sleep, random, now: () => 0 }) };
  }

  it('5xx twice then 201: three tries, jittered exponential delays', async () => {
    answers = [serverError(500), serverError(502)];
    const { fake, api } = client(() => 0.5);
    const token = await api.issueShortTermToken('lt_long_term_value');
    assert.equal(token.tokenId, 'tok_st_1');
    assert.equal(stub.requests.length, 3);
    assert.deepEqual(fake.delays, [0.5 * BACKOFF_BASE_MS, 0.5 * 2 * BACKOFF_BASE_MS]);
  });

  it('full jitter: random 0 -> no wait, random ~1 -> the whole window', async () => {
    answers = [serverError(503), serverError(503)];
    const low = client(() => 0);
    await low.api.issueShortTermToken('lt_long_term_value');
    assert.deepEqual(low.fake.delays, [0, 0]);
    answers = [serverError(503), serverError(503)];
    const high = client(() => 0.999999);
    await high.api.issueShortTermToken('lt_long_term_value');
    assert.deepEqual(high.fake.delays, [BACKOFF_BASE_MS - 1, 2 * BACKOFF_BASE_MS - 1]);
  });

  it('5xx three times: stops after 3 tries with the last error', async () => {
    answers = [serverError(500), serverError(503), serverError(504)];
    const { fake, api } = client();
    await rejectsWith(api.issueShortTermToken('lt_long_term_value'), { kind: 'http', status: 504, retryable: true });
    assert.equal(stub.requests.length, 3);
    assert.equal(fake.delays.length, 2);
  });

  it('dropped connections are retried as network errors', async () => {
    answers = [dropped, dropped];
    const { api } = client();
    await api.issueShortTermToken('lt_long_term_value');
    assert.equal(stub.requests.length, 3);
  });

  it('dropped connections three times -> kind network', async () => {
    answers = [dropped, dropped, dropped];
    const { api } = client();
    await rejectsWith(api.issueShortTermToken('lt_long_term_value'), {
      kind: 'network',
      code: 'network_error',
      retryable: true,
    });
    assert.equal(stub.requests.length, 3);
  });

  it('429 with a short Retry-After waits at least that long', async () => {
    answers = [serverError(429, { 'retry-after': '5' })];
    const { fake, api } = client(() => 0.5);
    await api.issueShortTermToken('lt_long_term_value');
    assert.deepEqual(fake.delays, [5000]);
    assert.equal(stub.requests.length, 2);
  });

  it(`429 with Retry-After beyond ${MAX_IN_CALL_RETRY_WAIT_MS / 1000} s: one request, fails at once with retryAfterMs`, async () => {
    answers = [serverError(429, { 'retry-after': '120' })];
    const { fake, api } = client();
    await rejectsWith(api.issueShortTermToken('lt_long_term_value'), {
      kind: 'http',
      status: 429,
      code: 'rate_limited',
      retryAfterMs: 120_000,
    });
    assert.equal(stub.requests.length, 1);
    assert.deepEqual(fake.delays, []);
  });

  for (const status of [400, 401, 403, 404]) {
    it(`${status} on the exchange is not retried`, async () => {
      answers = [serverError(status)];
      const { fake, api } = client();
      await rejectsWith(api.issueShortTermToken('lt_long_term_value'), { kind: 'http', status, retryable: false });
      assert.equal(stub.requests.length, 1);
      assert.deepEqual(fake.delays, []);
    });
  }

  it('a malformed 201 is not retried', async () => {
    answers = [(res) => reply(res, 201, tokenBody({ access_token: 'has space' }))];
    const { api } = client();
    await rejectsWith(api.issueShortTermToken('lt_long_term_value'), { kind: 'invalid_response' });
    assert.equal(stub.requests.length, 1);
  });

  for (const failure of ['503', '429', 'dropped connection'] as const) {
    it(`the long-term call is never retried (${failure})`, async () => {
      const answer = failure === 'dropped connection' ? dropped : serverError(Number(failure), { 'retry-after': '1' });
      answers = [answer, answer, answer];
      const { fake, api } = client();
      const error = await rejectsWith(
        api.issueLongTermToken({ mechanism: 'otp', clientId: 'c2m_demo', otpCode: '123456' }),
        {},
      );
      assert.equal(error.kind, failure === 'dropped connection' ? 'network' : 'http');
      assert.equal(stub.requests.length, 1);
      assert.deepEqual(fake.delays, []);
    });
  }

  it('revoke is never retried', async () => {
    answers = [serverError(503), serverError(503)];
    const { api } = client();
    await rejectsWith(api.revokeToken('tok_1', 'lt_long_term_value'), { kind: 'http', status: 503 });
    assert.equal(stub.requests.length, 1);
  });

  it('an abort during the backoff wait ends the exchange as aborted', async () => {
    answers = [serverError(503)];
    const controller = new AbortController();
    const api = createAuthClient({
      baseUrl: stub.baseUrl,
      random: () => 0.5,
      sleep: (_ms, signal) => {
        controller.abort();
        return signal?.aborted ? Promise.reject(new Error('aborted')) : Promise.resolve();
      },
    });
    await rejectsWith(api.issueShortTermToken('lt_long_term_value', { signal: controller.signal }), {
      kind: 'aborted',
    });
    assert.equal(stub.requests.length, 1);
  });

  it('the short-term body carries narrowed scopes and the token travels only in the Authorization header', async () => {
    const { api } = client();
    await api.issueShortTermToken('lt_long_term_value', { scopes: ['jobs:submit'] });
    const sent = stub.requests[0]!;
    assert.equal(sent.headers.authorization, 'Bearer lt_long_term_value');
    assert.deepEqual(JSON.parse(sent.body), { scopes: ['jobs:submit'] });
  });
});
