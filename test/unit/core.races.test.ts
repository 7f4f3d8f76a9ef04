// Races between operations on one profile, in one window and across windows on one store: a revoke against an
// exchange in flight, and two rotations at once. Real sandbox on 127.0.0.1, fake clock; the interleavings are
// forced by wrapping the API client (an operation lands exactly while another one's answer is on its way).
import { strict as assert } from 'node:assert';
import type { AuthClient } from '../../client/src/api/authClient';
import type { IssuedToken } from '../../client/src/api/types';
import { recordKey } from '../../client/src/core/secretRecords';
import type { TokenEngine } from '../../client/src/core/tokenEngine';
import {
  cleanup,
  exchangeThen,
  info,
  LONG,
  realClient,
  recordingClient,
  rejection,
  signedIn,
  world,
  type World,
} from '../support/coreWorld';
import { viaContract } from '../support/prism/proxy';

async function storedState(w: World, slot: 'long' | 'short'): Promise<string | undefined> {
  const raw = await w.store.get(recordKey('p1', slot));
  return raw === undefined ? undefined : (JSON.parse(raw) as { state: string }).state;
}

describe('core engine: a revoke beats an exchange in flight', () => {
  viaContract();
  afterEach(cleanup);

  it('revoke of the long-term token in another window while this one exchanges: nothing stored as active, nothing served', async () => {
    const w = await world();
    const b = await signedIn(w, { autoRefresh: false });
    // Window a has no short-term token yet, so b's revoke finds no child to revoke in the short-term slot.
    const a = w.engine({ autoRefresh: false, createClient: () => exchangeThen(w, () => b.revoke('p1', 'long')) });
    await a.ready;
    assert.equal((await rejection(a.getShortTermToken('p1'))).code, 'revoked');
    await a.idle();
    await b.idle();
    assert.notEqual(await storedState(w, 'short'), 'active');
    for (const engine of [a, b]) {
      assert.notEqual(info(engine, 'short')?.status, 'valid');
      assert.equal((await rejection(engine.getShortTermToken('p1'))).code, 'no_long_token');
    }
  });

  it('revoke in this window while the exchange waits to write: the write is refused inside the serialised write', async () => {
    const w = await world();
    const engine = await signedIn(w, { autoRefresh: false });
    const shortKey = recordKey('p1', 'short');
    let answered = false;
    let revoking: Promise<void> | undefined;
    const written: string[] = [];
    const real = realClient(w);
    const client: AuthClient = {
      ...real,
      async issueShortTermToken(long, opts) {
        const issued = await real.issueShortTermToken(long, opts);
        answered = true;
        return issued;
      },
    };
    const a = w.engine({ autoRefresh: false, createClient: () => client });
    await a.ready;
    const get = w.store.get.bind(w.store);
    const store = w.store.store.bind(w.store);
    // The first read of the short-term slot after the answer is the one inside the write: the revoke starts there.
    w.store.get = async (key) => {
      if (key === shortKey && answered && !revoking) revoking = a.revoke('p1', 'long');
      return get(key);
    };
    w.store.store = async (key, value) => {
      if (key === shortKey && revoking) written.push(value);
      return store(key, value);
    };
    assert.equal((await rejection(a.getShortTermToken('p1'))).code, 'revoked');
    await revoking;
    await a.idle();
    await engine.idle();
    assert.ok(revoking, 'the revoke started during the write');
    assert.ok(written.length > 0);
    assert.ok(
      written.every((v) => (JSON.parse(v) as { state: string }).state !== 'active'),
      'no active record written after the revoke began',
    );
    assert.equal((await rejection(a.getShortTermToken('p1'))).code, 'no_long_token');
  });

  it('a short-term token whose long-term token is revoked is never served, whatever its own record says', async () => {
    const w = await world();
    const engine = await signedIn(w, { autoRefresh: false });
    await engine.getShortTermToken();
    // What the race would leave behind: the long-term record revoked, its child still active.
    const key = recordKey('p1', 'long');
    const { accessToken: _value, ...long } = JSON.parse((await w.store.get(key))!) as Record<string, unknown> & {
      version: number;
    };
    await w.store.store(key, JSON.stringify({ ...long, state: 'revoked', version: long.version + 1 }));
    await engine.idle();
    assert.equal(await storedState(w, 'short'), 'active');
    assert.equal(info(engine, 'short')?.status, 'revoked');
    assert.equal((await rejection(engine.getShortTermToken())).code, 'no_long_token');
    assert.equal(w.shortExchanges(), 1);
  });
});

describe('core engine: two rotations at once', () => {
  viaContract();
  afterEach(cleanup);

  /** Every long-term token the server issued through this client, in order. */
  function recording(w: World, issued: IssuedToken[]): AuthClient {
    return recordingClient(w, { long: (token) => void issued.push(token) });
  }

  function liveAtServer(w: World, ids: string[]): string[] {
    return ids.filter((id) => !w.sandbox.isRevoked(id));
  }

  it('in two windows: the loser revokes the token it just issued and adopts the stored one; one live token', async () => {
    const w = await world();
    const issued: IssuedToken[] = [];
    const a = await signedIn(w, { autoRefresh: false, createClient: () => recording(w, issued) });
    const b = w.engine({ autoRefresh: false, createClient: () => recording(w, issued) });
    await b.ready;
    const [ra, rb] = await Promise.all([a.rotateLongTermToken('p1'), b.rotateLongTermToken('p1')]);
    await a.idle();
    await b.idle();
    assert.equal(issued.length, 3, 'the first issue and two rotations');
    const ids = issued.map((t) => t.tokenId);
    const stored = info(a, 'long')!.tokenId;
    assert.deepEqual(liveAtServer(w, ids), [stored], 'only the stored token is alive at the server');
    assert.equal(ra.tokenId, stored);
    assert.equal(rb.tokenId, stored);
    assert.equal(info(b, 'long')?.tokenId, stored);
    assert.equal((await a.getShortTermToken()).info.status, 'valid');
    assert.equal((await b.getShortTermToken()).info.status, 'valid');
  });

  it('twice in one window: one request, one new token, both callers get it', async () => {
    const w = await world();
    const issued: IssuedToken[] = [];
    const engine: TokenEngine = await signedIn(w, { autoRefresh: false, createClient: () => recording(w, issued) });
    const longRequests = w.sandbox.stats().byRoute[LONG];
    const [first, second] = await Promise.all([engine.rotateLongTermToken('p1'), engine.rotateLongTermToken('p1')]);
    await engine.idle();
    assert.equal(w.sandbox.stats().byRoute[LONG], (longRequests ?? 0) + 1);
    assert.equal(first.tokenId, second.tokenId);
    assert.deepEqual(
      liveAtServer(
        w,
        issued.map((t) => t.tokenId),
      ),
      [first.tokenId],
    );
  });
});
