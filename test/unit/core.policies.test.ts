// Engine policies at their edges: a short-term token the server gave no token_id, which failed revokes are worth
// retrying (and when), and the long-term expiry reminder's window. Real sandbox on 127.0.0.1, fake clock.
import { strict as assert } from 'node:assert';
import { cleanup, info, rejection, REVOKE, SHORT, signedIn, world, type World } from '../support/coreWorld';
import { viaContract } from '../support/prism/proxy';

const DAY = 86_400_000;

/** Arms `count` 201 answers for the exchange without token_id (optional for short-term tokens in the contract). */
function answersWithoutTokenId(w: World, count: number): void {
  for (let i = 0; i < count; i++) {
    w.sandbox.faults.forceStatus({
      route: SHORT,
      status: 201,
      times: 1,
      body: {
        token_type: 'Bearer',
        access_token: `eyJhbGciOiJIUzI1NiJ9.eyJuIjoidW5uYW1lZCJ9.c2lnbmF0dXJl${i}`,
        expires_in: 900,
        expires_at: new Date(w.clock.now() + 900_000).toISOString(),
        scopes: ['jobs:*', 'tokens:*'],
      },
    });
  }
}

function revokeRequests(w: World): number {
  return w.sandbox.stats().byRoute[REVOKE] ?? 0;
}

describe('core engine: short-term tokens without token_id', () => {
  viaContract();
  afterEach(cleanup);

  it('each gets a local id of its own: refreshed at its refresh point, not on every use', async () => {
    const w = await world();
    const engine = await signedIn(w, { autoRefresh: false });
    answersWithoutTokenId(w, 10);
    const first = await engine.getShortTermToken();
    w.clock.jump(700_000); // past the first token's refresh point
    const second = await engine.getShortTermToken();
    assert.equal(w.shortExchanges(), 2);
    for (let i = 0; i < 5; i++) assert.equal((await engine.getShortTermToken()).value, second.value);
    assert.equal(w.shortExchanges(), 2, 'five uses of a fresh token send nothing');
    assert.match(first.info.tokenId, /^local_[0-9a-f]{16}$/);
    assert.notEqual(second.info.tokenId, first.info.tokenId);
    assert.equal(info(engine, 'short')?.status, 'valid');
  });

  it('revoking one sends nothing (the server cannot be told which) and drops it here', async () => {
    const w = await world();
    const engine = await signedIn(w, { autoRefresh: false });
    answersWithoutTokenId(w, 1);
    await engine.getShortTermToken();
    await engine.revoke('p1', 'short');
    assert.equal(revokeRequests(w), 0);
    assert.deepEqual(engine.pendingRevokes(), []);
    assert.equal(info(engine, 'short')?.status, 'revoked');
  });
});

describe('core engine: failed revokes are retried only when waiting can help', () => {
  viaContract();
  afterEach(cleanup);

  it('403 insufficient_scope ends the job at once, with a message that does not promise a retry', async () => {
    const w = await world();
    const engine = await signedIn(w);
    w.sandbox.faults.forceStatus({
      route: REVOKE,
      status: 403,
      body: { code: 'insufficient_scope', message: 'Needs tokens:revoke.' },
    });
    const error = await rejection(engine.revoke('p1', 'long'));
    assert.equal(error.status, 403);
    assert.equal(error.apiCode, 'insufficient_scope');
    assert.doesNotMatch(error.message, /will be retried/);
    assert.match(error.message, /cannot change that/);
    assert.equal(error.retryable, false);
    assert.deepEqual(engine.pendingRevokes(), []);
    w.clock.advance(3 * 3600_000);
    await engine.idle();
    assert.equal(revokeRequests(w), 1, 'asked once');
    assert.equal(info(engine, 'long')?.status, 'revoked', 'it is still dropped here');
  });

  it('503 with Retry-After: the retry waits for the server, then succeeds', async () => {
    const w = await world();
    const engine = await signedIn(w);
    const old = info(engine, 'long')!;
    w.sandbox.faults.forceStatus({ route: REVOKE, status: 503, headers: { 'Retry-After': '3600' }, times: 1 });
    await engine.rotateLongTermToken('p1');
    assert.deepEqual(engine.pendingRevokes(), [{ profileId: 'p1', tokenId: old.tokenId }]);
    assert.match(w.journal.failures.at(-1)!.error.message, /will be retried/);
    w.clock.advance(59 * 60_000);
    await engine.idle();
    assert.equal(revokeRequests(w), 1, 'nothing sent before the server said');
    w.clock.advance(2 * 60_000);
    await engine.idle();
    assert.equal(revokeRequests(w), 2);
    assert.equal(w.sandbox.isRevoked(old.tokenId), true);
    assert.deepEqual(engine.pendingRevokes(), []);
  });
});

describe('core engine: expiry reminder window (c2m.expiryWarningDays)', () => {
  viaContract();
  afterEach(cleanup);

  it('expiryWarningDays moves the reminder and the expiring status', async () => {
    const w = await world({ profile: { ttlDays: 8 } });
    const engine = await signedIn(w, { expiryWarningDays: 3 });
    w.clock.advance(DAY + 1000); // 7 days left: inside the default window, outside this one
    await engine.idle();
    assert.equal(w.journal.warnings.length, 0);
    assert.equal(info(engine, 'long')?.status, 'valid');
    w.clock.advance(4 * DAY); // under 3 days left
    await engine.idle();
    assert.equal(w.journal.warnings.length, 1);
    assert.ok(w.journal.warnings[0]!.daysLeft <= 3);
    assert.equal(info(engine, 'long')?.status, 'expiring');
  });

  it('0 turns it off; setExpiryWarningDays applies at once', async () => {
    const w = await world({ profile: { ttlDays: 8 } });
    const engine = await signedIn(w, { expiryWarningDays: 0 });
    w.clock.advance(7 * DAY);
    await engine.idle();
    assert.equal(w.journal.warnings.length, 0);
    assert.equal(info(engine, 'long')?.status, 'valid');
    engine.setExpiryWarningDays(7);
    assert.equal(w.journal.warnings.length, 1, 'a token already inside the new window is warned about now');
    assert.equal(info(engine, 'long')?.status, 'expiring');
    engine.setExpiryWarningDays(0);
    assert.equal(info(engine, 'long')?.status, 'valid');
  });
});
