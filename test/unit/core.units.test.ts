// The small core modules on their own: fake clock, refresh policy, single flight, versioned records, profile checks.
import { strict as assert } from 'node:assert';
import { FakeClock } from '../support/fakeClock';
import { toCoreError } from '../../client/src/core/errors';
import {
  parseScopes,
  validateBaseUrl,
  validateProfile,
  validateScopes,
  validateTtlDays,
} from '../../client/src/core/profile';
import { RecordStore } from '../../client/src/core/recordStore';
import {
  clockSkewOf,
  isReportableSkew,
  longTermState,
  needsRefresh,
  refreshPointOf,
  shortTermState,
  wokeUp,
} from '../../client/src/core/refreshPolicy';
import { decodeTokenRecord, parseRecordKey, recordKey } from '../../client/src/core/secretRecords';
import { MemorySecretStore } from '../support/memorySecretStore';
import { CancellableFlight } from '../../client/src/core/operation';

const T0 = Date.UTC(2026, 0, 1);

describe('core: fake clock', () => {
  it('fires due timers in time order, including timers they schedule, and never early', () => {
    const clock = new FakeClock(T0);
    const fired: string[] = [];
    clock.setTimer(200, () => fired.push(`b@${clock.now() - T0}`));
    clock.setTimer(100, () => {
      fired.push(`a@${clock.now() - T0}`);
      clock.setTimer(50, () => fired.push(`c@${clock.now() - T0}`));
    });
    const cancelled = clock.setTimer(120, () => fired.push('cancelled'));
    cancelled.dispose();
    clock.advance(99);
    assert.deepEqual(fired, []);
    clock.advance(200);
    assert.deepEqual(fired, ['a@100', 'c@150', 'b@200']);
    assert.equal(clock.now(), T0 + 299);
  });

  it('jump() moves time without firing anything (a sleeping machine)', () => {
    const clock = new FakeClock(T0);
    let fired = false;
    clock.setTimer(10, () => (fired = true));
    clock.jump(3_600_000);
    assert.equal(fired, false);
    clock.advance(0);
    assert.equal(fired, true);
  });
});

describe('core: refresh policy', () => {
  const token = { receivedAt: T0, expiresIn: 900 };

  it('refreshes at 80% of the lifetime minus up to 10% jitter', () => {
    assert.equal(
      refreshPointOf(token, () => 0),
      T0 + 720_000,
    );
    assert.equal(
      refreshPointOf(token, () => 0.999999),
      T0 + 720_000 - Math.round(0.999999 * 90_000 * 1000) / 1000,
    );
    assert.ok(
      refreshPointOf(token, () => 0.5) < refreshPointOf(token, () => 0.1),
      'different windows refresh at different times',
    );
  });

  it('needs a refresh at the refresh point or when less than the wanted validity remains (capped at half the lifetime)', () => {
    const at = refreshPointOf(token, () => 0);
    assert.equal(needsRefresh(token, at, T0 + 1000), false);
    assert.equal(needsRefresh(token, at, at), true);
    assert.equal(needsRefresh(token, at, T0 + 600_000, 400_000), true, '300 s left < 400 s wanted');
    // Asking for more than a fresh token can give must not force an exchange on every call.
    assert.equal(needsRefresh(token, at, T0 + 1000, 3_600_000), false);
  });

  it('states come from receipt time and expires_in only', () => {
    const at = refreshPointOf(token, () => 0);
    assert.equal(shortTermState(token, at, T0), 'valid');
    assert.equal(shortTermState(token, at, at + 1), 'expiring');
    assert.equal(shortTermState(token, at, T0 + 900_000), 'expired');
    const long = { receivedAt: T0, expiresIn: 30 * 86_400 };
    assert.equal(longTermState(long, T0), 'valid');
    assert.equal(longTermState(long, T0 + 23 * 86_400_000 + 1), 'expiring');
    assert.equal(longTermState(long, T0 + 30 * 86_400_000), 'expired');
  });

  it('estimates clock skew from expires_at and reports only beyond 2 minutes', () => {
    const ahead = clockSkewOf({ ...token, serverExpiresAt: new Date(T0 + 900_000 + 600_000).toISOString() });
    assert.equal(ahead, 600_000);
    assert.equal(isReportableSkew(ahead), true);
    assert.equal(
      isReportableSkew(clockSkewOf({ ...token, serverExpiresAt: new Date(T0 + 900_000 - 1000).toISOString() })),
      false,
    );
    assert.equal(clockSkewOf({ ...token, serverExpiresAt: 'not a date' }), undefined);
  });

  it('tells a late timer (wake from sleep) from a punctual one', () => {
    assert.equal(wokeUp(T0, T0 + 5000), false);
    assert.equal(wokeUp(T0, T0 + 3_600_000), true);
  });
});

describe('core: single flight', () => {
  it('shares one operation among concurrent callers, failure included, and never caches a failure', async () => {
    const flight = new CancellableFlight<number>();
    let calls = 0;
    const failing = () => {
      calls++;
      return Promise.reject(new Error('boom'));
    };
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => flight.run('k', failing)));
    assert.equal(calls, 1);
    assert.ok(results.every((r) => r.status === 'rejected' && (r.reason as Error).message === 'boom'));
    assert.equal(await flight.run('k', async () => ++calls), 2, 'the next call starts a new operation');
  });

  it('a synchronous throw is shared and forgotten too', async () => {
    const flight = new CancellableFlight<number>();
    const boom = (): Promise<number> => {
      throw new Error('sync');
    };
    await assert.rejects(flight.run('k', boom), /sync/);
    assert.equal(flight.has('k'), false);
  });
});

describe('core: versioned records', () => {
  const body = {
    state: 'active' as const,
    accessToken: 'value-1',
    origin: 'https://a.example:443',
    clientId: 'c',
    tokenId: 't1',
    scopes: ['jobs:*'],
    expiresIn: 900,
    receivedAt: T0,
    serverExpiresAt: '2026-01-01T00:15:00Z',
    fingerprint: 'f',
  };

  it('names one key per secret and parses keys back', () => {
    assert.equal(recordKey('p1', 'client_secret'), 'c2m/p1/client_secret');
    assert.deepEqual(parseRecordKey('c2m/p1/short'), { profileId: 'p1', slot: 'short' });
    assert.equal(parseRecordKey('other/p1/short'), undefined);
  });

  it('moves versions forward and refuses a compare-and-set against a newer record', async () => {
    const store = new MemorySecretStore();
    const records = new RecordStore(store, 'w1', () => assert.fail('nothing is corrupt'));
    assert.equal(await records.writeToken('p1', 'short', body, 0), true);
    assert.equal((await records.readToken('p1', 'short')).version, 1);
    assert.equal(await records.writeToken('p1', 'short', { state: 'signed_out' }, 1), true);
    assert.equal(await records.writeToken('p1', 'short', { ...body, tokenId: 't2' }, 1), false, 'stale writer loses');
    const read = await records.readToken('p1', 'short');
    assert.equal(read.version, 2);
    assert.equal(read.record?.state, 'signed_out');
  });

  it('reports an unreadable record once, without its content, and treats it as absent', async () => {
    const store = new MemorySecretStore();
    const reports: string[] = [];
    const records = new RecordStore(store, 'w1', (id, slot) => reports.push(`${id}/${slot}`));
    await store.store(recordKey('p1', 'long'), '{"v":1,"version":3,"writtenBy":"x","state":"active"');
    assert.deepEqual(await records.readToken('p1', 'long'), { version: 3, damaged: true });
    await records.readToken('p1', 'long');
    assert.deepEqual(reports, ['p1/long']);
    assert.equal(decodeTokenRecord(JSON.stringify({ ...body, v: 2, version: 1, writtenBy: 'x' })).status, 'corrupt');
    assert.equal(
      decodeTokenRecord(JSON.stringify({ ...body, v: 1, version: 1, writtenBy: 'x', scopes: 'jobs' })).status,
      'corrupt',
    );
  });

  it('rewrites a damaged record above every version it carried or this window saw, so other windows take it', async () => {
    const store = new MemorySecretStore();
    const records = new RecordStore(store, 'w1', () => undefined);
    // A record of a newer format (other windows may read it as version 9), and one that is not JSON at all.
    await store.store(
      recordKey('p1', 'long'),
      JSON.stringify({ ...body, v: 1, version: 9, writtenBy: 'x', state: 'future' }),
    );
    const damaged = await records.readToken('p1', 'long');
    assert.equal(await records.writeToken('p1', 'long', body, damaged.version), true);
    assert.equal((await records.readToken('p1', 'long')).version, 10);
    await store.store(recordKey('p1', 'long'), 'garbage');
    const garbage = await records.readToken('p1', 'long');
    assert.equal(await records.writeToken('p1', 'long', body, garbage.version), true);
    assert.equal((await records.readToken('p1', 'long')).version, 11, 'past the version this window saw last');
  });

  it('updateToken decides on the record stored at write time and retries when another writer got in between', async () => {
    const store = new MemorySecretStore();
    const records = new RecordStore(store, 'w1', () => undefined);
    await records.writeToken('p1', 'long', body, 0);
    let first = true;
    const { seen, written } = await records.updateToken('p1', 'long', ({ record }) => {
      if (first) {
        first = false;
        // Another window rotates between this read and the write: the write must not replace its token blindly.
        void store.store(
          recordKey('p1', 'long'),
          JSON.stringify({ ...body, tokenId: 't2', v: 1, version: 2, writtenBy: 'w2' }),
        );
      }
      return record?.state === 'active' ? { state: 'signed_out' } : undefined;
    });
    assert.equal(written, true);
    assert.deepEqual(
      seen.map((r) => (r.record?.state === 'active' ? r.record.tokenId : r.record?.state)),
      ['t1', 't2'],
    );
    assert.equal((await records.readToken('p1', 'long')).record?.state, 'signed_out');
  });
});

describe('core: profile validation', () => {
  it('accepts a good profile and names every problem of a bad one', () => {
    const good = {
      id: 'sandbox',
      name: 'Sandbox',
      baseUrl: 'http://127.0.0.1:8080/v1',
      clientId: 'c2m_demo',
      mechanism: 'otp' as const,
      scopes: ['jobs:*'],
    };
    assert.deepEqual(validateProfile(good), []);
    const bad = validateProfile({
      id: '',
      name: ' ',
      baseUrl: 'http://api.example.com/v1',
      clientId: 'a b',
      scopes: [],
      ttlDays: 365,
    });
    assert.equal(bad.length, 7, bad.join('\n'));
    assert.match(validateBaseUrl('http://api.example.com/v1') ?? '', /https/);
    assert.equal(validateBaseUrl('https://api.example.com/v1'), undefined);
    assert.deepEqual(parseScopes('jobs:submit, templates:read  tokens:*'), [
      'jobs:submit',
      'templates:read',
      'tokens:*',
    ]);
    assert.match(validateScopes(['jobs submit']) ?? '', /Not a valid scope/);
    assert.equal(validateTtlDays(90), undefined);
  });
});

describe('core: errors', () => {
  it('an unexpected error keeps no cause and masks the known secrets in its message, as API errors do', () => {
    const secret = 'CANARY-opaque-3c9e'; // matches no redaction pattern: only the known list can mask it
    const error = toCoreError(new Error(`keychain said ${secret}`), 'Storing failed', T0, [secret]);
    assert.equal(error.code, 'api');
    assert.match(error.message, /^Storing failed: unexpected Error: keychain said /);
    assert.ok(!error.message.includes(secret));
    assert.equal(error.cause, undefined);
  });
});
