// Nothing left live that nobody holds, nothing said that did not happen: writes that race another window, store
// writes that fail after the server issued a token, revokes the server refuses, revokes a closed window left
// unfinished. Real sandbox on 127.0.0.1, fake clock; "another window" writes straight into the shared store.
import { strict as assert } from 'node:assert';
import type { AuthClient } from '../../client/src/api/authClient';
import type { IssuedToken } from '../../client/src/api/types';
import type { SecretStore } from '../../client/src/core/secretStore';
import { defaultLongTermScopes, missingLifecycleScopes } from '../../client/src/core/lifecycleScopes';
import { REVOKE_JOURNAL_KEY } from '../../client/src/core/revokeJournal';
import { recordKey } from '../../client/src/core/secretRecords';
import { cleanup, info, recordingClient, rejection, REVOKE, signedIn, world, type World } from '../support/coreWorld';
import { viaContract } from '../support/prism/proxy';

/** The shared store as one window sees it: its first read of `key` after arm() answers `stale` (read just before another window wrote). */
function staleOnce(w: World): SecretStore & { arm(key: string, stale: string): void } {
  let armed: { key: string; stale: string } | undefined;
  return {
    arm: (key, stale) => (armed = { key, stale }),
    async get(key) {
      if (armed?.key === key) {
        const { stale } = armed;
        armed = undefined;
        return stale;
      }
      return w.store.get(key);
    },
    store: (key, value) => w.store.store(key, value),
    delete: (key) => w.store.delete(key),
    onDidChange: (listener) => w.store.onDidChange(listener),
  };
}

/** The shared store with writes to keys matching `failing` refused while `refuse` is set. */
function refusing(w: World, failing: (key: string) => boolean): SecretStore & { refuse: boolean } {
  const s = {
    refuse: false,
    get: (key: string) => w.store.get(key),
    async store(key: string, value: string) {
      if (s.refuse && failing(key)) throw new Error('the keychain is locked');
      return w.store.store(key, value);
    },
    delete: (key: string) => w.store.delete(key),
    onDidChange: (listener: (key: string) => void) => w.store.onDidChange(listener),
  };
  return s;
}

/** A client that records every token id the server issued. */
function recording(w: World, issued: string[]): AuthClient {
  const record = (t: IssuedToken): void => void issued.push(t.tokenId);
  return recordingClient(w, { long: record, short: record });
}

/**
 * Windows a and b, where b rotated the long-term token and a's next read of the long-term record still sees the
 * record from before (a read just before b's write).
 */
async function rotatedBehindA() {
  const w = await world();
  const store = staleOnce(w);
  const a = await signedIn(w, { store, autoRefresh: false });
  const b = w.engine({ autoRefresh: false });
  await b.ready;
  const before = (await w.store.get(recordKey('p1', 'long')))!;
  const rotated = await b.rotateLongTermToken('p1');
  store.arm(recordKey('p1', 'long'), before);
  return { w, a, b, rotated };
}

describe('core engine: every write is compare-and-set', () => {
  viaContract();
  afterEach(cleanup);

  it('a revoke that read before another window rotated revokes the token stored now, not over it', async () => {
    const { w, a, b, rotated } = await rotatedBehindA();
    await a.revoke('p1', 'long');
    await Promise.all([a.idle(), b.idle()]);
    const stored = JSON.parse((await w.store.get(recordKey('p1', 'long')))!) as { state: string; tokenId: string };
    assert.equal(stored.tokenId, rotated.tokenId, 'the record names the token that was there');
    assert.equal(stored.state, 'revoked');
    assert.equal(w.sandbox.isRevoked(rotated.tokenId), true, 'the newer token is not left live with no owner');
  });

  it('a sign-out that read before another window rotated revokes the newer token too', async () => {
    const { w, a, b, rotated } = await rotatedBehindA();
    await a.signOut('p1');
    await Promise.all([a.idle(), b.idle()]);
    assert.equal((JSON.parse((await w.store.get(recordKey('p1', 'long')))!) as { state: string }).state, 'signed_out');
    assert.equal(w.sandbox.isRevoked(rotated.tokenId), true, 'signed out means no live token of the profile is left');
  });
});

describe('core engine: a token the server issued is stored, or revoked and the user told', () => {
  viaContract();
  afterEach(cleanup);

  it('a rotation whose store write fails revokes the new token and keeps the old one', async () => {
    const w = await world();
    const issued: string[] = [];
    const store = refusing(w, (key) => key === recordKey('p1', 'long'));
    const engine = await signedIn(w, { store, autoRefresh: false, createClient: () => recording(w, issued) });
    const old = info(engine, 'long')!;
    store.refuse = true;
    const error = await rejection(engine.rotateLongTermToken('p1'));
    store.refuse = false;
    await engine.idle();
    const fresh = issued.at(-1)!;
    assert.notEqual(fresh, old.tokenId);
    assert.equal(error.code, 'store_failed');
    assert.match(error.message, new RegExp(`${fresh}.*could not be stored.*revoked at the server`));
    assert.equal(w.sandbox.isRevoked(fresh), true, 'no live token nobody holds');
    assert.equal(info(engine, 'long')?.tokenId, old.tokenId, 'the old token stays in place');
    assert.equal(w.sandbox.isRevoked(old.tokenId), false);
  });

  it('an exchange whose store write fails revokes the new short-term token', async () => {
    const w = await world();
    const issued: string[] = [];
    const store = refusing(w, (key) => key === recordKey('p1', 'short'));
    const engine = await signedIn(w, { store, autoRefresh: false, createClient: () => recording(w, issued) });
    store.refuse = true;
    const error = await rejection(engine.getShortTermToken('p1'));
    store.refuse = false;
    await engine.idle();
    const fresh = issued.at(-1)!;
    assert.equal(error.code, 'store_failed');
    assert.match(error.message, new RegExp(fresh));
    assert.equal(w.sandbox.isRevoked(fresh), true);
  });

  it('a revoke unfinished when the window closes is reported by id at the next start, then done', async () => {
    const w = await world();
    const a = await signedIn(w, { autoRefresh: false });
    const old = info(a, 'long')!;
    w.sandbox.faults.forceStatus({ route: REVOKE, status: 503, times: 1 });
    await a.rotateLongTermToken('p1');
    assert.deepEqual(a.pendingRevokes(), [{ profileId: 'p1', tokenId: old.tokenId }]);
    a.dispose(); // the window closes before the retry
    assert.equal(w.sandbox.isRevoked(old.tokenId), false);
    const raw = await w.store.get(REVOKE_JOURNAL_KEY);
    assert.ok(raw?.includes(old.tokenId), 'the unfinished revoke is kept in secret storage');
    const failures = w.journal.failures.length;
    const b = w.engine({ autoRefresh: false });
    await b.ready;
    await b.idle();
    const told = w.journal.failures
      .slice(failures)
      .map((f) => f.error.message)
      .join('\n');
    assert.match(told, new RegExp(`${old.tokenId}.*may still be live`));
    assert.equal(w.sandbox.isRevoked(old.tokenId), true, 'revoked at the next start');
    assert.equal(await w.store.get(REVOKE_JOURNAL_KEY), undefined, 'and out of the journal');
    assert.ok(w.journal.audits.some((e) => e.action === 'revoke' && e.tokenId === old.tokenId && e.outcome === 'done'));
  });

  it('when the journal cannot be saved, the user hears which token ids may be live', async () => {
    const w = await world();
    const store = refusing(w, (key) => key === REVOKE_JOURNAL_KEY);
    const engine = await signedIn(w, { store, autoRefresh: false });
    const old = info(engine, 'long')!;
    store.refuse = true;
    w.sandbox.faults.forceStatus({ route: REVOKE, status: 503, times: 1 });
    await engine.rotateLongTermToken('p1');
    const told = w.journal.failures.map((f) => f.error.message).join('\n');
    assert.match(told, new RegExp(`could not be saved.*${old.tokenId}.*may still be live`));
    assert.deepEqual(
      engine.pendingRevokes(),
      [{ profileId: 'p1', tokenId: old.tokenId }],
      'kept in memory and retried',
    );
  });
});

describe('core engine: revokes that cannot revoke', () => {
  viaContract();
  afterEach(cleanup);

  it('the wizard proposes tokens:revoke (and tokens:write for step-up) by default', () => {
    assert.deepEqual(missingLifecycleScopes(defaultLongTermScopes('client_secret'), 'client_secret'), []);
    assert.deepEqual(missingLifecycleScopes(defaultLongTermScopes('short_term'), 'short_term'), []);
    assert.deepEqual(missingLifecycleScopes(['jobs:submit'], 'client_secret'), ['tokens:revoke']);
    assert.deepEqual(missingLifecycleScopes(['tokens:*'], 'short_term'), []);
  });

  it('a rotation without tokens:revoke says which token stays valid, until when and what to do; the audit says refused', async () => {
    const w = await world({ profile: { scopes: ['jobs:*'] } });
    const engine = await signedIn(w, { autoRefresh: false });
    const old = info(engine, 'long')!;
    assert.equal(engine.revokeCapability('p1').canRevoke, false);
    await engine.rotateLongTermToken('p1');
    await engine.idle();
    const failure = w.journal.failures.at(-1)!;
    assert.equal(failure.operation, 'revoke', 'reported as a revoke, not as a refresh');
    assert.match(
      failure.error.message,
      new RegExp(`${old.tokenId} stays valid at the server until ${new Date(old.expiresAt).toISOString()}`),
    );
    assert.match(failure.error.message, /tokens:revoke/);
    const revokes = w.journal.audits.filter((e) => e.action === 'revoke');
    assert.deepEqual(
      revokes.map((e) => [e.tokenId, e.outcome]),
      [[old.tokenId, 'refused']],
    );
    assert.equal(w.sandbox.isRevoked(old.tokenId), false);
  });

  it('a refused revoke of the short-term token says it stays valid; the audit never says done', async () => {
    const w = await world({ profile: { scopes: ['jobs:*'] } });
    const engine = await signedIn(w, { autoRefresh: false });
    const short = await engine.getShortTermToken('p1');
    const error = await rejection(engine.revoke('p1', 'short'));
    assert.match(error.message, new RegExp(`short-term token ${short.info.tokenId} stays valid at the server until`));
    assert.deepEqual(
      w.journal.audits.filter((e) => e.action === 'revoke').map((e) => e.outcome),
      ['refused'],
    );
  });

  it('with tokens:revoke the audit records the revoke as done', async () => {
    const w = await world();
    const engine = await signedIn(w, { autoRefresh: false });
    assert.equal(engine.revokeCapability('p1').canRevoke, true);
    const old = info(engine, 'long')!;
    await engine.revoke('p1', 'long');
    assert.deepEqual(
      w.journal.audits.filter((e) => e.action === 'revoke').map((e) => [e.tokenId, e.outcome]),
      [[old.tokenId, 'done']],
    );
  });
});
