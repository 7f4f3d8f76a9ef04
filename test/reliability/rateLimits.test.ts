// Rate limits: 429 with waiters on a fake clock, odd Retry-After values, and a 429 on a single-use OTP.
import { strict as assert } from 'node:assert';
import { createAuthClient } from '../../client/src/api/authClient';
import { C2mApiError } from '../../client/src/api/errors';
import { MAX_RETRY_AFTER_MS } from '../../client/src/api/retryAfter';
import { DEMO_CLIENT_ID } from '../../sandbox/src/demo';
import { note } from '../support/reliability/ledger';
import { coreRejection, LONG_ROUTE, rigs, SHORT_ROUTE, tokenOf } from './rig';
import { viaContract } from '../support/prism/proxy';

describe('reliability: rate limits', () => {
  viaContract();
  const world = rigs();

  it('[R1] 429 with Retry-After: 120 while 50 callers wait: one request, every waiter told when, nothing sent before then', async () => {
    const { rig, engine } = await world.startSignedIn();
    await engine.getShortTermToken();
    rig.clock.jump(901_000); // expired: every caller needs the exchange
    rig.sandbox.faults.forceStatus({
      route: SHORT_ROUTE,
      status: 429,
      headers: { 'Retry-After': '120' },
      body: { code: 'rate_limited', message: 'Slow down.' },
    });
    const before = rig.requests(SHORT_ROUTE);
    const limitedAt = rig.clock.now();
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => engine.getShortTermToken()));
    const n = note('R1', '429 Retry-After: 120 to 50 waiting callers; calls at +0, +60 s, +119 s, +120 s').fault();
    assert.equal(rig.requests(SHORT_ROUTE) - before, 1, 'exactly one request');
    for (const r of results) {
      assert.equal(r.status, 'rejected');
      const error = (r as PromiseRejectedResult).reason as { code: string; retryAt?: number; message: string };
      assert.equal(error.code, 'rate_limited');
      assert.equal(error.retryAt, limitedAt + 120_000, 'every waiter is told when to retry');
      assert.match(error.message, /Retry after 120 s/);
    }
    for (const step of [60_000, 59_000]) {
      rig.clock.jump(step);
      await coreRejection(engine.getShortTermToken());
    }
    assert.equal(rig.requests(SHORT_ROUTE) - before, 1, 'no request before Retry-After');
    rig.sandbox.faults.reset();
    rig.clock.jump(1_000);
    n.done();
    assert.equal((await engine.getShortTermToken()).info.status, 'valid', 'the first call after 120 s goes out');
    assert.equal(rig.requests(SHORT_ROUTE) - before, 2);
  });

  it('[R2] Retry-After as an HTTP-date, a past date, -5, abc, 1e9 and 10^12 s: sensible, capped waits', async () => {
    const rig = await world.start();
    const long = await (await rig.signedIn({ autoRefresh: false })).getTokenValue('p1', 'long');
    const now = rig.clock.now();
    const delays: number[] = [];
    const client = createAuthClient({
      baseUrl: rig.baseUrl,
      now: () => rig.clock.now(),
      random: () => 0.5,
      sleep: async (ms) => void delays.push(ms),
    });
    const forms: { label: string; value: string; wait: (ms: number | undefined) => boolean; tries: number }[] = [
      {
        label: 'HTTP-date +90 s -> 90 s',
        value: new Date(now + 90_000).toUTCString(),
        wait: (ms) => ms === 90_000,
        tries: 1,
      },
      // A past date means "now": retried inside the call after the usual backoff, never in a tight loop.
      {
        label: 'past date -> 0 s, backoff, 3 tries',
        value: new Date(now - 3_600_000).toUTCString(),
        wait: (ms) => ms === 0,
        tries: 3,
      },
      { label: '-5 -> 60 s', value: '-5', wait: (ms) => ms === 60_000, tries: 1 },
      { label: 'abc -> 60 s', value: 'abc', wait: (ms) => ms === 60_000, tries: 1 },
      { label: '1e9 -> 60 s', value: '1e9', wait: (ms) => ms === 60_000, tries: 1 },
      { label: '10^12 -> capped 1 h', value: '1000000000000', wait: (ms) => ms === MAX_RETRY_AFTER_MS, tries: 1 },
    ];
    const n = note('R2', `429 with Retry-After: ${forms.map((f) => f.label).join(', ')}`);
    for (const form of forms) {
      rig.sandbox.faults.reset();
      rig.sandbox.faults.forceStatus({
        route: SHORT_ROUTE,
        status: 429,
        headers: { 'Retry-After': form.value },
        body: { code: 'rate_limited', message: 'Slow down.' },
      });
      const before = rig.requests(SHORT_ROUTE);
      delays.length = 0;
      let error: unknown;
      await client.issueShortTermToken(long).catch((e: unknown) => (error = e));
      n.badInput();
      assert.ok(error instanceof C2mApiError, form.value);
      assert.ok(form.wait(error.retryAfterMs), `${form.value}: waits ${error.retryAfterMs} ms`);
      assert.ok(error.retryAfterMs! >= 0 && error.retryAfterMs! <= MAX_RETRY_AFTER_MS, 'capped');
      assert.equal(rig.requests(SHORT_ROUTE) - before, form.tries, `${form.value}: requests`);
      assert.ok(delays.every((d) => d >= 0 && d <= MAX_RETRY_AFTER_MS));
      if (form.tries > 1)
        assert.ok(
          delays.every((d) => d > 0),
          'a past date still backs off',
        );
    }
    n.done();
  });

  it('[R3] 429 on an OTP issue: no automatic retry; the next issue asks the user for a new code', async () => {
    const codes = ['otp-first-111', 'otp-second-222'];
    const rig = await world.start({
      clients: [{ clientId: DEMO_CLIENT_ID, oneTimeCodes: codes, allowedScopes: ['jobs:*', 'tokens:*'] }],
      profile: { mechanism: 'otp' },
      otpCodes: codes,
    });
    const engine = rig.window();
    rig.sandbox.faults.forceStatus({
      route: LONG_ROUTE,
      status: 429,
      times: 1,
      headers: { 'Retry-After': '1' },
      body: { code: 'rate_limited', message: 'Too many codes.' },
    });
    const error = await coreRejection(engine.issueLongTermToken('p1'));
    const n = note('R3', '429 (Retry-After: 1) on an OTP issue, then issue again').fault();
    assert.equal(error.code, 'rate_limited');
    assert.equal(rig.requests(LONG_ROUTE), 1, 'the single-use code is not retried, even with a 1 s Retry-After');
    assert.equal(rig.otpPrompts, 1);
    await engine.issueLongTermToken('p1');
    n.done();
    assert.equal(rig.otpPrompts, 2, 'a new code was asked for');
    assert.equal(rig.requests(LONG_ROUTE), 2);
    assert.equal(tokenOf(engine, 'long')?.status, 'valid');
  });
});
