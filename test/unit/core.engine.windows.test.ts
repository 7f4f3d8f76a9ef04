// The token engine against the real sandbox over 127.0.0.1, with a fake clock: two windows on one secret store,
// lifetime, origin binding and damaged records, canary secrets that must never surface, narrowed short-term tokens.
import { strict as assert } from 'node:assert';
import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import { recordKey } from '../../client/src/core/secretRecords';
import { TokenEngine } from '../../client/src/core/tokenEngine';
import { DEMO_CLIENT_SECRET, DEMO_TOTP_SECRET } from '../../sandbox/src/demo';
import { startSandbox, type SandboxClientConfig } from '../../sandbox/src/server';
import {
  cleanup,
  info,
  LONG,
  rejection,
  REVOKE,
  sandboxes,
  SHORT,
  signedIn,
  T0,
  world,
  type World,
} from '../support/coreWorld';
import { viaContract } from '../support/prism/proxy';

describe('core engine: two windows on one secret store', () => {
  viaContract();
  afterEach(cleanup);

  function versionsOf(w: World, key: string): number[] {
    const seen: number[] = [];
    w.store.onDidChange((k) => {
      if (k !== key) return;
      void w.store.get(k).then((raw) => raw && seen.push((JSON.parse(raw) as { version: number }).version));
    });
    return seen;
  }

  /** Window a signed in with a short-term token; window b on the same store, caught up. */
  async function twoWindows(w: World): Promise<[TokenEngine, TokenEngine]> {
    const a = await signedIn(w);
    const b = w.engine();
    await a.getShortTermToken();
    await b.idle();
    return [a, b];
  }

  it('both reach the refresh point together: the stored version only moves forward, both end on one token', async () => {
    const w = await world();
    const [a, b] = await twoWindows(w);
    const versions = versionsOf(w, recordKey('p1', 'short'));
    w.clock.advance(676_000);
    await a.idle();
    await b.idle();
    assert.ok(w.shortExchanges() <= 3, 'at most one exchange per window');
    assert.deepEqual(versions, [2], 'one window wrote; the other lost the compare-and-set and adopted it');
    assert.deepEqual(
      versions,
      [...versions].sort((x, y) => x - y),
      `versions ${versions.join(',')}`,
    );
    assert.equal(info(a, 'short')?.tokenId, info(b, 'short')?.tokenId);
    assert.equal((await a.getShortTermToken()).value, (await b.getShortTermToken()).value);
  });

  it('one window rotates: the other picks the new token up without a prompt', async () => {
    const w = await world({ profile: { mechanism: 'otp' } });
    const a = w.engine();
    const b = w.engine();
    await a.issueLongTermToken('p1');
    await b.idle();
    await b.getShortTermToken();
    const prompts = w.journal.otpPrompts;
    w.clock.advance(31_000);
    const rotated = await a.rotateLongTermToken('p1');
    assert.equal(w.journal.otpPrompts, prompts + 1, 'only the rotating window asked');
    await b.idle();
    assert.equal(info(b, 'long')?.tokenId, rotated.tokenId);
    const got = await b.getShortTermToken();
    assert.equal(got.info.status, 'valid');
    assert.equal(w.journal.otpPrompts, prompts + 1);
  });

  it("one window signs out during the other one's refresh: the token does not come back", async () => {
    const w = await world();
    const [a, b] = await twoWindows(w);
    w.sandbox.faults.latencyMs(100);
    // Its rejection is awaited from the start: it may land while the sign-out is still going (Prism in between).
    const refreshing = rejection(a.refreshShortTermToken('p1'));
    await b.signOut('p1');
    assert.equal((await refreshing).code, 'revoked');
    await a.idle();
    await b.idle();
    w.sandbox.faults.latencyMs(0);
    assert.deepEqual(a.tokens(), []);
    assert.deepEqual(b.tokens(), []);
    const stored = JSON.parse((await w.store.get(recordKey('p1', 'short')))!) as { state: string };
    assert.equal(stored.state, 'signed_out');
    assert.equal((await rejection(a.getShortTermToken())).code, 'no_long_token');
  });

  it('100 quick writes from one window: the other re-reads without writing back', async () => {
    const w = await world();
    const [a, b] = await twoWindows(w);
    const writes = w.store.writes;
    const key = recordKey('p1', 'short');
    const base = JSON.parse((await w.store.get(key))!) as Record<string, unknown>;
    for (let i = 1; i <= 100; i++) {
      await w.store.store(
        key,
        JSON.stringify({ ...base, version: (base.version as number) + i, tokenId: `tok_st_${i}` }),
      );
    }
    await a.idle();
    await b.idle();
    assert.equal(w.store.writes, writes + 100);
    assert.equal(info(a, 'short')?.tokenId, 'tok_st_100');
    assert.equal(info(b, 'short')?.tokenId, 'tok_st_100');
  });
});

describe('core engine: lifetime', () => {
  viaContract();
  afterEach(cleanup);

  it('dispose() clears every timer and stops listening to the store', async () => {
    const w = await world();
    const engine = await signedIn(w);
    await engine.getShortTermToken();
    w.sandbox.faults.forceStatus({ route: REVOKE, status: 500, times: 1 });
    await engine.rotateLongTermToken('p1'); // leaves a revoke retry pending
    assert.ok(w.clock.pendingTimers() >= 3, 'refresh, heartbeat and revoke retry timers');
    engine.dispose();
    assert.equal(w.clock.pendingTimers(), 0);
    const writes = w.store.writes;
    await w.store.store(recordKey('p1', 'short'), '{}');
    w.clock.advance(3600_000);
    await engine.idle();
    assert.equal(w.store.writes, writes + 1);
    assert.equal(w.shortExchanges(), 1);
  });
});

describe('core engine: binding and damaged records', () => {
  viaContract();
  afterEach(cleanup);

  it('base URL changed to another origin: old tokens and secrets are not sent there', async () => {
    const w = await world();
    const engine = await signedIn(w);
    await engine.getShortTermToken();
    const other = await startSandbox({ now: () => w.clock.now() });
    sandboxes.push(other);
    w.profile = { ...w.profile, baseUrl: other.baseUrl };
    engine.setProfiles([w.profile]);
    await engine.idle();
    assert.deepEqual(engine.tokens(), [], 'tokens of the old origin are treated as absent');
    const notice = w.journal.failures.find((f) => f.error.code === 'origin_changed');
    assert.ok(notice, 'the user is told');
    assert.match(notice.error.message, /base URL/);
    assert.equal((await rejection(engine.getShortTermToken())).code, 'origin_changed');
    assert.equal((await rejection(engine.issueLongTermToken('p1'))).code, 'missing_secret');
    assert.equal(await engine.secretPresence('p1', 'client_secret'), 'other_origin');
    assert.equal(other.stats().requests, 0, 'the other server received nothing');
  });

  it('an unreadable record means signed out, with one clear message and never its content', async () => {
    const w = await world();
    const canary = 'CANARY-corrupt-7f3a91';
    await w.store.store(recordKey('p1', 'long'), `{"v":1,"version":4,"accessToken":"${canary}"`);
    const engine = w.engine();
    await engine.ready;
    await engine.idle();
    assert.deepEqual(engine.tokens(), []);
    const reports = w.journal.failures.filter((f) => f.error.code === 'unreadable');
    assert.equal(reports.length, 1);
    assert.match(reports[0]!.error.message, /could not be read.*signed out/);
    assert.equal((await rejection(engine.getShortTermToken())).code, 'no_long_token');
    await engine.setClientSecret('p1', DEMO_CLIENT_SECRET);
    await engine.issueLongTermToken('p1');
    assert.equal(info(engine, 'long')?.status, 'valid');
    assert.ok(!inspect(w.journal, { depth: 10 }).includes(canary));
  });
});

describe('core engine: canary secrets never surface', () => {
  viaContract();
  afterEach(cleanup);

  it('no client secret, OTP, private key or token value in logs, errors, events or audit', async () => {
    const secret = 'CANARY-client-secret-91f2c7d4';
    const otp = 'CANARY-otp-44d1';
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const keyBody = pem.split('\n')[1]!;
    const client: SandboxClientConfig = {
      clientId: 'canary_client',
      clientSecret: secret,
      totpSecret: DEMO_TOTP_SECRET,
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      allowedScopes: ['jobs:*', 'tokens:*'],
    };
    // Direct: the assertion's aud is the profile's base URL, which behind Prism would be Prism's, not the sandbox's.
    const w = await world({ clients: [client], profile: { clientId: 'canary_client' }, direct: true });
    const errors: unknown[] = [];
    const engine = w.engine({ prompts: { otpCode: async () => otp } });
    const values: string[] = [];
    const attempt = async (work: () => Promise<unknown>) => {
      try {
        const out = await work();
        if (out && typeof out === 'object' && 'value' in out) values.push(String(out.value));
      } catch (error) {
        errors.push(error);
      }
    };
    await engine.setClientSecret('p1', secret);
    await engine.setPrivateKey('p1', pem);
    await attempt(() => engine.issueLongTermToken('p1'));
    values.push(await engine.getTokenValue('p1', 'long'));
    await attempt(() => engine.getShortTermToken());
    // A server that echoes the request in its error.
    w.sandbox.faults.forceStatus({
      route: LONG,
      status: 400,
      times: 1,
      body: { code: 'invalid_request', message: `bad secret ${secret}`, details: { client_secret: secret } },
    });
    await attempt(() => engine.rotateLongTermToken('p1'));
    for (const mechanism of ['otp', 'assertion', 'short_term'] as const) {
      w.profile = { ...w.profile, mechanism };
      engine.setProfiles([w.profile]);
      await attempt(() => engine.rotateLongTermToken('p1'));
      values.push(await engine.getTokenValue('p1', 'long'));
    }
    w.clock.jump(900_000);
    w.sandbox.faults.forceStatus({ route: SHORT, status: 500, times: 3 });
    await attempt(() => engine.getShortTermToken());
    await attempt(() => engine.getShortTermToken());
    // A revoke refused with the client secret echoed: it reaches the thrown error and the failure event masked.
    w.sandbox.faults.forceStatus({
      route: REVOKE,
      status: 403,
      times: 1,
      body: { code: 'insufficient_scope', message: `not for ${secret}` },
    });
    const before = errors.length;
    await attempt(() => engine.revoke('p1', 'short'));
    assert.equal(errors.length, before + 1, 'the refused revoke was reported');
    await attempt(() => engine.signOut('p1'));
    await engine.idle();
    assert.ok(errors.length >= 3, `${errors.length} failures exercised`);
    assert.ok(values.length >= 4);
    const surfaced = [
      ...w.journal.logs,
      JSON.stringify(w.journal.audits),
      JSON.stringify(engine.tokens()),
      ...w.journal.failures.flatMap((f) => [f.error.message, f.error.stack ?? '', inspect(f, { depth: 10 })]),
      ...errors.flatMap((e) => [String(e), (e as Error).stack ?? '', inspect(e, { depth: 10 })]),
    ].join('\n');
    for (const canary of [secret, otp, keyBody, ...values]) {
      assert.ok(!surfaced.includes(canary), `leaked: ${canary.slice(0, 12)}…`);
    }
  });
});

describe('core engine: narrowed short-term tokens', () => {
  viaContract();
  afterEach(cleanup);

  it("follow the same refresh rule as the profile's own token: kept until 80% of their life, whatever validity is asked", async () => {
    const w = await world();
    const engine = await signedIn(w, { autoRefresh: false });
    const first = await engine.getScopedShortTermToken('p1', ['jobs:read']);
    assert.deepEqual(first.info.scopes, ['jobs:read']);
    assert.equal(first.info.expiresAt, T0 + 900_000);
    assert.equal(first.info.status, 'valid');
    assert.equal(w.shortExchanges(), 1);
    // Asking for more validity than a fresh token has must not cost an exchange per call (capped at half the life).
    const again = await engine.getScopedShortTermToken('p1', ['jobs:read'], 3_600_000);
    assert.equal(again.info.fingerprint, first.info.fingerprint);
    assert.equal(w.shortExchanges(), 1);
    w.clock.advance(720_000); // the refresh point: 80% of 900 s
    const later = await engine.getScopedShortTermToken('p1', ['jobs:read']);
    assert.notEqual(later.info.fingerprint, first.info.fingerprint);
    assert.equal(w.shortExchanges(), 2);
    assert.ok(!w.journal.logs.some((l) => l.includes(first.value) || l.includes(later.value)));
  });
});
