// The fault hooks other tests rely on: each does what it says, only where it is aimed, and reset() ends it.
// Straight to the sandbox, not through Prism of the contract (viaContract): the hooks make answers outside the
// contract (200 text/html, 204, forced bodies) and transport faults, which Prism would turn into its own 500.
import { strict as assert } from 'node:assert';
import { DEMO_CLIENT, DEMO_CLIENT_ID, DEMO_TOTP_SECRET } from '../../sandbox/src/demo';
import { totp } from '../../sandbox/src/totp';
import { assertError, call, received, SandboxHarness, secretGrant } from '../support/sandboxHttp';

const LONG = 'POST /auth/tokens/long';
const SHORT = 'POST /auth/tokens/short';

/** How a request ended: answered, aborted by its signal, or cut by the server. */
function outcome(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'answered',
    (error: unknown) =>
      error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
        ? 'aborted'
        : 'socket error',
  );
}

describe('sandbox: fault hooks', function () {
  this.timeout(20_000);
  let h: SandboxHarness;
  beforeEach(async () => {
    h = await SandboxHarness.start({
      clients: [DEMO_CLIENT, { clientId: 'c2m_other', clientSecret: 'other-secret', allowedScopes: ['jobs:*'] }],
    });
  });
  afterEach(() => h.stop());

  const otpGrant = () => ({
    grant_type: 'client_credentials',
    client_id: DEMO_CLIENT_ID,
    otp_code: totp(DEMO_TOTP_SECRET, h.clock.ms),
  });

  it('all hooks are off by default', async () => {
    const long = await h.issueLong();
    await h.issueShort(long.token);
    assert.equal(h.sandbox.stats().requests, 2);
  });

  describe('latencyMs', () => {
    it('delays answers: a short delay still answers, a long one outlasts a client timeout', async () => {
      h.sandbox.faults.latencyMs(20);
      assert.equal((await h.long(secretGrant())).status, 201);
      h.sandbox.faults.latencyMs(60_000);
      const late = fetch(h.url('/auth/tokens/long'), {
        method: 'POST',
        body: JSON.stringify(secretGrant()),
        signal: AbortSignal.timeout(200),
      });
      assert.equal(await outcome(late), 'aborted');
      h.sandbox.faults.latencyMs(0);
      assert.equal((await h.long(secretGrant())).status, 201);
    });
  });

  describe('forceStatus', () => {
    it('answers the given status, body and headers on the chosen route, `times` times', async () => {
      h.sandbox.faults.forceStatus({
        route: LONG,
        status: 503,
        body: { code: 'unavailable', message: 'down' },
        headers: { 'Retry-After': '7' },
        times: 2,
      });
      for (let i = 0; i < 2; i++) {
        const reply = await h.long(secretGrant());
        assert.equal(reply.status, 503);
        assert.deepEqual(reply.json, { code: 'unavailable', message: 'down' });
        assert.equal(reply.headers.get('retry-after'), '7');
      }
      assert.equal((await h.long(secretGrant())).status, 201);
    });

    it('sends a string body as is with the given content type (a captive portal), and leaves other routes alone', async () => {
      const long = await h.issueLong();
      h.sandbox.faults.forceStatus({
        route: SHORT,
        status: 200,
        body: '<html>Sign in to Wi-Fi</html>',
        contentType: 'text/html',
      });
      for (let i = 0; i < 3; i++) {
        const reply = await h.short(long.token);
        assert.equal(reply.status, 200);
        assert.equal(reply.headers.get('content-type'), 'text/html');
        assert.equal(reply.text, '<html>Sign in to Wi-Fi</html>');
      }
      assert.equal((await h.long(secretGrant())).status, 201, 'another route is not affected');
      h.sandbox.faults.reset();
      assert.equal((await h.short(long.token)).status, 201);
    });

    it('a forced answer does no work: a forced 201 issues nothing and burns no code', async () => {
      h.sandbox.faults.forceStatus({
        route: '/auth/tokens/long',
        status: 201,
        body: { token_type: 'Bearer' },
        times: 1,
      });
      const grant = otpGrant();
      const fake = await h.long(grant);
      assert.equal(fake.status, 201);
      assert.deepEqual(fake.json, { token_type: 'Bearer' });
      assert.equal((await h.long(grant)).status, 201, 'the code still works');
    });

    it('can answer 204 and a large body', async () => {
      h.sandbox.faults.forceStatus({ route: LONG, status: 204, times: 1 });
      const empty = await h.long(secretGrant());
      assert.equal(empty.status, 204);
      assert.equal(empty.text, '');
      const big = 'x'.repeat(10 * 1024 * 1024);
      h.sandbox.faults.forceStatus({ status: 201, body: big, times: 1 });
      const reply = await h.long(secretGrant());
      assert.equal(reply.status, 201);
      assert.equal(reply.text.length, big.length);
    });
  });

  describe('dropConnection', () => {
    it('before processing: the client sees a socket error and nothing happened (the code still works)', async () => {
      h.sandbox.faults.dropConnection({ route: LONG, times: 1 });
      const grant = otpGrant();
      assert.equal(await outcome(h.long(grant)), 'socket error');
      assert.equal((await h.long(grant)).status, 201);
    });

    it('after processing (a lost 201): the work is done server-side but the client sees a socket error', async () => {
      h.sandbox.faults.dropConnection({ route: LONG, times: 1, afterProcessing: true });
      const grant = otpGrant();
      assert.equal(await outcome(h.long(grant)), 'socket error');
      assertError(await h.long(grant), 401, 'invalid_client'); // the code was spent on the token nobody received

      const admin = await h.issueLong();
      const victim = await h.issueLong();
      h.sandbox.faults.dropConnection({ route: 'POST /auth/tokens/{id}/revoke', afterProcessing: true, times: 1 });
      assert.equal(await outcome(h.revoke(victim.id, admin.token)), 'socket error');
      assert.equal(h.sandbox.isRevoked(victim.id), true);
    });
  });

  describe('stall', () => {
    it('never answers the chosen requests; later ones are answered; stop() ends the stalled one', async () => {
      h.sandbox.faults.stall({ route: SHORT, times: 1 });
      const long = await h.issueLong();
      const stalled = outcome(
        fetch(h.url('/auth/tokens/short'), { method: 'POST', headers: { Authorization: `Bearer ${long.token}` } }),
      );
      await received(h.sandbox, SHORT, 1);
      const next = fetch(h.url('/auth/tokens/short'), {
        method: 'POST',
        headers: { Authorization: `Bearer ${long.token}` },
        signal: AbortSignal.timeout(5000),
      });
      assert.equal((await next).status, 201, 'times: 1 -> the next request is answered');
      h.sandbox.faults.stall({ route: SHORT });
      const aborted = fetch(h.url('/auth/tokens/short'), {
        method: 'POST',
        headers: { Authorization: `Bearer ${long.token}` },
        signal: AbortSignal.timeout(200),
      });
      assert.equal(await outcome(aborted), 'aborted');
      await h.stop();
      assert.equal(await stalled, 'socket error');
    });
  });

  describe('hold', () => {
    it('keeps the chosen requests waiting until released, then answers them; later ones pass', async () => {
      const hold = h.sandbox.faults.hold({ route: LONG, times: 1 });
      let settled = false;
      const held = h.long(secretGrant()).finally(() => (settled = true));
      await hold.arrived();
      assert.equal(
        (await h.issueShort((await h.issueLong()).token)).token.length > 0,
        true,
        'times: 1 -> the next request is answered',
      );
      assert.equal(settled, false, 'still waiting for its answer');
      hold.release();
      assert.equal((await held).status, 201);
    });

    it('afterProcessing: the answer is held once the work is done; a client that gives up on it is seen', async () => {
      const hold = h.sandbox.faults.hold({ route: LONG, afterProcessing: true, times: 1 });
      const controller = new AbortController();
      const given = outcome(
        fetch(h.url('/auth/tokens/long'), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(secretGrant()),
          signal: controller.signal,
        }),
      );
      await hold.arrived();
      controller.abort();
      await hold.abandoned();
      assert.equal(hold.abandonedCount(), 1);
      assert.equal(await given, 'aborted');
      hold.release();
    });

    it('skip lets the first matching requests through: a hold on the second try only', async () => {
      const hold = h.sandbox.faults.hold({ route: LONG, skip: 1, times: 1 });
      assert.equal((await h.long(secretGrant())).status, 201, 'the first passes');
      const second = h.long(secretGrant());
      await hold.arrived();
      hold.release();
      assert.equal((await second).status, 201);
      assert.throws(() => h.sandbox.faults.hold({ skip: -1 }));
    });

    it('reset() and stop() release what is held', async () => {
      const first = h.sandbox.faults.hold({ route: LONG });
      const waiting = h.long(secretGrant());
      await first.arrived();
      h.sandbox.faults.reset();
      assert.equal((await waiting).status, 201);
      const second = h.sandbox.faults.hold({ route: SHORT });
      const long = await h.issueLong();
      const cut = outcome(
        fetch(h.url('/auth/tokens/short'), { method: 'POST', headers: { Authorization: `Bearer ${long.token}` } }),
      );
      await second.arrived();
      await h.stop();
      assert.equal(await cut, 'socket error');
    });
  });

  describe('rateLimit', () => {
    it('429 rate_limited with Retry-After and a message saying when, per client, until the window ends', async () => {
      h.sandbox.faults.rateLimit({ perClient: 2, windowMs: 60_000 });
      assert.equal((await h.long(secretGrant())).status, 201);
      h.clock.advance(15_000);
      assert.equal((await h.long(secretGrant())).status, 201);
      const limited = await h.long(secretGrant());
      assertError(limited, 429, 'rate_limited');
      assert.equal(limited.headers.get('retry-after'), '45');
      assert.match(limited.json.message, /45 seconds/);
      const other = await h.long(secretGrant({ client_id: 'c2m_other', client_secret: 'other-secret' }));
      assert.equal(other.status, 201, 'another client has its own budget');
      h.clock.advance(45_000);
      assert.equal((await h.long(secretGrant())).status, 201, 'a new window');
    });

    it('counts bearer calls against the token owner, sends a given Retry-After verbatim, and does not burn a code', async () => {
      const long = await h.issueLong();
      h.sandbox.faults.rateLimit({ perClient: 1, windowMs: 60_000, retryAfter: 'Wed, 01 Jan 2030 00:02:00 GMT' });
      assert.equal((await h.short(long.token)).status, 201);
      const limited = await h.short(long.token);
      assertError(limited, 429, 'rate_limited');
      assert.equal(limited.headers.get('retry-after'), 'Wed, 01 Jan 2030 00:02:00 GMT');
      assert.match(limited.json.message, /Wed, 01 Jan 2030 00:02:00 GMT/);
      const grant = otpGrant();
      assertError(await h.long(grant), 429, 'rate_limited');
      h.sandbox.faults.reset();
      assert.equal((await h.long(grant)).status, 201, 'the code survived the 429');
    });
  });

  it('reset() turns every hook off', async () => {
    const { faults } = h.sandbox;
    faults.latencyMs(60_000);
    faults.forceStatus({ status: 500 });
    faults.dropConnection({});
    faults.stall({});
    faults.rateLimit({ perClient: 0, windowMs: 1000 });
    faults.reset();
    const long = await h.issueLong();
    assert.equal((await h.resource((await h.issueShort(long.token)).token)).status, 200);
  });

  it('refuses nonsense rules', () => {
    assert.throws(() => h.sandbox.faults.forceStatus({ status: 42 }));
    assert.throws(() => h.sandbox.faults.stall({ times: 0 }));
    assert.throws(() => h.sandbox.faults.latencyMs(-1));
    assert.throws(() => h.sandbox.faults.rateLimit({ perClient: 1, windowMs: 0 }));
  });

  it('a forced 500 on one request does not disturb the next one on the same connection', async () => {
    h.sandbox.faults.forceStatus({ status: 500, body: 'boom', times: 1 });
    assert.equal((await call(h.url('/jobs'), { method: 'GET' })).status, 500);
    assert.equal((await h.long(secretGrant())).status, 201);
  });
});
