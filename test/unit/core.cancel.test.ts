// Cancelling an operation while the server hangs: the caller stops waiting at once, nothing more is sent (no retry
// after the cancel), a revoke's connection is closed, and a token the server issues for a request that had already
// left is stored or revoked when its answer comes, never dropped. Progress names each step and try; the profile's
// activity follows the requests. Real sandbox on 127.0.0.1 whose hold() keeps an answer until the test releases it
// (no timers, no sleeps); fake clock.
import { strict as assert } from 'node:assert';
import type { LateOutcome, OperationProgress } from '../../client/src/core/operation';
import { REVOKE_RETRY_CAP_MS } from '../../client/src/core/revoker';
import type { TokenEngine } from '../../client/src/core/tokenEngine';
import { DEMO_CLIENT_SECRET } from '../../sandbox/src/demo';
import { cleanup, info, LONG, rejection, REVOKE, SHORT, signedIn, world, type World } from '../support/coreWorld';

/** A cancel with its progress and late outcome recorded. */
function control() {
  const controller = new AbortController();
  const progress: string[] = [];
  let settleLate: (outcome: LateOutcome) => void = () => undefined;
  const late = new Promise<LateOutcome>((resolve) => (settleLate = resolve));
  return {
    controller,
    progress,
    late,
    control: {
      signal: controller.signal,
      onProgress: (p: OperationProgress) => void progress.push(`${p.step} ${p.attempt}/${p.tries}`),
      onLateOutcome: (outcome: LateOutcome) => settleLate(outcome),
    },
  };
}

async function secretSet(w: World, extra: Parameters<World['engine']>[0] = {}): Promise<TokenEngine> {
  const engine = w.engine({ autoRefresh: false, ...extra });
  await engine.ready;
  await engine.setClientSecret('p1', DEMO_CLIENT_SECRET);
  return engine;
}

describe('core engine: cancel while the server hangs', () => {
  afterEach(cleanup);

  it('issue: the caller stops waiting at once; the 201 the server sends afterwards is stored, not dropped', async () => {
    const w = await world();
    const engine = await secretSet(w);
    // Processed (the token exists at the server), its answer held: the lost-201 case a cancel must not create.
    const hold = w.sandbox.faults.hold({ route: LONG, afterProcessing: true, times: 1 });
    const c = control();
    const issuing = engine.issueLongTermToken('p1', c.control);
    await hold.arrived();
    assert.equal(engine.activity('p1'), 'issuing');
    c.controller.abort();
    const error = await rejection(issuing);
    assert.equal(error.code, 'aborted');
    assert.match(error.message, /Cancelled issuing the long-term token of "Sandbox".*stored, not lost/);
    assert.deepEqual(c.progress, ['issue_long 1/1']);
    assert.equal(info(engine, 'long'), undefined, 'nothing stored before the answer');
    assert.equal(hold.abandonedCount(), 0, 'the connection of a request that creates a token stays open');

    hold.release();
    const late = await c.late;
    assert.ok(late.ok, 'the late answer was handled');
    await engine.idle();
    const stored = info(engine, 'long');
    assert.ok(stored && stored.status === 'valid', 'the token the server issued is stored');
    assert.equal(late.info?.tokenId, stored.tokenId);
    assert.equal(w.sandbox.isRevoked(stored.tokenId), false);
    assert.equal(w.sandbox.stats().byRoute[LONG], 1, 'one request: never retried');
    assert.equal(engine.activity('p1'), undefined);
    assert.ok((await engine.getShortTermToken('p1')).value, 'and it works');
  });

  it('issue: a late 201 after the cancel that lost to a token stored meanwhile is revoked at the server', async () => {
    const w = await world();
    const engine = await secretSet(w);
    const hold = w.sandbox.faults.hold({ route: LONG, afterProcessing: true, times: 1 });
    const c = control();
    const issuing = engine.issueLongTermToken('p1', c.control);
    await hold.arrived();
    c.controller.abort();
    assert.equal((await rejection(issuing)).code, 'aborted');
    // The user tries again in another window (its request is not held) before the first answer arrives.
    const other = w.engine({ autoRefresh: false });
    await other.ready;
    const kept = await other.issueLongTermToken('p1');
    hold.release();
    await c.late;
    await engine.idle();
    const lost = w.journal.audits.find((a) => a.action === 'revoke' && a.kind === 'long' && a.tokenId !== kept.tokenId);
    assert.ok(lost, 'the late token was revoked');
    assert.equal(lost.outcome, 'done');
    assert.equal(w.sandbox.isRevoked(lost.tokenId), true);
    assert.equal(w.sandbox.isRevoked(kept.tokenId), false);
    assert.equal(info(engine, 'long')?.tokenId, kept.tokenId, 'the stored token stays');
  });

  it('refresh: no try after the cancel, and the cancel is no failure (no error state, no backoff)', async () => {
    const w = await world();
    const engine = await signedIn(w, { autoRefresh: false });
    const before = w.shortExchanges();
    w.sandbox.faults.forceStatus({
      route: SHORT,
      status: 503,
      body: { code: 'unavailable', message: 'down' },
      times: 2,
    });
    const c = control();
    let hold: ReturnType<typeof w.sandbox.faults.hold> | undefined;
    let held: (arrived: Promise<void>) => void = () => undefined;
    // Resolves (with the arrival it adopts) once try 2 is at the server.
    const secondTryHeld = new Promise<void>((resolve) => (held = resolve));
    const refreshing = engine.refreshShortTermToken('p1', {
      ...c.control,
      onProgress: (p) => {
        c.control.onProgress(p);
        // Try 2 is held (then answers 503): the cancel lands while it is out. Set before that try is sent.
        if (p.attempt === 2) {
          hold = w.sandbox.faults.hold({ route: SHORT, times: 1 });
          held(hold.arrived());
        }
      },
    });
    await secondTryHeld;
    assert.deepEqual(
      c.progress,
      ['refresh_short 1/3', 'refresh_short 2/3'],
      'the try numbers come from the retry policy',
    );
    assert.equal(engine.activity('p1'), 'refreshing');
    c.controller.abort();
    assert.equal((await rejection(refreshing)).code, 'aborted');
    hold?.release();
    const late = await c.late;
    assert.equal(late.ok, false);
    await engine.idle();
    assert.equal(w.shortExchanges() - before, 2, 'try 3 was never sent');
    assert.deepEqual(c.progress, ['refresh_short 1/3', 'refresh_short 2/3']);
    assert.equal(w.journal.failures.length, 0, 'no failure reported');
    assert.notEqual(info(engine, 'short')?.status, 'error');
    assert.equal(engine.activity('p1'), undefined);
    assert.ok(await engine.refreshShortTermToken('p1'), 'the next refresh goes out at once');
  });

  it('revoke: the abort reaches the socket; the token is no longer used here and its revoke is queued, then done', async () => {
    const w = await world();
    const engine = await signedIn(w, { autoRefresh: false });
    const long = info(engine, 'long');
    assert.ok(long);
    const hold = w.sandbox.faults.hold({ route: REVOKE, times: 1 });
    const c = control();
    const revoking = engine.revoke('p1', 'long', c.control);
    await hold.arrived();
    assert.equal(engine.activity('p1'), 'revoking');
    c.controller.abort();
    const error = await rejection(revoking);
    assert.equal(error.code, 'aborted');
    assert.match(error.message, /retried in the background/);
    await hold.abandoned(); // the server saw the client close the connection
    assert.deepEqual(c.progress, ['revoke_long 1/1']);
    assert.equal(info(engine, 'long')?.status, 'revoked', 'not used here any more');
    assert.deepEqual(engine.pendingRevokes(), [{ profileId: 'p1', tokenId: long.tokenId }]);
    assert.equal(w.journal.failures.length, 0, 'the command tells the user; no second report');
    assert.equal(engine.activity('p1'), undefined);
    w.clock.advance(REVOKE_RETRY_CAP_MS);
    await engine.idle();
    assert.deepEqual(engine.pendingRevokes(), []);
    assert.equal(w.sandbox.isRevoked(long.tokenId), true, 'the background retry revoked it');
  });

  it('sign out: signed out here at once; a cancelled revoke is queued for the background retries', async () => {
    const w = await world();
    const engine = await signedIn(w, { autoRefresh: false });
    const long = info(engine, 'long');
    assert.ok(long);
    const hold = w.sandbox.faults.hold({ route: REVOKE, times: 1 });
    const c = control();
    const signingOut = engine.signOut('p1', c.control);
    await hold.arrived();
    c.controller.abort();
    const error = await rejection(signingOut);
    assert.equal(error.code, 'aborted');
    assert.match(error.message, /Signed out of "Sandbox" here/);
    await hold.abandoned();
    assert.equal(info(engine, 'long'), undefined);
    assert.deepEqual(engine.pendingRevokes(), [{ profileId: 'p1', tokenId: long.tokenId }]);
  });

  it('a background refresh shows as refreshing, and a caller who joins it and cancels does not stop it', async () => {
    const w = await world({ shortTtlSeconds: 900 });
    const engine = await signedIn(w);
    await engine.getShortTermToken('p1');
    const hold = w.sandbox.faults.hold({ route: SHORT, times: 1 });
    w.clock.advance(900_000); // past the refresh point: the timer refresh starts
    await hold.arrived();
    assert.equal(engine.activity('p1'), 'refreshing');
    const c = control();
    const joined = engine.refreshShortTermToken('p1', c.control);
    c.controller.abort();
    assert.equal((await rejection(joined)).code, 'aborted');
    assert.equal(hold.abandonedCount(), 0);
    hold.release();
    assert.ok((await c.late).ok, 'the background refresh went on and stored its token');
    await engine.idle();
    assert.equal(info(engine, 'short')?.status, 'valid');
    assert.equal(engine.activity('p1'), undefined);
  });
});
