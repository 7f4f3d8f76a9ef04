// The API client end to end against the real sandbox over 127.0.0.1: every mechanism, every error status of the
// contract, retries through the sandbox's fault hooks, revoke and its cascade. One fake clock drives both sides.
import { strict as assert } from 'node:assert';
import { createAuthClient, type AuthClient } from '../../client/src/api/authClient';
import { loadJose } from '../support/jose';
import { DEMO_CLIENT, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TOTP_SECRET } from '../../sandbox/src/demo';
import { startSandbox, type Sandbox } from '../../sandbox/src/server';
import { totp } from '../../sandbox/src/totp';
import type { IssuedToken, LongTermGrant } from '../../client/src/api/types';
import { fakeSleep, rejectsWith } from '../support/apiStubServer';
import { activeContractProxy, assertRefused, viaContract, type ContractRoute } from '../support/prism/proxy';

const ALGS = [
  ['RS256', { modulusLength: 2048 }],
  ['ES256', {}],
  ['EdDSA', { crv: 'Ed25519' }],
] as const;

interface KeyPairPem {
  privateKeyPem: string;
  publicKeyPem: string;
}

async function keyPair(alg: string, options: object): Promise<KeyPairPem> {
  const { generateKeyPair, exportPKCS8, exportSPKI } = await loadJose();
  const { privateKey, publicKey } = await generateKeyPair(alg, { ...options, extractable: true });
  return { privateKeyPem: await exportPKCS8(privateKey), publicKeyPem: await exportSPKI(publicKey) };
}

describe('api client against the sandbox', function () {
  this.timeout(20_000);
  viaContract();
  let clock = Date.parse('2030-01-01T00:00:00Z');
  const now = () => clock;
  let sandbox: Sandbox;
  /** Through Prism (viaContract); undefined when the proxy is off. */
  let route: ContractRoute | undefined;
  let client: AuthClient;
  /** Straight to the sandbox: for transport faults (a dropped connection, a stall), which Prism would turn into a 500. */
  let direct: AuthClient;
  let fake: ReturnType<typeof fakeSleep>;
  const keys = new Map<string, KeyPairPem>();
  let strangerKey: KeyPairPem;

  before(async () => {
    for (const [alg, options] of ALGS) keys.set(alg, await keyPair(alg, options));
    strangerKey = await keyPair('ES256', {});
    sandbox = await startSandbox({
      now,
      clients: [
        DEMO_CLIENT,
        ...ALGS.map(([alg]) => ({
          clientId: `c2m_${alg.toLowerCase()}`,
          publicKeyPem: keys.get(alg)!.publicKeyPem,
          allowedScopes: ['jobs:*', 'tokens:*'],
        })),
        { clientId: 'c2m_other', clientSecret: 'other-client-secret', allowedScopes: ['tokens:*'] },
      ],
    });
    route = await activeContractProxy()?.route(sandbox);
  });
  after(async () => {
    try {
      await route?.close();
    } finally {
      await sandbox.stop();
    }
  });
  beforeEach(() => {
    sandbox.faults.reset();
    clock += 120_000; // a fresh TOTP step for every test
    fake = fakeSleep();
    client = createAuthClient({
      baseUrl: route?.baseUrl ?? sandbox.baseUrl,
      now,
      sleep: fake.sleep,
      random: () => 0.5,
    });
    direct = createAuthClient({ baseUrl: sandbox.baseUrl, now, sleep: fake.sleep, random: () => 0.5 });
  });
  /** An assertion names the sandbox as its audience; behind Prism the client's base URL is Prism's, not the sandbox's. */
  const audience = () => (route ? { audience: sandbox.baseUrl } : {});

  const secretGrant: LongTermGrant = {
    mechanism: 'client_secret',
    clientId: DEMO_CLIENT_ID,
    clientSecret: DEMO_CLIENT_SECRET,
  };
  const longToken = (scopes?: string[]) => client.issueLongTermToken(secretGrant, scopes ? { scopes } : {});

  function assertFresh(token: IssuedToken, kind: 'lt' | 'st'): void {
    assert.equal(token.tokenType, 'Bearer');
    assert.match(token.tokenId, new RegExp(`^tok_${kind}_`));
    assert.equal(token.receivedAt, clock);
    assert.equal(Date.parse(token.expiresAt), Math.floor(clock / 1000) * 1000 + token.expiresIn * 1000);
  }

  describe('issueLongTermToken', () => {
    it('client secret -> a long-term token (default 30 days, requested ttl clamped)', async () => {
      const token = await longToken();
      assertFresh(token, 'lt');
      assert.match(token.accessToken, /^lt_/);
      assert.equal(token.expiresIn, 2_592_000);
      assert.deepEqual(token.scopes, ['jobs:*', 'templates:*', 'tokens:*']);
      // 60 s is below the schema's minimum (3600): the contract refuses it, the sandbox clamps it (seen directly).
      if (route) {
        await rejectsWith(client.issueLongTermToken(secretGrant, { ttlSeconds: 60 }), { kind: 'http', status: 422 });
        assertRefused(route, ['UNPROCESSABLE_ENTITY'], 'ttl_seconds below the contract minimum');
      }
      const short = await direct.issueLongTermToken(secretGrant, { ttlSeconds: 60, scopes: ['jobs:submit'] });
      assert.equal(short.expiresIn, 3600);
      assert.deepEqual(short.scopes, ['jobs:submit']);
    });

    it('one-time TOTP code -> a long-term token; the same code again -> 401 invalid_client', async () => {
      const otpCode = totp(DEMO_TOTP_SECRET, clock);
      const token = await client.issueLongTermToken({ mechanism: 'otp', clientId: DEMO_CLIENT_ID, otpCode });
      assertFresh(token, 'lt');
      await rejectsWith(client.issueLongTermToken({ mechanism: 'otp', clientId: DEMO_CLIENT_ID, otpCode }), {
        kind: 'http',
        status: 401,
        code: 'invalid_client',
        retryable: false,
      });
    });

    for (const [alg] of ALGS) {
      it(`signed assertion with a ${alg} key -> a long-term token; a second assertion gets a fresh jti`, async () => {
        const grant: LongTermGrant = {
          mechanism: 'assertion',
          clientId: `c2m_${alg.toLowerCase()}`,
          privateKeyPem: keys.get(alg)!.privateKeyPem,
          ...audience(),
        };
        assertFresh(await client.issueLongTermToken(grant), 'lt');
        assertFresh(await client.issueLongTermToken(grant, { scopes: ['jobs:submit'] }), 'lt');
      });
    }

    it('an assertion signed with a key the sandbox does not know -> 401 invalid_client', async () => {
      await rejectsWith(
        client.issueLongTermToken({
          mechanism: 'assertion',
          clientId: 'c2m_es256',
          privateKeyPem: strangerKey.privateKeyPem,
          ...audience(),
        }),
        {
          kind: 'http',
          status: 401,
          code: 'invalid_client',
        },
      );
    });

    it('an assertion for another audience -> 401 invalid_client', async () => {
      await rejectsWith(
        client.issueLongTermToken({
          mechanism: 'assertion',
          clientId: 'c2m_rs256',
          privateKeyPem: keys.get('RS256')!.privateKeyPem,
          audience: 'https://api.example.com/v1',
        }),
        { kind: 'http', status: 401, code: 'invalid_client' },
      );
    });

    it('an unusable private key fails locally, nothing sent', async () => {
      const before = sandbox.stats().requests;
      await rejectsWith(
        client.issueLongTermToken({ mechanism: 'assertion', clientId: 'c2m_rs256', privateKeyPem: 'not a key' }),
        {
          kind: 'invalid_request',
          code: 'invalid_private_key',
        },
      );
      assert.equal(sandbox.stats().requests, before);
    });

    it('short-term token with tokens:write -> a new long-term token (rotation)', async () => {
      const long = await longToken(['jobs:*', 'tokens:*']);
      const short = await client.issueShortTermToken(long.accessToken, { scopes: ['tokens:write'] });
      const rotated = await client.issueLongTermToken({
        mechanism: 'short_term',
        clientId: DEMO_CLIENT_ID,
        shortTermToken: short.accessToken,
      });
      assertFresh(rotated, 'lt');
      assert.notEqual(rotated.accessToken, long.accessToken);
    });

    it('short-term token without tokens:write -> 403 insufficient_scope', async () => {
      const long = await longToken(['jobs:*', 'tokens:*']);
      const short = await client.issueShortTermToken(long.accessToken, { scopes: ['jobs:submit'] });
      await rejectsWith(
        client.issueLongTermToken({
          mechanism: 'short_term',
          clientId: DEMO_CLIENT_ID,
          shortTermToken: short.accessToken,
        }),
        {
          kind: 'http',
          status: 403,
          code: 'insufficient_scope',
        },
      );
    });

    it('wrong client secret -> 401 invalid_client', async () => {
      await rejectsWith(client.issueLongTermToken({ ...secretGrant, clientSecret: 'wrong-secret' }), {
        kind: 'http',
        status: 401,
        code: 'invalid_client',
      });
    });

    it('a scope the client may not hold -> 400 invalid_scope', async () => {
      await rejectsWith(longToken(['admin:*']), { kind: 'http', status: 400, code: 'invalid_scope' });
    });

    it('429 from the rate limit: no automatic retry, Retry-After carried', async () => {
      sandbox.faults.rateLimit({ perClient: 0, windowMs: 60_000 });
      const before = sandbox.stats().byRoute['POST /auth/tokens/long'] ?? 0;
      await rejectsWith(
        client.issueLongTermToken({
          mechanism: 'otp',
          clientId: DEMO_CLIENT_ID,
          otpCode: totp(DEMO_TOTP_SECRET, clock),
        }),
        {
          kind: 'http',
          status: 429,
          code: 'rate_limited',
          retryAfterMs: 60_000,
        },
      );
      assert.equal(sandbox.stats().byRoute['POST /auth/tokens/long'], before + 1);
    });

    it('503 is not retried; a 201 lost to a dropped connection surfaces as a network error', async () => {
      sandbox.faults.forceStatus({ route: 'POST /auth/tokens/long', status: 503, times: 5 });
      const before = sandbox.stats().byRoute['POST /auth/tokens/long'] ?? 0;
      await rejectsWith(longToken(), { kind: 'http', status: 503 });
      assert.equal(sandbox.stats().byRoute['POST /auth/tokens/long'], before + 1);
      sandbox.faults.reset();
      sandbox.faults.dropConnection({ route: 'POST /auth/tokens/long', afterProcessing: true, times: 1 });
      await rejectsWith(direct.issueLongTermToken(secretGrant), { kind: 'network' });
      assert.equal(sandbox.stats().byRoute['POST /auth/tokens/long'], before + 2);
      assert.deepEqual(fake.delays, []);
    });
  });

  describe('issueShortTermToken', () => {
    it('exchanges a long-term token for a short-term JWT (900 s), narrowing on request', async () => {
      const long = await longToken();
      const short = await client.issueShortTermToken(long.accessToken);
      assertFresh(short, 'st');
      assert.equal(short.expiresIn, 900);
      assert.equal(short.accessToken.split('.').length, 3);
      assert.deepEqual(short.scopes, long.scopes);
      const narrow = await client.issueShortTermToken(long.accessToken, { scopes: ['jobs:submit'] });
      assert.deepEqual(narrow.scopes, ['jobs:submit']);
    });

    it('narrowing beyond the long-term scopes -> 400 invalid_scope, not retried', async () => {
      const long = await longToken(['jobs:*']);
      await rejectsWith(client.issueShortTermToken(long.accessToken, { scopes: ['tokens:write'] }), {
        kind: 'http',
        status: 400,
        code: 'invalid_scope',
      });
      assert.deepEqual(fake.delays, []);
    });

    it('an unknown long-term token -> 401 invalid_token, one request', async () => {
      const before = sandbox.stats().byRoute['POST /auth/tokens/short'] ?? 0;
      await rejectsWith(client.issueShortTermToken('lt_not_a_token_we_issued'), {
        kind: 'http',
        status: 401,
        code: 'invalid_token',
      });
      assert.equal(sandbox.stats().byRoute['POST /auth/tokens/short'], before + 1);
    });

    it('an expired long-term token -> 401 invalid_token', async () => {
      const long = await client.issueLongTermToken(secretGrant, { ttlSeconds: 3600 });
      clock += 3_600_000;
      await rejectsWith(client.issueShortTermToken(long.accessToken), {
        kind: 'http',
        status: 401,
        code: 'invalid_token',
      });
    });

    it('5xx twice, then 201: three requests with backoff', async () => {
      const long = await longToken();
      sandbox.faults.forceStatus({
        route: 'POST /auth/tokens/short',
        status: 503,
        times: 2,
        body: { code: 'unavailable', message: 'down' },
      });
      const before = sandbox.stats().byRoute['POST /auth/tokens/short'] ?? 0;
      assertFresh(await client.issueShortTermToken(long.accessToken), 'st');
      assert.equal(sandbox.stats().byRoute['POST /auth/tokens/short'], before + 3);
      assert.deepEqual(fake.delays, [250, 500]);
    });

    it('5xx three times: gives up after 3 requests', async () => {
      const long = await longToken();
      sandbox.faults.forceStatus({ route: 'POST /auth/tokens/short', status: 500, times: 10 });
      const before = sandbox.stats().byRoute['POST /auth/tokens/short'] ?? 0;
      await rejectsWith(client.issueShortTermToken(long.accessToken), {
        kind: 'http',
        status: 500,
        code: 'server_error',
      });
      assert.equal(sandbox.stats().byRoute['POST /auth/tokens/short'], before + 3);
    });

    it('dropped connections are retried', async () => {
      const long = await longToken();
      sandbox.faults.dropConnection({ route: 'POST /auth/tokens/short', times: 2 });
      assertFresh(await direct.issueShortTermToken(long.accessToken), 'st');
    });

    it('429 with Retry-After 120: exactly one request, the error says when to retry', async () => {
      const long = await longToken();
      sandbox.faults.rateLimit({ perClient: 0, windowMs: 120_000 });
      const before = sandbox.stats().byRoute['POST /auth/tokens/short'] ?? 0;
      const error = await rejectsWith(client.issueShortTermToken(long.accessToken), {
        kind: 'http',
        status: 429,
        code: 'rate_limited',
        retryAfterMs: 120_000,
      });
      assert.match(error.message, /Retry after 120 s/);
      assert.equal(sandbox.stats().byRoute['POST /auth/tokens/short'], before + 1);
      assert.deepEqual(fake.delays, []);
    });

    it('429 with a short Retry-After is waited out, then retried', async () => {
      const long = await longToken();
      sandbox.faults.forceStatus({
        route: 'POST /auth/tokens/short',
        status: 429,
        times: 1,
        body: { code: 'rate_limited', message: 'slow down' },
        headers: { 'Retry-After': '3' },
      });
      assertFresh(await client.issueShortTermToken(long.accessToken), 'st');
      assert.deepEqual(fake.delays, [3000]);
    });

    it('a stalled exchange times out (3 tries, each within timeoutMs)', async () => {
      const long = await longToken();
      sandbox.faults.stall({ route: 'POST /auth/tokens/short', times: 3 });
      const quick = createAuthClient({
        baseUrl: sandbox.baseUrl,
        now,
        sleep: fake.sleep,
        random: () => 0,
        timeoutMs: 50,
      });
      await rejectsWith(quick.issueShortTermToken(long.accessToken), { kind: 'timeout' });
    });
  });

  describe('revokeToken', () => {
    it('revokes a short-term token (204), idempotently; the token is refused afterwards', async () => {
      const long = await longToken();
      const short = await client.issueShortTermToken(long.accessToken);
      await client.revokeToken(short.tokenId, long.accessToken);
      assert.equal(sandbox.isRevoked(short.tokenId), true);
      await client.revokeToken(short.tokenId, long.accessToken);
      await rejectsWith(
        client.issueLongTermToken({
          mechanism: 'short_term',
          clientId: DEMO_CLIENT_ID,
          shortTermToken: short.accessToken,
        }),
        { kind: 'http', status: 401, code: 'invalid_token' },
      );
    });

    it('revoking the long-term token cascades to its short-term tokens', async () => {
      const long = await longToken();
      const short = await client.issueShortTermToken(long.accessToken);
      await client.revokeToken(long.tokenId, short.accessToken);
      assert.equal(sandbox.isRevoked(long.tokenId), true);
      await rejectsWith(client.issueShortTermToken(long.accessToken), {
        kind: 'http',
        status: 401,
        code: 'invalid_token',
      });
      await rejectsWith(client.revokeToken(short.tokenId, short.accessToken), {
        kind: 'http',
        status: 401,
        code: 'invalid_token',
      });
    });

    it("unknown id and another client's token both -> 404 not_found", async () => {
      const long = await longToken();
      await rejectsWith(client.revokeToken('tok_lt_unknown', long.accessToken), {
        kind: 'http',
        status: 404,
        code: 'not_found',
      });
      const other = await client.issueLongTermToken({
        mechanism: 'client_secret',
        clientId: 'c2m_other',
        clientSecret: 'other-client-secret',
      });
      await rejectsWith(client.revokeToken(other.tokenId, long.accessToken), {
        kind: 'http',
        status: 404,
        code: 'not_found',
      });
      assert.equal(sandbox.isRevoked(other.tokenId), false);
    });

    it('a bearer without tokens:revoke -> 403 insufficient_scope', async () => {
      const long = await longToken(['jobs:*']);
      await rejectsWith(client.revokeToken(long.tokenId, long.accessToken), {
        kind: 'http',
        status: 403,
        code: 'insufficient_scope',
      });
    });
  });
});
