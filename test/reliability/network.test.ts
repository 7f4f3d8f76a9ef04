// Network and server faults: the token engine against the real sandbox over 127.0.0.1 with its fault
// hooks, on a fake clock. Each test starts with the table row it proves.
import { strict as assert } from 'node:assert';
import { inspect } from 'node:util';
import { createAuthClient } from '../../client/src/api/authClient';
import { recordKey } from '../../client/src/core/secretRecords';
import { DEMO_CLIENT_SECRET } from '../../sandbox/src/demo';
import { note } from '../support/reliability/ledger';
import { coreRejection, LONG_ROUTE, rigs, SHORT_ROUTE, tokenOf } from './rig';
import { viaContract } from '../support/prism/proxy';

const EXPIRED = 901_000; // past a 900 s short-term token
const PAST_REFRESH_POINT = 760_000; // past 80 % (minus jitter) of 900 s, still valid

describe('reliability: network and server', () => {
  viaContract();
  const world = rigs();

  for (const failure of ['DNS failure', 'refused connection'] as const) {
    it(`[N1] ${failure} while 50 callers wait: a still-valid token keeps working, then one shared error`, async () => {
      // Direct: with Prism in front, a stopped sandbox is Prism's 500, not a refused connection.
      const rig = await world.start({ direct: true });
      const n = note('N1', `${failure}: 50 callers past the refresh point, 50 after expiry`);
      let broken = false;
      // DNS: the exchange goes to a name that cannot resolve (.invalid, RFC 6761); refused: nothing listens any more.
      const dead = createAuthClient({
        baseUrl: 'https://c2m-reliability.invalid/v1',
        now: () => rig.clock.now(),
        sleep: () => Promise.resolve(),
      });
      const live = createAuthClient({
        baseUrl: rig.sandbox.baseUrl,
        now: () => rig.clock.now(),
        sleep: () => Promise.resolve(),
      });
      const engine = await rig.signedIn({
        autoRefresh: false,
        createClient: () => ({
          ...live,
          issueShortTermToken: (t, o) => (broken && failure === 'DNS failure' ? dead : live).issueShortTermToken(t, o),
        }),
      });
      const old = await engine.getShortTermToken();
      broken = true;
      if (failure === 'refused connection') await rig.sandbox.stop();
      rig.clock.jump(PAST_REFRESH_POINT);
      const during = await Promise.all(Array.from({ length: 50 }, () => engine.getShortTermToken()));
      n.fault(rig.failures.length);
      assert.ok(
        during.every((r) => r.value === old.value),
        'the cached token keeps working',
      );
      assert.equal(rig.failures.length, 1, 'one exchange for 50 callers, failed once');
      rig.clock.jump(EXPIRED - PAST_REFRESH_POINT + 60_000);
      const after = await Promise.allSettled(Array.from({ length: 50 }, () => engine.getShortTermToken()));
      n.fault(rig.failures.length - 1).done();
      const reasons = new Set(after.map((r) => (r.status === 'rejected' ? r.reason : 'fulfilled')));
      assert.equal(reasons.size, 1, 'every caller got the one shared error');
      const [error] = reasons as Set<Error>;
      assert.match(
        error!.message,
        failure === 'DNS failure' ? /ENOTFOUND|EAI_AGAIN|Could not reach/ : /ECONNREFUSED|Could not reach/,
      );
      assert.equal(rig.failures.length, 2);
    });
  }

  it('[N3] captive portal, 204/200 instead of 201, empty or 10 MB body, __proto__: nothing stored, clear message, no pollution', async () => {
    // Direct: these answers are outside the contract on purpose, and Prism would replace each with its 500.
    const { rig, engine } = await world.startSignedIn({ direct: true });
    const old = await engine.getShortTermToken();
    const key = recordKey('p1', 'short');
    const stored = await rig.store.get(key);
    const valid = (extra: string) =>
      `{"token_type":"Bearer","access_token":"eyJhbGciOiJIUzI1NiJ9.eyJ4IjoxfQ.c2ln","expires_in":900,"expires_at":"2030-01-01T00:00:00Z","scopes":["jobs:submit"],"token_id":"tok_st_evil"${extra}}`;
    const answers = [
      {
        what: 'captive portal 200 text/html',
        status: 200,
        body: '<html><body>Sign in to the Wi-Fi</body></html>',
        contentType: 'text/html',
        says: /200 where the contract says 201/,
      },
      {
        what: 'captive portal 201 text/html',
        status: 201,
        body: '<html>login</html>',
        contentType: 'text/html',
        says: /captive portal/,
      },
      {
        what: '204 no content',
        status: 204,
        body: undefined,
        contentType: undefined,
        says: /204 where the contract says 201/,
      },
      {
        what: '200 with a token body',
        status: 200,
        body: valid(''),
        contentType: 'application/json',
        says: /200 where the contract says 201/,
      },
      { what: 'empty 201', status: 201, body: '', contentType: 'application/json', says: /empty body/ },
      {
        what: '10 MB 201',
        status: 201,
        body: valid(`,"pad":"${'x'.repeat(10 * 1024 * 1024)}"`),
        contentType: 'application/json',
        says: /larger than/,
      },
      {
        what: '__proto__ key',
        status: 201,
        body: valid(',"__proto__":{"polluted":"yes"}'),
        contentType: 'application/json',
        says: /__proto__/,
      },
    ];
    const n = note('N3', `${answers.length} bad answers to the exchange: ${answers.map((a) => a.what).join(', ')}`);
    for (const answer of answers) {
      rig.sandbox.faults.forceStatus({
        route: SHORT_ROUTE,
        status: answer.status,
        times: 1,
        body: answer.body,
        ...(answer.contentType ? { contentType: answer.contentType } : {}),
      });
      const error = await coreRejection(engine.refreshShortTermToken('p1')).catch((e: Error) =>
        assert.fail(`${answer.what}: ${e.message}`),
      );
      n.badInput();
      assert.match(error.message, answer.says, answer.what);
      assert.doesNotMatch(error.message, /Sign in to the Wi-Fi|xxxxxxxx/, 'the body is not repeated');
      assert.equal(await rig.store.get(key), stored, `${answer.what}: nothing stored`);
      assert.equal(({} as Record<string, unknown>).polluted, undefined, `${answer.what}: no prototype pollution`);
      assert.equal((await engine.getShortTermToken()).value, old.value, `${answer.what}: the old token stays in use`);
    }
    n.done();
    assert.equal(rig.requests(SHORT_ROUTE), 1 + answers.length, 'no bad answer was retried');
  });

  it('[N4] 5xx on the exchange: at most 3 tries with jittered backoff; the old token stays in use until it expires', async () => {
    const rig = await world.start();
    const delays: number[] = [];
    const randoms = [0.9, 0.2, 0.6, 0.1];
    let r = 0;
    const client = (baseUrl: string) =>
      createAuthClient({
        baseUrl,
        now: () => rig.clock.now(),
        random: () => randoms[r++ % randoms.length]!,
        sleep: async (ms) => void delays.push(ms),
      });
    const engine = await rig.signedIn({ autoRefresh: false, createClient: client });
    const old = await engine.getShortTermToken();
    rig.sandbox.faults.forceStatus({
      route: SHORT_ROUTE,
      status: 503,
      body: { code: 'server_error', message: 'Down for maintenance.' },
    });
    const n = note('N4', 'every exchange answered 503: refresh point, still valid, then expired');
    const before = rig.requests(SHORT_ROUTE);
    rig.clock.jump(PAST_REFRESH_POINT);
    assert.equal((await engine.getShortTermToken()).value, old.value, 'still-valid token served during the outage');
    n.fault(rig.requests(SHORT_ROUTE) - before);
    assert.equal(rig.requests(SHORT_ROUTE) - before, 3, 'three tries, not more');
    assert.deepEqual(delays, [450, 200], 'backoff: random x 500 ms, then random x 1 s (full jitter)');
    // Further uses before the engine's own retry time send nothing: the token still works.
    await engine.getShortTermToken();
    assert.equal(rig.requests(SHORT_ROUTE) - before, 3);
    rig.clock.jump(EXPIRED - PAST_REFRESH_POINT);
    const error = await coreRejection(engine.getShortTermToken());
    n.fault(rig.requests(SHORT_ROUTE) - before - 3).done();
    assert.equal(error.apiCode, 'server_error');
    assert.equal(error.action, 'retry');
    assert.ok(rig.requests(SHORT_ROUTE) - before <= 6, 'expired: one more exchange of at most 3 tries');
    rig.sandbox.faults.reset();
    assert.equal((await engine.getShortTermToken()).info.status, 'valid', 'recovers on the next use');
  });

  it('[N5] 400 whose details echo the request: the user sees code and message only, no secret anywhere', async () => {
    const { rig, engine } = await world.startSignedIn();
    const long = await engine.getTokenValue('p1', 'long');
    const secrets = [DEMO_CLIENT_SECRET, long];
    const n = note('N5', '400 echoing client secret (issue) and long-term token (exchange) in message and details');
    rig.sandbox.faults.forceStatus({
      route: LONG_ROUTE,
      status: 400,
      times: 1,
      body: {
        code: 'invalid_request',
        message: 'Field scopes is malformed.',
        details: { client_secret: DEMO_CLIENT_SECRET, echo: `client_secret=${DEMO_CLIENT_SECRET}` },
      },
    });
    const issueError = await coreRejection(engine.rotateLongTermToken('p1'));
    rig.sandbox.faults.forceStatus({
      route: SHORT_ROUTE,
      status: 400,
      times: 1,
      body: {
        code: 'invalid_request',
        message: `Bad header Authorization: Bearer ${long}`,
        details: { authorization: `Bearer ${long}` },
      },
    });
    const exchangeError = await coreRejection(engine.refreshShortTermToken('p1'));
    n.badInput(2);
    assert.match(issueError.message, /Field scopes is malformed\. \(HTTP 400 invalid_request\)/);
    assert.match(exchangeError.message, /HTTP 400 invalid_request/);
    const surfaces = [
      issueError.message,
      issueError.stack ?? '',
      inspect(issueError, { depth: 10, showHidden: true }),
      exchangeError.message,
      exchangeError.stack ?? '',
      inspect(exchangeError, { depth: 10, showHidden: true }),
      ...rig.logs,
      inspect(rig.failures, { depth: 10 }),
    ].join('\n');
    const found = secrets.filter((s) => surfaces.includes(s)).length;
    n.secretsFound(found).done();
    assert.equal(found, 0);
    assert.equal(tokenOf(engine, 'long')?.status, 'valid', 'the old long-term token stays');
  });

  it('[N6] 401 on the exchange: storage re-read once, at most two requests, then the user is asked to re-issue', async () => {
    const { rig, engine } = await world.startSignedIn();
    await engine.getShortTermToken();
    const longKey = recordKey('p1', 'long');
    let longReads = 0;
    const get = rig.store.get.bind(rig.store);
    rig.store.get = (key) => {
      if (key === longKey) longReads++;
      return get(key);
    };
    rig.sandbox.faults.forceStatus({
      route: SHORT_ROUTE,
      status: 401,
      body: { code: 'invalid_token', message: 'Token rejected.' },
    });
    rig.clock.jump(EXPIRED);
    const before = rig.requests(SHORT_ROUTE);
    const readsBefore = longReads;
    const error = await coreRejection(engine.getShortTermToken());
    const n = note('N6', '401 on every exchange; long-term record reads and requests counted');
    n.fault(rig.requests(SHORT_ROUTE) - before);
    assert.equal(error.code, 'reissue_needed');
    assert.equal(error.action, 'issue', 'the user is offered Re-issue');
    assert.ok(rig.requests(SHORT_ROUTE) - before <= 2, 'at most two requests');
    assert.equal(longReads - readsBefore, 2, 'one read to start the exchange, one re-read after the 401');
    await coreRejection(engine.getShortTermToken());
    n.done();
    assert.ok(rig.requests(SHORT_ROUTE) - before <= 2, 'the rejected token is not sent again');
  });

  for (const route of [LONG_ROUTE, SHORT_ROUTE]) {
    it(`[N7] ${route === LONG_ROUTE ? 'a rotation' : 'an exchange'} whose 201 is lost (dropped after the sandbox issued it): the user keeps a working token`, async () => {
      // Direct: a connection the sandbox drops reaches the client through Prism as a 500, not as a lost answer.
      const { rig, engine } = await world.startSignedIn({ direct: true });
      const oldLong = tokenOf(engine, 'long')!;
      await engine.getShortTermToken();
      rig.sandbox.faults.dropConnection({ route, afterProcessing: true, times: 1 });
      const n = note('N7', `connection dropped after the sandbox issued the token (${route})`).fault();
      if (route === LONG_ROUTE) {
        assert.equal((await coreRejection(engine.rotateLongTermToken('p1'))).code, 'api');
        assert.equal(tokenOf(engine, 'long')?.tokenId, oldLong.tokenId, 'the old long-term token stays');
        rig.clock.jump(EXPIRED);
      } else {
        await engine.refreshShortTermToken('p1'); // the API client retries the exchange: a lost short-term token is harmless
      }
      // Working = the engine serves a short-term token and the stored long-term token is still accepted by the server.
      let working = 0;
      try {
        await engine.getShortTermToken();
        await createAuthClient({ baseUrl: rig.sandbox.baseUrl }).issueShortTermToken(
          await engine.getTokenValue('p1', 'long'),
        );
        working = 1;
      } catch {
        // counted as a lost token below
      }
      n.tokensLost(1 - working).done();
      assert.equal(working, 1, 'a working token after the lost answer');
    });
  }

  it('[N8] a rotation cancelled while the server holds its 201: the caller stops at once, the late token is stored and the old one revoked', async () => {
    const { rig, engine } = await world.startSignedIn();
    const oldLong = tokenOf(engine, 'long')!;
    const hold = rig.sandbox.faults.hold({ route: LONG_ROUTE, afterProcessing: true, times: 1 });
    const n = note(
      'N8',
      'rotation cancelled after its request left; the sandbox issued the token and held the 201',
    ).fault();
    const cancel = new AbortController();
    const rotating = engine.rotateLongTermToken('p1', { signal: cancel.signal });
    await hold.arrived();
    cancel.abort();
    assert.equal((await coreRejection(rotating)).code, 'aborted');
    assert.equal(tokenOf(engine, 'long')?.tokenId, oldLong.tokenId, 'nothing replaced before the answer');
    hold.release();
    await engine.idle();
    const newLong = tokenOf(engine, 'long');
    const stored =
      newLong !== undefined && newLong.tokenId !== oldLong.tokenId && !rig.sandbox.isRevoked(newLong.tokenId);
    n.tokensLost(stored ? 0 : 1).done();
    assert.ok(stored, 'the token of the late 201 is stored');
    assert.equal(rig.sandbox.isRevoked(oldLong.tokenId), true, 'and the rotation finished: the old one is revoked');
  });
});
