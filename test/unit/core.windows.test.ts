// Windows whose SecretStorage is not shared (VS Code for the Web: every browser tab keeps its own copy of all secrets,
// loaded at start, and writes the whole copy back on every store; no change event reaches another tab), coordinating
// through the shared state file of windowChannel.ts. The file and the tabs' storage are in-memory fakes of exactly
// that behaviour; the server is the real sandbox on 127.0.0.1; time is one fake clock.
import { strict as assert } from 'node:assert';
import { FakeClock } from '../support/fakeClock';
import { Emitter } from '../../client/src/core/events';
import { recordKey } from '../../client/src/core/secretRecords';
import type { SecretStore } from '../../client/src/core/secretStore';
import { MemorySecretStore } from '../support/memorySecretStore';
import type { TokenEngine } from '../../client/src/core/tokenEngine';
import type { Disposable } from '../../client/src/core/tokenService';
import {
  claimLease,
  emptyState,
  MemorySharedFile,
  parseShared,
  slotOf,
  versionOfRaw,
  WindowChannel,
  type SharedFile,
} from '../../client/src/core/windowChannel';
import { DEMO_CLIENT_SECRET } from '../../sandbox/src/demo';
import { cleanup, info, LONG, rejection, SHORT, T0, world, type World } from '../support/coreWorld';
import { viaContract } from '../support/prism/proxy';

/** The browser's one localStorage item holding every secret, as VS Code for the Web keeps it. */
class BrowserLocalStorage {
  item = '{}';
  /** A new tab: its own copy of the secrets, read once now. */
  tab(): SecretStore {
    const copy = new Map<string, string>(Object.entries(JSON.parse(this.item) as Record<string, string>));
    const changed = new Emitter<string>();
    const save = () => (this.item = JSON.stringify(Object.fromEntries(copy)));
    return {
      get: async (key) => copy.get(key),
      store: async (key, value) => {
        copy.set(key, value);
        save();
        queueMicrotask(() => changed.fire(key));
      },
      delete: async (key) => {
        if (copy.delete(key)) save();
        queueMicrotask(() => changed.fire(key));
      },
      onDidChange: (listener): Disposable => changed.event(listener),
    };
  }
  read(key: string): string | undefined {
    return (JSON.parse(this.item) as Record<string, string>)[key];
  }
}

/** A file whose change notifications never arrive (a watcher that failed): only explicit re-reads see changes. */
function unwatched(file: SharedFile): SharedFile {
  return {
    read: () => file.read(),
    locked: (change) => file.locked(change),
    onDidChange: () => ({ dispose: () => undefined }),
  };
}

interface Window {
  engine: TokenEngine;
  channel: WindowChannel;
}

function openWindow(w: World, store: SecretStore, file: SharedFile, id: string, autoRefresh = false): Window {
  const channel = new WindowChannel({
    file,
    clock: w.clock,
    windowId: id,
    copyVersion: async (key) => versionOfRaw(await store.get(key)),
  });
  const engine = w.engine({ store, windows: channel, windowId: id, autoRefresh });
  return { engine, channel };
}

/** Waits until the engines and channels have no work left (file notifications are delivered as microtasks). */
async function settle(...windows: Window[]): Promise<void> {
  for (let i = 0; i < 3; i++) {
    for (const x of windows) {
      await x.channel.ready;
      await x.engine.idle();
    }
  }
}

const longOf = (x: Window) => info(x.engine, 'long');
const shortOf = (x: Window) => info(x.engine, 'short');

describe('windows: the coordination rules (pure)', () => {
  it('a lease lets one window refresh a token; another gets it only after expiry or for a newer token', () => {
    const state = emptyState();
    assert.deepEqual(claimLease(state, 'p1', 'tok_a', 'A', T0, 1000), { claimed: true, until: T0 + 1000 });
    assert.deepEqual(claimLease(state, 'p1', 'tok_a', 'B', T0 + 999, 1000), { claimed: false, until: T0 + 1000 });
    assert.equal(claimLease(state, 'p1', 'tok_a', 'A', T0 + 999, 1000).claimed, true, 'the holder renews');
    assert.equal(claimLease(state, 'p1', 'tok_a', 'B', T0 + 2000, 1000).claimed, true, 'expired: B takes over');
    assert.equal(claimLease(state, 'p1', 'tok_b', 'A', T0 + 2001, 1000).claimed, true, 'a lease covers one token');
  });

  it('the state file never holds a value: slots are built field by field, and a parsed file drops slots carrying one', () => {
    const canary = 'CANARY-SECRET-VALUE-0123456789';
    const meta = {
      tokenId: 'tok_1',
      scopes: ['a'],
      expiresIn: 900,
      receivedAt: T0,
      serverExpiresAt: 'x',
      fingerprint: 'f',
      origin: 'o',
      clientId: 'c',
    };
    assert.ok(!JSON.stringify(slotOf({ state: 'active', accessToken: canary, ...meta })).includes(canary));
    assert.ok(!JSON.stringify(slotOf({ value: canary, origin: 'o', clientId: 'c' })).includes(canary));
    const planted = JSON.stringify({
      v: 1,
      clock: 3,
      slots: { k: { version: 3, by: 'A', state: 'active', meta: { ...meta, accessToken: canary } } },
      leases: {},
    });
    assert.deepEqual(parseShared(planted).slots, {});
    assert.deepEqual(parseShared('not json'), emptyState());
  });

  it('versions come from one counter: writes of two windows to one key are ordered, and a window behind writes nothing', async () => {
    const clock = new FakeClock(T0);
    const file = new MemorySharedFile();
    const browser = new BrowserLocalStorage();
    const tabA = browser.tab();
    const tabB = browser.tab();
    const channel = (id: string, tab: SecretStore) =>
      new WindowChannel({
        file: file.window(),
        clock,
        windowId: id,
        copyVersion: async (k) => versionOfRaw(await tab.get(k)),
      });
    const a = channel('A', tabA);
    const b = channel('B', tabB);
    const write = (c: WindowChannel, tab: SecretStore, key: string) =>
      c.write(key, versionOfRaw(undefined), { state: 'signed_out' }, (version) =>
        tab.store(key, JSON.stringify({ version })),
      );
    assert.equal(await write(a, tabA, 'k1'), true);
    assert.equal(await write(a, tabA, 'k2'), true);
    assert.equal(versionOfRaw(browser.read('k2')), 2);
    // B's copy was loaded before A wrote: its write would put back B's whole copy, without k1 and k2.
    assert.equal(await write(b, tabB, 'k3'), false);
    assert.equal(await b.behind(), true);
    assert.equal(versionOfRaw(browser.read('k1')), 1, "A's records survive");
    assert.equal(browser.read('k3'), undefined);
    // A tab opened now (a reload) has the current copy and writes after everything written so far.
    const tabC = browser.tab();
    const c = channel('C', tabC);
    await c.ready;
    assert.equal(await write(c, tabC, 'k1'), true);
    assert.equal(versionOfRaw(browser.read('k1')), 3);
    assert.equal(versionOfRaw(browser.read('k2')), 2);
  });
});

describe('windows: a state file that cannot be used', () => {
  it('the record is still written and the window refreshes for itself: nothing the server issued is dropped', async () => {
    const broken: SharedFile = {
      read: async () => undefined,
      locked: async () => {
        throw new Error('EACCES');
      },
      onDidChange: () => ({ dispose: () => undefined }),
    };
    const logs: string[] = [];
    const store = new MemorySecretStore();
    const channel = new WindowChannel({
      file: broken,
      clock: new FakeClock(T0),
      windowId: 'A',
      copyVersion: async (k) => versionOfRaw(await store.get(k)),
      log: (l) => logs.push(l),
    });
    assert.equal(
      await channel.write('k', 4, { state: 'signed_out' }, (version) => store.store('k', JSON.stringify({ version }))),
      true,
    );
    assert.equal(versionOfRaw(await store.get('k')), 5);
    assert.deepEqual(await channel.claimRefresh('p1', 'tok'), { claimed: true });
    assert.ok(logs.some((l) => l.includes('EACCES')));
  });
});

describe('windows: two browser tabs on one code-server', () => {
  viaContract();
  afterEach(cleanup);

  async function twoTabs(opts: { autoRefresh?: boolean; watchB?: boolean } = {}) {
    const w = await world();
    const browser = new BrowserLocalStorage();
    const file = new MemorySharedFile();
    const a = openWindow(w, browser.tab(), file.window(), 'window-a', opts.autoRefresh);
    await a.engine.ready;
    await a.engine.setClientSecret('p1', DEMO_CLIENT_SECRET);
    await a.engine.issueLongTermToken('p1');
    await a.engine.getShortTermToken('p1');
    // B opens after A signed in: its copy holds A's tokens so far.
    const bFile = opts.watchB === false ? unwatched(file.window()) : file.window();
    const b = openWindow(w, browser.tab(), bFile, 'window-b', opts.autoRefresh);
    await settle(a, b);
    return { w, a, b, browser, file };
  }

  it('a rotation in A reaches B: B shows the new token, never exchanges with the revoked one, and says to reload', async () => {
    const { w, a, b, browser } = await twoTabs();
    const before = longOf(b)?.tokenId;
    const rotated = await a.engine.rotateLongTermToken('p1');
    await settle(a, b);
    assert.notEqual(rotated.tokenId, before);
    assert.equal(longOf(b)?.tokenId, rotated.tokenId, "B's tree shows A's new long-term token");
    assert.equal(longOf(b)?.status, 'valid');
    const exchanges = w.shortExchanges();
    const error = await rejection(b.engine.getShortTermToken('p1'));
    assert.equal(error.code, 'other_window');
    assert.equal(error.action, 'reload');
    assert.match(error.message, /Reload this window/);
    assert.equal(w.shortExchanges(), exchanges, 'B sent nothing with the revoked long-term token');
    // B's Rotate and Issue are refused before any request: never a second live long-term token.
    const issued = w.sandbox.stats().byRoute[LONG];
    assert.equal((await rejection(b.engine.rotateLongTermToken('p1'))).code, 'other_window');
    assert.equal((await rejection(b.engine.issueLongTermToken('p1'))).code, 'other_window');
    assert.equal(w.sandbox.stats().byRoute[LONG], issued);
    // Nothing B did dropped A's records.
    assert.equal(JSON.parse(browser.read(recordKey('p1', 'long')) ?? '{}').tokenId, rotated.tokenId);
  });

  it('a sign-out in A: B stops serving its copy of the revoked token and does not show it valid', async () => {
    const { a, b } = await twoTabs();
    assert.equal(shortOf(b)?.status, 'valid');
    await a.engine.signOut('p1');
    await settle(a, b);
    assert.equal((await rejection(b.engine.getShortTermToken('p1'))).code, 'other_window');
    assert.ok(
      !b.engine.tokens().some((t) => t.status === 'valid' || t.status === 'expiring'),
      JSON.stringify(b.engine.tokens()),
    );
  });

  it('a token issued in A after a sign-out: B, whose copy says "signed out", says to reload, never "issue one"', async () => {
    const { w, a, browser, file } = await twoTabs();
    await a.engine.signOut('p1');
    // B is opened (or reloaded) now: its copy holds the tombstones.
    const b = openWindow(w, browser.tab(), file.window(), 'window-b');
    await settle(a, b);
    await a.engine.issueLongTermToken('p1');
    await settle(a, b);
    assert.equal(longOf(b)?.tokenId, longOf(a)?.tokenId);
    const issued = w.sandbox.stats().byRoute[LONG];
    for (const attempt of [b.engine.refreshShortTermToken('p1'), b.engine.issueLongTermToken('p1')]) {
      const error = await rejection(attempt);
      assert.equal(error.code, 'other_window');
      assert.doesNotMatch(error.message, /issue one first/);
    }
    assert.equal(w.sandbox.stats().byRoute[LONG], issued, 'no second long-term token');
  });

  it('a 401 on a long-term token B did not revoke re-reads the shared state: the plain message, not "issue a new one"', async () => {
    const { w, a, b } = await twoTabs({ watchB: false });
    await a.engine.rotateLongTermToken('p1');
    await settle(a, b);
    // B missed the change (no notification) and its short-term token ran out: it tries its old long-term token once.
    w.clock.advance(16 * 60_000);
    const error = await rejection(b.engine.getShortTermToken('p1'));
    assert.equal(error.code, 'other_window');
    assert.doesNotMatch(error.message, /issue a new one/);
  });

  it('one window refreshes for all: two windows with timers make one exchange per lifetime', async () => {
    const { w, a, b } = await twoTabs({ autoRefresh: true });
    const start = w.shortExchanges();
    for (let minute = 1; minute <= 14; minute++) {
      w.clock.advance(60_000);
      await settle(a, b);
    }
    assert.equal(w.shortExchanges() - start, 1);
  });

  it('on a shared keychain (desktop) the refreshed token reaches the other window, which serves it without exchanging', async () => {
    const w = await world();
    const store = new MemorySecretStore();
    const file = new MemorySharedFile();
    const a = openWindow(w, store, file.window(), 'window-a', true);
    const b = openWindow(w, store, file.window(), 'window-b', true);
    await a.engine.ready;
    await a.engine.setClientSecret('p1', DEMO_CLIENT_SECRET);
    await a.engine.issueLongTermToken('p1');
    await a.engine.getShortTermToken('p1');
    await settle(a, b);
    const start = w.shortExchanges();
    for (let minute = 1; minute <= 14; minute++) {
      w.clock.advance(60_000);
      await settle(a, b);
    }
    assert.equal(w.shortExchanges() - start, 1);
    const fromA = await a.engine.getShortTermToken('p1');
    const fromB = await b.engine.getShortTermToken('p1');
    assert.equal(fromB.info.tokenId, fromA.info.tokenId);
    assert.equal(w.sandbox.stats().byRoute[SHORT], start + 1);
  });
});
