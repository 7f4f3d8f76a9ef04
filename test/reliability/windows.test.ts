// Concurrency, two windows and the clock. "Two windows" = two TokenEngines on one MemorySecretStore,
// the "two host instances" form: both see every change event, as VS Code windows on one keychain do.
import { strict as assert } from 'node:assert';
import { createAuthClient, type AuthClient } from '../../client/src/api/authClient';
import { recordKey } from '../../client/src/core/secretRecords';
import type { TokenEngine } from '../../client/src/core/tokenEngine';
import { recordingClient } from '../support/coreWorld';
import { note } from '../support/reliability/ledger';
import { coreRejection, LONG_ROUTE, rigs, SHORT_ROUTE, tokenOf, type Rig } from './rig';
import { viaContract } from '../support/prism/proxy';

interface Record {
  state: string;
  version: number;
  tokenId?: string;
  accessToken?: string;
}

async function stored(rig: Rig, kind: 'long' | 'short'): Promise<Record | undefined> {
  const raw = await rig.store.get(recordKey('p1', kind));
  return raw === undefined ? undefined : (JSON.parse(raw) as Record);
}

/** Every value written to a key, in order (read back right after each change event). */
function history(rig: Rig, kind: 'long' | 'short'): Record[] {
  const seen: Record[] = [];
  rig.store.onDidChange((key) => {
    if (key === recordKey('p1', kind)) void stored(rig, kind).then((r) => r && seen.push(r));
  });
  return seen;
}

async function twoWindows(rig: Rig): Promise<[TokenEngine, TokenEngine]> {
  const a = await rig.signedIn();
  const b = rig.window();
  await a.getShortTermToken();
  await b.idle();
  return [a, b];
}

describe('reliability: concurrency', () => {
  viaContract();
  const world = rigs();

  it('[C1] 1,000 simultaneous getShortTermToken calls at the refresh point: one exchange, one token; a failure is shared, then retried', async () => {
    const { rig, engine } = await world.startSignedIn();
    const first = await engine.getShortTermToken();
    rig.clock.jump(760_000);
    const before = rig.requests(SHORT_ROUTE);
    const all = await Promise.all(Array.from({ length: 1000 }, () => engine.getShortTermToken()));
    const n = note(
      'C1',
      '1,000 calls at the refresh point; 1,000 more with every exchange failing (503); then one more',
    );
    assert.equal(rig.requests(SHORT_ROUTE) - before, 1, 'one exchange');
    assert.equal(new Set(all.map((r) => r.value)).size, 1, 'all got the same token');
    assert.notEqual(all[0]!.value, first.value);
    rig.clock.jump(901_000);
    rig.sandbox.faults.forceStatus({ route: SHORT_ROUTE, status: 503 });
    const failing = await Promise.allSettled(Array.from({ length: 1000 }, () => engine.getShortTermToken()));
    n.fault(rig.requests(SHORT_ROUTE) - before - 1);
    assert.ok(
      failing.every((r) => r.status === 'rejected'),
      'all fail',
    );
    assert.equal(new Set(failing.map((r) => (r as PromiseRejectedResult).reason)).size, 1, 'with the one shared error');
    assert.equal(rig.requests(SHORT_ROUTE) - before, 1 + 3, 'one exchange (3 tries) for 1,000 callers');
    rig.sandbox.faults.reset();
    n.done();
    assert.equal((await engine.getShortTermToken()).info.status, 'valid', 'the next call tries again');
  });

  it('[C2] revoke while a refresh is in flight: the revoke wins; the late token is discarded and never stored', async () => {
    const { rig, engine } = await world.startSignedIn();
    const first = await engine.getShortTermToken();
    const writes = history(rig, 'short');
    rig.sandbox.faults.latencyMs(50); // keeps the exchange in flight while the revoke lands
    const refreshing = coreRejection(engine.refreshShortTermToken('p1'));
    await engine.revoke('p1', 'short');
    const late = await refreshing;
    rig.sandbox.faults.latencyMs(0);
    await engine.idle();
    const n = note('C2', 'revoke issued while an exchange was in flight (50 ms sandbox latency)').fault();
    assert.equal(late.code, 'revoked');
    assert.ok(
      writes.every((r) => r.state === 'revoked'),
      'no active record written after the revoke',
    );
    assert.equal((await stored(rig, 'short'))?.tokenId, first.info.tokenId);
    assert.equal(tokenOf(engine, 'short')?.status, 'revoked');
    assert.equal(rig.sandbox.isRevoked(first.info.tokenId), true);
    n.done();
  });
});

describe('reliability: two windows on one secret store', () => {
  viaContract();
  const world = rigs();

  it('[W1] both reach the refresh point together: the stored version only moves forward, both end on one token', async () => {
    const rig = await world.start();
    const [a, b] = await twoWindows(rig);
    const versions = history(rig, 'short');
    const start = (await stored(rig, 'short'))!.version;
    const exchanges = rig.requests(SHORT_ROUTE);
    rig.clock.advance(760_000); // both windows' timers fire
    await Promise.all([a.idle(), b.idle()]);
    const n = note('W1', 'two engines (two host instances) on one MemorySecretStore, both timers at the refresh point');
    assert.ok(versions.length >= 1);
    assert.ok(rig.requests(SHORT_ROUTE) - exchanges <= 2, 'at most one exchange per window');
    assert.ok(
      versions.every((v, i) => v.version > (i === 0 ? start : versions[i - 1]!.version)),
      `versions ${versions.map((v) => v.version).join(',')}`,
    );
    const [va, vb] = await Promise.all([a.getShortTermToken(), b.getShortTermToken()]);
    n.tokensLost(va.value === vb.value ? 0 : 1).done();
    assert.equal(va.value, vb.value, 'both windows use one token');
  });

  it('[W2] one window rotates: the other picks the new token up without a prompt', async () => {
    const rig = await world.start();
    const [a, b] = await twoWindows(rig);
    const rotated = await a.rotateLongTermToken('p1');
    await b.idle();
    const n = note('W2', 'window A rotates the long-term token; window B uses it');
    assert.equal(tokenOf(b, 'long')?.tokenId, rotated.tokenId);
    const { value } = await b.getShortTermToken();
    assert.equal(rig.otpPrompts, 0, 'no prompt');
    n.tokensLost(value ? 0 : 1).done();
    assert.equal(tokenOf(b, 'short')?.status, 'valid');
  });

  it("[W3] one window signs out during the other's refresh: the token does not come back", async () => {
    const rig = await world.start();
    const [a, b] = await twoWindows(rig);
    const writes = history(rig, 'short');
    rig.sandbox.faults.latencyMs(50);
    const refreshing = coreRejection(a.refreshShortTermToken('p1'));
    await b.signOut('p1');
    const late = await refreshing;
    rig.sandbox.faults.latencyMs(0);
    await Promise.all([a.idle(), b.idle()]);
    const n = note('W3', 'window B signs out while window A exchanges (50 ms latency)').fault();
    assert.equal(late.code, 'revoked');
    assert.equal((await stored(rig, 'short'))?.state, 'signed_out');
    assert.ok(
      writes.every((r) => r.state !== 'active'),
      'the late token was never written',
    );
    assert.deepEqual(a.tokens(), []);
    assert.deepEqual(b.tokens(), []);
    n.done();
    assert.equal((await coreRejection(a.getShortTermToken())).code, 'no_long_token');
  });

  it('[W4] 100 quick writes from one window: the other re-reads without writing back', async () => {
    const rig = await world.start();
    const [a, b] = await twoWindows(rig);
    await Promise.all([a.idle(), b.idle()]);
    const base = (await stored(rig, 'short'))!;
    const writes = rig.store.writes;
    for (let i = 1; i <= 100; i++) {
      await rig.store.store(recordKey('p1', 'short'), JSON.stringify({ ...base, version: base.version + i }));
    }
    await Promise.all([a.idle(), b.idle()]);
    note('W4', '100 back-to-back writes of the short-term record; store writes counted').done();
    assert.equal(rig.store.writes - writes, 100, 'no window wrote anything back');
    assert.equal((await stored(rig, 'short'))?.version, base.version + 100);
  });

  it("[W5] one window revokes the long-term token during the other's first exchange: the new token is never served", async () => {
    const rig = await world.start();
    const b = await rig.signedIn({ autoRefresh: false });
    const writes = history(rig, 'short');
    // Window a gets its answer, then b's revoke lands before a stores it (b finds no child to revoke).
    const real = createAuthClient({ baseUrl: rig.baseUrl, now: () => rig.clock.now() });
    let revoking: Promise<void> | undefined;
    const racing: AuthClient = {
      ...real,
      async issueShortTermToken(long, opts) {
        const issued = await real.issueShortTermToken(long, opts);
        revoking ??= b.revoke('p1', 'long');
        await revoking;
        return issued;
      },
    };
    const a = rig.window({ autoRefresh: false, createClient: () => racing });
    await a.ready;
    const late = await coreRejection(a.getShortTermToken('p1'));
    await Promise.all([a.idle(), b.idle()]);
    const n = note(
      'W5',
      'window B revokes the long-term token while window A exchanges (answer held until the revoke is done)',
    ).fault();
    assert.equal(late.code, 'revoked');
    assert.ok(
      writes.every((r) => r.state !== 'active'),
      'the late token was never written as active',
    );
    n.done();
    for (const engine of [a, b]) {
      assert.notEqual(tokenOf(engine, 'short')?.status, 'valid');
      assert.equal((await coreRejection(engine.getShortTermToken('p1'))).code, 'no_long_token');
    }
  });

  it('[W6] both windows rotate at once: one token stored, the other revoked, none left live that nobody holds', async () => {
    const rig = await world.start();
    const issued: string[] = [];
    const recording = (): AuthClient => recordingClient(rig, { long: (token) => void issued.push(token.tokenId) });
    const a = await rig.signedIn({ autoRefresh: false, createClient: recording });
    const b = rig.window({ autoRefresh: false, createClient: recording });
    await b.ready;
    const [ra, rb] = await Promise.all([a.rotateLongTermToken('p1'), b.rotateLongTermToken('p1')]);
    await Promise.all([a.idle(), b.idle()]);
    const n = note('W6', 'windows A and B rotate the long-term token at the same moment').fault();
    assert.equal(rig.requests(LONG_ROUTE), 3, 'the first issue and two rotations');
    const kept = (await stored(rig, 'long'))?.tokenId;
    const live = issued.filter((id) => !rig.sandbox.isRevoked(id));
    n.tokensLost(kept !== undefined && live.includes(kept) ? 0 : 1).done();
    assert.deepEqual(live, [kept], 'only the stored token is alive at the server');
    assert.equal(ra.tokenId, kept);
    assert.equal(rb.tokenId, kept);
    assert.equal((await b.getShortTermToken()).info.status, 'valid');
  });
});

describe('reliability: clock', () => {
  viaContract();
  const world = rigs();

  for (const skewMs of [600_000, -600_000]) {
    it(`[K1] local clock 10 min ${skewMs > 0 ? 'behind' : 'ahead of'} the sandbox: fresh tokens are valid, skew reported, no refresh loop`, async () => {
      const rig = await world.start({ skewMs });
      const engine = await rig.signedIn();
      const { info } = await engine.getShortTermToken();
      assert.equal(info.status, 'valid');
      assert.equal(tokenOf(engine, 'long')?.status, 'valid');
      rig.clock.advance(30 * 60_000);
      await engine.idle();
      const n = note('K1', `sandbox clock ${skewMs > 0 ? '+' : '-'}10 min; 30 min of fake time`).fault();
      assert.ok(rig.skews.length >= 1 && Math.abs(rig.skews[0]!.skewMs - skewMs) < 2_000, 'skew detected and reported');
      const exchanges = rig.requests(SHORT_ROUTE);
      n.done();
      assert.ok(exchanges <= 4, `${exchanges} exchanges in 30 min of 15-min tokens: no loop`);
    });
  }

  it('[K2] a token with expires_in 60: refreshed about every 45 s, never in a loop', async () => {
    const rig = await world.start({ shortTtlSeconds: 60 });
    const engine = await rig.signedIn();
    await engine.getShortTermToken();
    for (let s = 0; s < 600; s += 5) {
      rig.clock.advance(5_000);
      await engine.idle();
      await engine.getShortTermToken();
    }
    const exchanges = rig.requests(SHORT_ROUTE);
    note('K2', '60 s tokens, a use every 5 s for 10 min of fake time').done();
    assert.ok(exchanges >= 11 && exchanges <= 16, `${exchanges} exchanges in 10 min`);
  });

  it('[K3] after a long sleep (no timer ran) the first use refreshes', async () => {
    const rig = await world.start();
    const engine = await rig.signedIn();
    const before = await engine.getShortTermToken();
    rig.clock.jump(8 * 3_600_000);
    const after = await engine.getShortTermToken();
    const n = note('K3', 'clock jumped 8 h without firing timers, then one use');
    n.tokensLost(after.info.status === 'valid' ? 0 : 1).done();
    assert.notEqual(after.value, before.value);
    assert.equal(after.info.status, 'valid');
  });
});
