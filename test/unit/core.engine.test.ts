// The token engine against the real sandbox over 127.0.0.1, with a fake clock shared by both (no sleeps):
// issuance per mechanism, proactive refresh, single flight, clock skew, rotation and revocation
// (core.engine.windows.test.ts: two windows, binding, damaged records, canaries, narrowed tokens).
import { strict as assert } from 'node:assert';
import { generateKeyPairSync } from 'node:crypto';
import { createAuthClient, type AuthClient } from '../../client/src/api/authClient';
import { CoreError } from '../../client/src/core/errors';
import { recordKey } from '../../client/src/core/secretRecords';
import { TokenEngine } from '../../client/src/core/tokenEngine';
import { DEMO_CLIENT, DEMO_CLIENT_SECRET, DEMO_TOTP_SECRET } from '../../sandbox/src/demo';
import { totp } from '../../sandbox/src/totp';
import {
  cleanup,
  exchangeThen,
  info,
  LONG,
  realClient,
  rejection,
  REVOKE,
  SHORT,
  signedIn,
  T0,
  world,
} from '../support/coreWorld';
import { viaContract } from '../support/prism/proxy';

describe('core engine: issuing with each mechanism', () => {
  viaContract();
  afterEach(cleanup);

  it('client secret: issues a long-term token, exchanges it, audits without values', async () => {
    const w = await world();
    const engine = await signedIn(w);
    const long = info(engine, 'long');
    assert.equal(long?.status, 'valid');
    assert.deepEqual(long?.scopes, ['jobs:*', 'tokens:*']);
    const { value, info: short } = await engine.getShortTermToken();
    assert.match(value, /^eyJ/);
    assert.equal(short.status, 'valid');
    assert.equal(short.expiresAt, T0 + 900_000, 'expiry = receipt time + expires_in');
    assert.deepEqual(
      w.journal.audits.map((a) => `${a.action} ${a.kind}`),
      ['issue long', 'issue short'],
    );
    assert.ok(!JSON.stringify(w.journal.audits).includes(value));
  });

  it('OTP: asks for a code every time it issues, never stores it', async () => {
    const w = await world({ profile: { mechanism: 'otp' } });
    const engine = w.engine();
    await engine.issueLongTermToken('p1');
    w.clock.advance(31_000); // next TOTP step: a code is single-use
    await engine.rotateLongTermToken('p1');
    assert.equal(w.journal.otpPrompts, 2);
    assert.equal(w.sandbox.stats().byRoute[LONG], 2);
    const code = totp(DEMO_TOTP_SECRET, w.clock.now());
    assert.ok(![...w.store.dump().values()].some((v) => v.includes(`"${code}"`)));
  });

  it('OTP: a cancelled prompt sends nothing', async () => {
    const w = await world({ profile: { mechanism: 'otp' } });
    const engine = w.engine({ prompts: { otpCode: async () => undefined } });
    assert.equal((await rejection(engine.issueLongTermToken('p1'))).code, 'cancelled');
    assert.equal(w.sandbox.stats().requests, 0);
  });

  it('assertion: signs with the stored private key registered in the sandbox', async () => {
    // jose is ESM-only: loaded with a dynamic import, as the API client does.
    const jose = await import('jose');
    const { privateKey, publicKey } = await jose.generateKeyPair('ES256', { extractable: true });
    const client = { ...DEMO_CLIENT, publicKeyPem: await jose.exportSPKI(publicKey) };
    // Direct: the assertion's aud is the profile's base URL, which behind Prism would be Prism's, not the sandbox's.
    const w = await world({ clients: [client], profile: { mechanism: 'assertion' }, direct: true });
    const engine = w.engine();
    assert.equal((await rejection(engine.issueLongTermToken('p1'))).code, 'missing_secret');
    await engine.setPrivateKey('p1', await jose.exportPKCS8(privateKey));
    assert.equal(await engine.secretPresence('p1', 'private_key'), 'set');
    await engine.issueLongTermToken('p1');
    assert.equal(info(engine, 'long')?.status, 'valid');
    assert.equal((await rejection(engine.setPrivateKey('p1', 'not a key'))).code, 'missing_secret');
  });

  it('refuses, when it is stored, a private key Node reads but the signer would refuse, and keeps the key it had', async () => {
    const w = await world({ profile: { mechanism: 'assertion' } });
    const engine = w.engine();
    const good = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await engine.setPrivateKey('p1', good);
    const refused = [
      ['RSA under 2048 bits', generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey, /at least 2048 bits/],
      ['P-384', generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey, /Only P-256/],
      ['X25519', generateKeyPairSync('x25519').privateKey, /Unsupported private key type x25519/],
    ] as const;
    for (const [name, key, message] of refused) {
      const pem = key.export({ type: 'pkcs8', format: 'pem' }).toString();
      const error = await rejection(engine.setPrivateKey('p1', pem));
      assert.equal(error.code, 'missing_secret', name);
      assert.match(error.message, message, name);
      assert.ok(!error.message.includes('PRIVATE KEY'), `${name}: no key material in the message`);
    }
    assert.equal(await engine.secretPresence('p1', 'private_key'), 'set');
    const stored = await w.store.get(recordKey('p1', 'private_key'));
    assert.ok(stored?.includes(good.split('\n')[1] ?? '?'), 'the Ed25519 key stored first is still the one kept');
  });

  it('short-term step-up: issues a new long-term token with the current short-term token, revoking the old one', async () => {
    const w = await world();
    const engine = await signedIn(w);
    const oldLong = info(engine, 'long')!.tokenId;
    w.profile = { ...w.profile, mechanism: 'short_term' };
    engine.setProfiles([w.profile]);
    await engine.rotateLongTermToken('p1');
    const newLong = info(engine, 'long')!.tokenId;
    assert.notEqual(newLong, oldLong);
    assert.equal(w.sandbox.isRevoked(oldLong), true);
    assert.deepEqual(
      w.journal.audits.filter((a) => a.kind === 'long').map((a) => a.action),
      ['issue', 'rotate', 'revoke'],
    );
    // The short-term token came from the old long-term token: the next use exchanges again.
    const before = w.shortExchanges();
    await engine.getShortTermToken('p1');
    assert.equal(w.shortExchanges(), before + 1);
  });

  it('Restricted Mode: no network call for a workspace-provided base URL', async () => {
    const w = await world();
    const engine = w.engine({ canUseNetwork: () => false });
    await engine.ready;
    await engine.setClientSecret('p1', DEMO_CLIENT_SECRET);
    assert.equal((await rejection(engine.issueLongTermToken('p1'))).code, 'network_blocked');
    assert.equal(w.sandbox.stats().requests, 0);
  });

  it('a refused credential (400 or 401 alike) says which one to fix, never "expired token", and keeps the old token', async () => {
    const w = await world();
    const engine = await signedIn(w);
    const kept = info(engine, 'long')?.tokenId;
    await engine.setClientSecret('p1', 'not-the-secret');
    const wrongSecret = await rejection(engine.rotateLongTermToken('p1'));
    assert.equal(wrongSecret.code, 'credentials_rejected');
    assert.equal(wrongSecret.action, 'setClientSecret');
    assert.equal(wrongSecret.status, 401);
    assert.match(wrongSecret.message, /client secret of profile "Sandbox"/);
    assert.equal(info(engine, 'long')?.tokenId, kept, 'the old token stays');

    // The contract's own 401 example speaks of an expired token; and a server may say 400 invalid_grant instead.
    for (const [status, body] of [
      [401, { code: 'invalid_token', message: 'The provided token is expired or invalid' }],
      [400, { code: 'invalid_grant', message: 'The provided client credentials are invalid.' }],
    ] as const) {
      w.sandbox.faults.forceStatus({ route: LONG, status, body, times: 1 });
      const refused = await rejection(engine.rotateLongTermToken('p1'));
      assert.equal(refused.action, 'setClientSecret', `${status}`);
      assert.doesNotMatch(refused.message, /expired/i);
    }

    const otp = await world({ profile: { mechanism: 'otp' } });
    const otpEngine = otp.engine();
    await otpEngine.issueLongTermToken('p1');
    const reused = await rejection(otpEngine.rotateLongTermToken('p1')); // same TOTP step: the code was used
    assert.equal(reused.action, 'newCode');
    assert.match(reused.message, /one-time code .*new code/);

    const scope = await world({ profile: { scopes: ['admin:*'] } });
    const scopeEngine = scope.engine();
    await scopeEngine.setClientSecret('p1', DEMO_CLIENT_SECRET);
    const notAllowed = await rejection(scopeEngine.issueLongTermToken('p1'));
    assert.equal(notAllowed.apiCode, 'invalid_scope', "a scope problem keeps the server's message");
    assert.notEqual(notAllowed.code, 'credentials_rejected');
  });
});

describe('core engine: refresh', () => {
  viaContract();
  afterEach(cleanup);

  it('refreshes automatically at the refresh point (80% minus jitter), not before', async () => {
    const w = await world();
    const engine = await signedIn(w);
    const first = await engine.getShortTermToken();
    // random() = 0.5: 900 s * (0.8 - 0.05) = 675 s.
    w.clock.advance(674_000);
    await engine.idle();
    assert.equal(w.shortExchanges(), 1);
    assert.equal(info(engine, 'short')?.status, 'valid');
    w.clock.advance(2_000);
    await engine.idle();
    assert.equal(w.shortExchanges(), 2);
    const second = await engine.getShortTermToken();
    assert.notEqual(second.info.tokenId, first.info.tokenId);
    assert.equal(w.shortExchanges(), 2, 'the refreshed token is used as is');
  });

  it('1,000 simultaneous calls at the refresh point cause one exchange and get the same token', async () => {
    const w = await world();
    const engine = await signedIn(w, { autoRefresh: false });
    await engine.getShortTermToken();
    w.clock.jump(700_000);
    const results = await Promise.all(Array.from({ length: 1000 }, () => engine.getShortTermToken('p1')));
    assert.equal(w.shortExchanges(), 2);
    assert.equal(new Set(results.map((r) => r.value)).size, 1);
    assert.equal(results[0]!.info.issuedAt, T0 + 700_000);
  });

  it('a failed exchange is shared by every waiter, not cached: the next call tries again', async () => {
    const w = await world();
    const engine = await signedIn(w, { autoRefresh: false });
    await engine.getShortTermToken();
    w.clock.jump(900_000); // expired: nothing left to fall back on
    w.sandbox.faults.forceStatus({
      route: SHORT,
      status: 403,
      body: { code: 'insufficient_scope', message: 'No.' },
      times: 1,
    });
    const results = await Promise.allSettled(Array.from({ length: 200 }, () => engine.getShortTermToken('p1')));
    assert.equal(w.shortExchanges(), 2);
    const reasons = new Set(results.map((r) => (r.status === 'rejected' ? r.reason : 'fulfilled')));
    assert.equal(reasons.size, 1, 'one shared error');
    const [error] = reasons;
    assert.ok(error instanceof CoreError && error.status === 403);
    assert.equal(w.journal.failures.length, 1);
    const again = await engine.getShortTermToken('p1');
    assert.equal(w.shortExchanges(), 3);
    assert.equal(again.info.status, 'valid');
  });

  it('a failing server leaves the still-valid token in use, reports it, and retries with backoff', async () => {
    const w = await world();
    const engine = await signedIn(w);
    const old = await engine.getShortTermToken();
    w.sandbox.faults.forceStatus({ route: SHORT, status: 503 });
    w.clock.advance(676_000); // refresh point: the timer exchanges, 3 tries, all 503
    await engine.idle();
    assert.equal(w.shortExchanges(), 4);
    assert.equal(info(engine, 'short')?.status, 'error');
    assert.equal(w.journal.failures.at(-1)?.background, true);
    assert.equal(w.journal.failures.at(-1)?.action, 'retry');
    const during = await engine.getShortTermToken();
    assert.equal(during.value, old.value, 'the old token keeps working');
    assert.equal(w.shortExchanges(), 4, 'no request per use while the retry is pending');
    w.sandbox.faults.reset();
    w.clock.advance(60_000); // the retry timer (backoff <= 5 s with random 0.5)
    await engine.idle();
    const after = await engine.getShortTermToken();
    assert.notEqual(after.value, old.value);
    assert.equal(after.info.status, 'valid');
  });

  it('refused connection while 50 callers wait: a still-valid token keeps working, then one shared error', async () => {
    // Direct: with Prism in front, a stopped sandbox is Prism's 500, not a refused connection.
    const w = await world({ direct: true });
    const engine = await signedIn(w, { autoRefresh: false });
    const old = await engine.getShortTermToken();
    await w.sandbox.stop(); // nothing listens on the port any more
    w.clock.jump(700_000); // past the refresh point, still valid
    const during = await Promise.all(Array.from({ length: 50 }, () => engine.getShortTermToken()));
    assert.ok(during.every((r) => r.value === old.value));
    assert.equal(w.journal.failures.length, 1, 'one exchange failed, once');
    assert.equal(w.journal.failures[0]!.error.apiCode, 'network_error');
    w.clock.jump(300_000); // expired, and past the retry time
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => engine.getShortTermToken()));
    const reasons = new Set(results.map((r) => (r.status === 'rejected' ? r.reason : 'fulfilled')));
    assert.equal(reasons.size, 1, 'one shared error');
    assert.equal(w.journal.failures.length, 2);
  });

  it('a 429 is honoured: no request before Retry-After', async () => {
    const w = await world();
    const engine = await signedIn(w, { autoRefresh: false });
    await engine.getShortTermToken();
    w.clock.jump(900_000);
    w.sandbox.faults.forceStatus({
      route: SHORT,
      status: 429,
      headers: { 'Retry-After': '120' },
      body: { code: 'rate_limited', message: 'Slow down.' },
    });
    const error = await rejection(engine.getShortTermToken());
    assert.equal(error.code, 'rate_limited');
    assert.equal(error.retryAt, T0 + 900_000 + 120_000);
    const exchanges = w.shortExchanges();
    await rejection(engine.getShortTermToken());
    w.clock.jump(60_000);
    await rejection(engine.getShortTermToken());
    assert.equal(w.shortExchanges(), exchanges, 'nothing sent before the server said');
    w.sandbox.faults.reset();
    w.clock.jump(61_000);
    assert.equal((await engine.getShortTermToken()).info.status, 'valid');
  });

  it('after a long sleep the first use refreshes, and the wake is noticed', async () => {
    const w = await world();
    const engine = await signedIn(w);
    const before = await engine.getShortTermToken();
    w.clock.jump(3 * 3600_000); // suspended: no timer ran
    const after = await engine.getShortTermToken();
    assert.notEqual(after.value, before.value);
    w.clock.jump(3 * 3600_000);
    w.clock.advance(60_000); // the heartbeat sees the jump and re-checks everything
    await engine.idle();
    assert.ok(w.journal.logs.some((l) => /clock jumped/.test(l)));
    assert.equal(info(engine, 'short')?.status, 'valid', 'refreshed in the background after the wake');
  });

  it('expires_in 60: refreshes about every 45 s, never in a loop', async () => {
    const w = await world({ shortTtlSeconds: 60 });
    const engine = await signedIn(w);
    await Promise.all(Array.from({ length: 50 }, () => engine.getShortTermToken()));
    assert.equal(w.shortExchanges(), 1);
    for (let s = 0; s < 600; s += 5) {
      w.clock.advance(5_000);
      await engine.idle();
      await engine.getShortTermToken('p1', 120_000); // asks for more than the token can give
    }
    // At most one exchange per half lifetime (the cap on the wanted validity), at least one per refresh point.
    const exchanges = w.shortExchanges();
    assert.ok(exchanges >= 12 && exchanges <= 21, `${exchanges} exchanges in 10 minutes`);
  });

  for (const skewMs of [600_000, -600_000]) {
    it(`server clock ${skewMs > 0 ? 'ahead' : 'behind'} by 10 min: fresh tokens are valid, skew reported, no loop`, async () => {
      const w = await world({ skewMs });
      const engine = await signedIn(w);
      const { info: short } = await engine.getShortTermToken();
      assert.equal(short.status, 'valid');
      assert.equal(info(engine, 'long')?.status, 'valid');
      assert.equal(w.journal.skews.length, 1, 'reported once for the profile');
      assert.ok(Math.abs(w.journal.skews[0]!.skewMs - skewMs) < 2_000);
      w.clock.advance(600_000);
      await engine.idle();
      assert.equal(w.shortExchanges(), 1);
    });
  }

  it('warns once before the long-term token expires', async () => {
    const w = await world({ profile: { ttlDays: 8 } });
    const engine = await signedIn(w);
    assert.equal(w.journal.warnings.length, 0);
    w.clock.advance(86_400_000 + 1000);
    await engine.idle();
    assert.equal(w.journal.warnings.length, 1);
    assert.equal(w.journal.warnings[0]!.daysLeft, 7);
    w.clock.advance(86_400_000);
    assert.equal(w.journal.warnings.length, 1);
    assert.equal(info(engine, 'long')?.status, 'expiring');
  });
});

describe('core engine: rotate and revoke', () => {
  viaContract();
  afterEach(cleanup);

  it('rotate keeps the old token when issuing fails', async () => {
    const w = await world();
    const engine = await signedIn(w);
    const old = info(engine, 'long')!;
    w.sandbox.faults.forceStatus({ route: LONG, status: 500, times: 1 });
    assert.equal((await rejection(engine.rotateLongTermToken('p1'))).status, 500);
    assert.equal(info(engine, 'long')?.tokenId, old.tokenId);
    assert.equal(w.sandbox.isRevoked(old.tokenId), false);
    assert.equal((await engine.getShortTermToken()).info.status, 'valid');
  });

  it('a rotation whose 201 is lost keeps the old, working token', async () => {
    // Direct: a connection the sandbox drops reaches the client through Prism as a 500, not as a lost answer.
    const w = await world({ direct: true });
    const engine = await signedIn(w, { autoRefresh: false });
    const old = info(engine, 'long')!;
    w.sandbox.faults.dropConnection({ route: LONG, afterProcessing: true, times: 1 });
    assert.equal((await rejection(engine.rotateLongTermToken('p1'))).code, 'api');
    assert.equal(info(engine, 'long')?.tokenId, old.tokenId);
    assert.equal((await engine.getShortTermToken()).info.status, 'valid');
  });

  it('rotate keeps the new token when revoking the old one fails, and retries the revoke later', async () => {
    const w = await world();
    const engine = await signedIn(w);
    const old = info(engine, 'long')!;
    w.sandbox.faults.forceStatus({ route: REVOKE, status: 502, times: 1 });
    const fresh = await engine.rotateLongTermToken('p1');
    assert.notEqual(fresh.tokenId, old.tokenId);
    assert.equal(info(engine, 'long')?.tokenId, fresh.tokenId);
    assert.equal(w.sandbox.isRevoked(old.tokenId), false);
    assert.deepEqual(engine.pendingRevokes(), [{ profileId: 'p1', tokenId: old.tokenId }]);
    assert.equal(w.journal.failures.at(-1)?.action, 'retry');
    w.clock.advance(20 * 60_000);
    await engine.idle();
    assert.equal(w.sandbox.isRevoked(old.tokenId), true);
    assert.deepEqual(engine.pendingRevokes(), []);
  });

  it('revoke wins over a refresh in flight: the late token is discarded and never stored', async () => {
    const w = await world();
    // The second exchange's answer waits until a revoke has landed: no timing margin.
    let revoked = false;
    const revoke = async (): Promise<void> => {
      await engine.revoke('p1', 'short');
      revoked = true;
    };
    const engine: TokenEngine = await signedIn(w, { createClient: () => exchangeThen(w, revoke, 1) });
    const first = await engine.getShortTermToken();
    const written: string[] = [];
    w.store.onDidChange(
      (key) => key === recordKey('p1', 'short') && void w.store.get(key).then((v) => v && written.push(v)),
    );
    assert.equal((await rejection(engine.refreshShortTermToken('p1'))).code, 'revoked');
    assert.ok(revoked, 'the revoke landed while the exchange was in flight');
    await engine.idle();
    assert.equal(w.shortExchanges(), 2, 'the exchange did happen...');
    const short = info(engine, 'short');
    assert.equal(short?.status, 'revoked');
    assert.equal(short?.tokenId, first.info.tokenId, '...but its answer was never stored');
    const stored = JSON.parse((await w.store.get(recordKey('p1', 'short')))!) as Record<string, unknown>;
    assert.equal(stored.tokenId, first.info.tokenId);
    assert.equal(stored.accessToken, undefined);
    assert.ok(written.length > 0);
    assert.ok(
      written.every((v) => (JSON.parse(v) as { state: string }).state === 'revoked'),
      'no active record written after the revoke',
    );
    assert.equal(w.sandbox.isRevoked(first.info.tokenId), true);
    assert.equal((await engine.getShortTermToken()).info.status, 'valid', 'a new use exchanges again');
  });

  it('revoke: 404 means already revoked; revoking the long-term token drops its short-term token too', async () => {
    const w = await world();
    const engine = await signedIn(w);
    const short = await engine.getShortTermToken();
    w.sandbox.faults.forceStatus({
      route: REVOKE,
      status: 404,
      body: { code: 'not_found', message: 'No token with this id.' },
      times: 1,
    });
    await engine.revoke('p1', 'long');
    assert.equal(info(engine, 'long')?.status, 'revoked');
    assert.equal(info(engine, 'short')?.status, 'revoked');
    assert.equal((await rejection(engine.getShortTermToken())).code, 'no_long_token');
    assert.ok(engine.tokens().every((t) => t.fingerprint !== '' && !JSON.stringify(t).includes(short.value)));
  });

  it('revokeByFingerprint revokes the matching token', async () => {
    const w = await world();
    const engine = await signedIn(w);
    const { info: short } = await engine.getShortTermToken();
    await engine.revokeByFingerprint(short.fingerprint);
    assert.equal(w.sandbox.isRevoked(short.tokenId), true);
    assert.equal((await rejection(engine.revokeByFingerprint('0000000000000000'))).code, 'no_profile');
  });

  it('401 on the exchange: storage re-read once (another window rotated), at most two requests', async () => {
    const w = await world();
    const a = await signedIn(w, { autoRefresh: false });
    const b = w.engine({ autoRefresh: false });
    await b.ready;
    let hooked = false;
    const real = realClient(w);
    const racing: AuthClient = {
      ...real,
      async issueShortTermToken(long, opts) {
        if (!hooked) {
          hooked = true;
          await b.rotateLongTermToken('p1'); // lands after `a` read the old token, before its request
        }
        return real.issueShortTermToken(long, opts);
      },
    };
    const c = w.engine({ autoRefresh: false, createClient: () => racing });
    await c.ready;
    const before = w.shortExchanges();
    const got = await c.getShortTermToken('p1');
    assert.equal(w.shortExchanges() - before, 2);
    assert.equal(got.info.status, 'valid');
    await a.idle();
    assert.equal(info(a, 'long')?.tokenId, info(b, 'long')?.tokenId);
  });

  it('401 with nothing newer in storage: asks to re-issue after exactly one more read, one request', async () => {
    const w = await world();
    const engine = await signedIn(w, { autoRefresh: false });
    const long = info(engine, 'long')!;
    const value = await engine.getTokenValue('p1', 'long');
    await createAuthClient({ baseUrl: w.baseUrl }).revokeToken(long.tokenId, value); // behind our back
    w.clock.jump(900_000);
    const error = await rejection(engine.getShortTermToken());
    assert.equal(error.code, 'reissue_needed');
    assert.equal(error.action, 'issue');
    assert.equal(w.shortExchanges(), 1);
    assert.equal(w.journal.failures.at(-1)?.error.code, 'reissue_needed');
    assert.equal(info(engine, 'long')?.status, 'error');
    // The state sticks: no request with the rejected token until a new one is issued.
    assert.equal((await rejection(engine.getShortTermToken())).code, 'reissue_needed');
    assert.equal(w.shortExchanges(), 1);
    await engine.issueLongTermToken('p1');
    assert.equal((await engine.getShortTermToken()).info.status, 'valid');
    assert.equal(w.shortExchanges(), 2);
  });
});
