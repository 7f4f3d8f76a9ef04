// Deadlines and cancellation: a stalling server ends in kind timeout (the deadline covers the body too), the caller's
// AbortSignal in kind aborted (a revoke's connection is closed; a token request that has left keeps it, so the token
// it creates still arrives), an unreachable port in kind network. Small real timeouts (tens of ms), no sleeps.
import { strict as assert } from 'node:assert';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServerResponse } from 'node:http';
import { createAuthClient, DEFAULT_TIMEOUT_MS } from '../../client/src/api/authClient';
import { fakeSleep, rejectsWith, reply, stubForSuite, tokenBody } from '../support/apiStubServer';

describe('api client: timeouts, aborts, unreachable servers', () => {
  const suite = stubForSuite();
  const stall = (): void => undefined;
  const stallAfterHeaders = (res: ServerResponse): void => {
    res.writeHead(201, { 'content-type': 'application/json' });
    res.write('{"token_type":"Bearer",');
  };
  const grant = { mechanism: 'client_secret', clientId: 'c2m_demo', clientSecret: 'pw-123456' } as const;

  it('defaults to a 15 s timeout', () => {
    assert.equal(DEFAULT_TIMEOUT_MS, 15_000);
  });

  it('no answer within timeoutMs -> kind timeout', async () => {
    suite.answer = stall;
    const error = await rejectsWith(
      createAuthClient({ baseUrl: suite.stub.baseUrl, timeoutMs: 40 }).issueLongTermToken(grant),
      {
        kind: 'timeout',
        code: 'timeout',
        retryable: true,
      },
    );
    assert.match(error.message, /within 40 ms/);
    assert.equal(suite.stub.requests.length, 1, 'long-term: no retry after a timeout');
  });

  it('headers arrive but the body stalls -> kind timeout', async () => {
    suite.answer = stallAfterHeaders;
    await rejectsWith(createAuthClient({ baseUrl: suite.stub.baseUrl, timeoutMs: 40 }).issueLongTermToken(grant), {
      kind: 'timeout',
    });
  });

  it('the short-term exchange retries timeouts, 3 tries in all', async () => {
    suite.answer = stall;
    const fake = fakeSleep();
    const api = createAuthClient({ baseUrl: suite.stub.baseUrl, timeoutMs: 30, sleep: fake.sleep, random: () => 0 });
    await rejectsWith(api.issueShortTermToken('lt_long_term_value'), { kind: 'timeout' });
    assert.equal(suite.stub.requests.length, 3);
    assert.equal(fake.delays.length, 2);
  });

  it("the caller's AbortSignal mid-request aborts a revoke: the connection closes -> kind aborted", async () => {
    const controller = new AbortController();
    let closed: Promise<void> | undefined;
    suite.answer = (res) => {
      closed = new Promise<void>((resolve) => res.once('close', () => resolve()));
      controller.abort();
    };
    await rejectsWith(
      createAuthClient({ baseUrl: suite.stub.baseUrl }).revokeToken('tok_lt_1', 'lt_long_term_value', {
        signal: controller.signal,
      }),
      {
        kind: 'aborted',
        retryable: false,
      },
    );
    assert.ok(closed, 'the revoke reached the server');
    await closed; // the server saw the client give up: the abort reached the socket
  });

  it('a cancel after an issue request left keeps its connection: the 201 still arrives and the call resolves with it', async () => {
    const controller = new AbortController();
    suite.answer = (res) => {
      controller.abort();
      setImmediate(() => reply(res, 201, tokenBody({ token_id: 'tok_lt_9' }), { 'x-token-id': 'tok_lt_9' }));
    };
    const token = await createAuthClient({ baseUrl: suite.stub.baseUrl }).issueLongTermToken(grant, {
      signal: controller.signal,
    });
    assert.equal(token.tokenId, 'tok_lt_9', 'the token the server issued reaches the caller, to be stored or revoked');
  });

  it('a cancel while a short-term try is out: that try ends as the server says, and no other try is sent', async () => {
    const controller = new AbortController();
    suite.answer = (res) => {
      controller.abort();
      setImmediate(() => reply(res, 503, { code: 'unavailable', message: 'down' }));
    };
    const tries: string[] = [];
    const fake = fakeSleep();
    const api = createAuthClient({ baseUrl: suite.stub.baseUrl, sleep: fake.sleep, random: () => 0 });
    await rejectsWith(
      api.issueShortTermToken('lt_long_term_value', {
        signal: controller.signal,
        onTry: (n, of) => tries.push(`${n}/${of}`),
      }),
      { kind: 'aborted' },
    );
    assert.equal(suite.stub.requests.length, 1);
    assert.deepEqual(tries, ['1/3']);
    assert.equal(fake.delays.length, 0, 'no backoff wait either');
  });

  it('onTry reports every try of the retry policy as it starts: 1/3, 2/3, 3/3; one try for the long-term token and a revoke', async () => {
    suite.answer = (res) => reply(res, 503, { code: 'unavailable', message: 'down' });
    const tries: string[] = [];
    const onTry = (n: number, of: number): void => void tries.push(`${n}/${of}`);
    const api = createAuthClient({ baseUrl: suite.stub.baseUrl, sleep: fakeSleep().sleep, random: () => 0 });
    await rejectsWith(api.issueShortTermToken('lt_long_term_value', { onTry }), { status: 503 });
    await rejectsWith(api.issueLongTermToken(grant, { onTry }), { status: 503 });
    await rejectsWith(api.revokeToken('tok_lt_1', 'lt_long_term_value', { onTry }), { status: 503 });
    assert.deepEqual(tries, ['1/3', '2/3', '3/3', '1/1', '1/1']);
  });

  it('an already aborted signal -> kind aborted, nothing sent', async () => {
    const controller = new AbortController();
    controller.abort();
    await rejectsWith(
      createAuthClient({ baseUrl: suite.stub.baseUrl }).issueShortTermToken('lt_long_term_value', {
        signal: controller.signal,
      }),
      {
        kind: 'aborted',
      },
    );
    assert.equal(suite.stub.requests.length, 0);
  });

  it("an abort while the body of a revoke's answer streams -> kind aborted", async () => {
    const controller = new AbortController();
    suite.answer = (res) => {
      stallAfterHeaders(res);
      setImmediate(() => controller.abort());
    };
    await rejectsWith(
      createAuthClient({ baseUrl: suite.stub.baseUrl }).revokeToken('tok_lt_1', 'lt_long_term_value', {
        signal: controller.signal,
      }),
      { kind: 'aborted' },
    );
  });

  it('a refused connection -> kind network naming the cause', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const error = await rejectsWith(
      createAuthClient({ baseUrl: `http://127.0.0.1:${port}/v1` }).issueLongTermToken(grant),
      {
        kind: 'network',
        code: 'network_error',
        retryable: true,
      },
    );
    assert.match(error.message, /ECONNREFUSED/);
  });
});
