// Long-term issuance against the real sandbox over 127.0.0.1: each of the four mechanisms, the single-use rules,
// assertion checks for RS256, ES256 and EdDSA keys, scopes and ttl clamping.
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { DEMO_CLIENT, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TOTP_SECRET } from '../../sandbox/src/demo';
import { totp } from '../../sandbox/src/totp';
import { assertError, loadJose, SandboxHarness, secretGrant, T0, type Jose } from '../support/sandboxHttp';
import { viaContract } from '../support/prism/proxy';

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
type SigningKey = Awaited<ReturnType<Jose['generateKeyPair']>>['privateKey'];

describe('sandbox: long-term tokens', function () {
  this.timeout(20_000);
  viaContract();
  let h: SandboxHarness;

  beforeEach(async () => {
    h = await SandboxHarness.start({
      clients: [
        DEMO_CLIENT,
        { clientId: 'c2m_codes', oneTimeCodes: ['alpha-1', 'beta-2'], allowedScopes: ['jobs:read'] },
        { clientId: 'c2m_narrow', clientSecret: 'narrow-secret', allowedScopes: ['jobs:submit', 'tokens:revoke'] },
      ],
    });
  });
  afterEach(() => h.stop());

  describe('client secret', () => {
    it('issues an opaque lt_ token with the contract fields, X-Token-Id and no-store', async () => {
      const reply = await h.long(secretGrant());
      assert.equal(reply.status, 201);
      const body = reply.json;
      assert.deepEqual(Object.keys(body), [
        'token_type',
        'access_token',
        'expires_in',
        'expires_at',
        'scopes',
        'token_id',
      ]);
      assert.equal(body.token_type, 'Bearer');
      assert.match(body.access_token, /^lt_[A-Za-z0-9_-]{40,}$/);
      assert.equal(body.expires_in, 2_592_000, 'default 30 days');
      assert.equal(body.expires_at, new Date(T0 + 2_592_000_000).toISOString().replace('.000Z', 'Z'));
      assert.deepEqual(
        body.scopes,
        ['jobs:*', 'templates:*', 'tokens:*'],
        'default scopes = the client allowed scopes',
      );
      assert.match(body.token_id, /^tok_lt_/);
      assert.equal(reply.headers.get('x-token-id'), body.token_id);
      assert.equal(reply.headers.get('cache-control'), 'no-store');
    });

    it('a wrong secret or unknown client is 401 invalid_client, and the message never echoes the secret', async () => {
      const wrong = await h.long(secretGrant({ client_secret: 'canary-SECRET-1234' }));
      assertError(wrong, 401, 'invalid_client');
      assert.doesNotMatch(wrong.text, /canary-SECRET-1234/);
      assertError(await h.long(secretGrant({ client_id: 'c2m_nobody' })), 401, 'invalid_client');
      // A client without a secret cannot use the secret mechanism.
      assertError(
        await h.long(secretGrant({ client_id: 'c2m_codes', client_secret: 'alpha-1' })),
        401,
        'invalid_client',
      );
    });

    it('clamps ttl_seconds to 3600..7776000', async () => {
      for (const [asked, granted] of [
        [1, 3600],
        [3600, 3600],
        [86_400, 86_400],
        [7_776_000, 7_776_000],
        [99_999_999, 7_776_000],
        [-5, 3600],
      ] as const) {
        // The schema bounds ttl_seconds to 3600..7776000, so a value outside is refused by the contract; the
        // sandbox clamps it instead ("Server may clamp"), which only a direct request shows.
        const inRange = asked >= 3600 && asked <= 7_776_000;
        const send = (via: SandboxHarness) => via.long(secretGrant({ ttl_seconds: asked }));
        const reply = inRange ? await send(h) : await h.forbidden('UNPROCESSABLE_ENTITY', send);
        assert.equal(reply.status, 201, reply.text);
        assert.equal(reply.json.expires_in, granted, `ttl ${asked}`);
      }
      for (const ttl of [3600.5, '3600']) {
        assertError(
          await h.forbidden('UNPROCESSABLE_ENTITY', (via) => via.long(secretGrant({ ttl_seconds: ttl }))),
          400,
          'invalid_request',
        );
      }
    });

    it('scopes: allowed ones (prefix:* covers the prefix) are granted as asked; others are 400 invalid_scope', async () => {
      const ok = await h.long(secretGrant({ scopes: ['jobs:submit', 'templates:read', 'jobs:submit'] }));
      assert.equal(ok.status, 201, ok.text);
      assert.deepEqual(ok.json.scopes, ['jobs:submit', 'templates:read']);
      assertError(await h.long(secretGrant({ scopes: ['billing:read'] })), 400, 'invalid_scope');
      assertError(await h.long(secretGrant({ scopes: ['jobs:submit', 'admin:*'] })), 400, 'invalid_scope');
      assertError(await h.long(secretGrant({ scopes: [] })), 400, 'invalid_scope');
      assertError(await h.long(secretGrant({ scopes: ['jobs submit'] })), 400, 'invalid_scope');
      const narrow = { client_id: 'c2m_narrow', client_secret: 'narrow-secret' };
      assertError(await h.long(secretGrant({ ...narrow, scopes: ['jobs:*'] })), 400, 'invalid_scope');
      assert.deepEqual((await h.issueLong(narrow)).scopes, ['jobs:submit', 'tokens:revoke']);
    });
  });

  describe('one-time codes', () => {
    const otp = (code: string, extra: Record<string, unknown> = {}) => ({
      grant_type: 'client_credentials',
      client_id: DEMO_CLIENT_ID,
      otp_code: code,
      ...extra,
    });

    it('accepts the current TOTP code once; its reuse is 401 invalid_client', async () => {
      const code = totp(DEMO_TOTP_SECRET, h.clock.ms);
      assert.equal((await h.long(otp(code))).status, 201);
      const again = await h.long(otp(code));
      assertError(again, 401, 'invalid_client');
      assert.doesNotMatch(again.text, new RegExp(code));
    });

    it('tolerates one step each way, not two', async () => {
      const at = (steps: number) => totp(DEMO_TOTP_SECRET, h.clock.ms + steps * 30_000);
      assertError(await h.long(otp(at(-2))), 401, 'invalid_client');
      assertError(await h.long(otp(at(2))), 401, 'invalid_client');
      assert.equal((await h.long(otp(at(-1)))).status, 201);
      assert.equal((await h.long(otp(at(0)))).status, 201);
      assert.equal((await h.long(otp(at(1)))).status, 201);
      h.clock.advance(10 * 30_000);
      assertError(await h.long(otp(at(-3))), 401, 'invalid_client'); // an old code stays dead
    });

    it('a code older than the last accepted one is refused (RFC 6238 5.2)', async () => {
      const next = totp(DEMO_TOTP_SECRET, h.clock.ms + 30_000);
      const previous = totp(DEMO_TOTP_SECRET, h.clock.ms - 30_000);
      assert.equal((await h.long(otp(next))).status, 201);
      assertError(await h.long(otp(previous)), 401, 'invalid_client');
    });

    it('sandbox one-time codes work once each', async () => {
      const codes = (code: string) => otp(code, { client_id: 'c2m_codes' });
      const first = await h.long(codes('alpha-1'));
      assert.equal(first.status, 201, first.text);
      assert.deepEqual(first.json.scopes, ['jobs:read']);
      assertError(await h.long(codes('alpha-1')), 401, 'invalid_client');
      assert.equal((await h.long(codes('beta-2'))).status, 201);
      assertError(await h.long(codes('gamma-3')), 401, 'invalid_client');
    });

    it('a request refused for its scopes does not burn the code', async () => {
      const code = totp(DEMO_TOTP_SECRET, h.clock.ms);
      assertError(await h.long(otp(code, { scopes: ['admin:*'] })), 400, 'invalid_scope');
      assert.equal((await h.long(otp(code))).status, 201);
    });
  });

  describe('short-term token with tokens:write', () => {
    const bearerGrant = { grant_type: 'client_credentials', client_id: DEMO_CLIENT_ID };

    it('rotates: a short-term token with tokens:write issues a new long-term token within the old one', async () => {
      const old = await h.issueLong({ scopes: ['jobs:*', 'tokens:*'] });
      const short = await h.issueShort(old.token, ['tokens:write']);
      const reply = await h.long(bearerGrant, short.token);
      assert.equal(reply.status, 201, reply.text);
      assert.notEqual(reply.json.token_id, old.id);
      assert.deepEqual(
        reply.json.scopes,
        ['jobs:*', 'tokens:*'],
        'defaults to the scopes of the long-term token it descends from',
      );
      assertError(await h.long({ ...bearerGrant, scopes: ['templates:read'] }, short.token), 400, 'invalid_scope');
    });

    it('needs tokens:write (403), a short-term token (401), a live one (401), and the same client_id (400)', async () => {
      const old = await h.issueLong();
      const readOnly = await h.issueShort(old.token, ['jobs:read']);
      const denied = await h.long(bearerGrant, readOnly.token);
      assertError(denied, 403, 'insufficient_scope');
      assertError(await h.long(bearerGrant, old.token), 401, 'invalid_token');
      assertError(await h.long(bearerGrant, 'garbage'), 401, 'invalid_token');
      const writer = await h.issueShort(old.token, ['tokens:write']);
      assertError(await h.long({ ...bearerGrant, client_id: 'c2m_narrow' }, writer.token), 400, 'invalid_grant');
      h.clock.advance(901_000);
      assertError(await h.long(bearerGrant, writer.token), 401, 'invalid_token');
    });
  });

  describe('one mechanism per call', () => {
    it('two mechanisms are 400 invalid_request; none is 400 too', async () => {
      const code = totp(DEMO_TOTP_SECRET, h.clock.ms);
      assertError(await h.long(secretGrant({ otp_code: code })), 400, 'invalid_request');
      const old = await h.issueLong();
      const writer = await h.issueShort(old.token, ['tokens:write']);
      assertError(await h.long(secretGrant(), writer.token), 400, 'invalid_request');
      assertError(
        await h.long({ grant_type: 'client_credentials', client_id: DEMO_CLIENT_ID }),
        400,
        'invalid_request',
      );
      // The OTP was not used up by the refused two-mechanism request.
      assert.equal(
        (await h.long({ grant_type: 'client_credentials', client_id: DEMO_CLIENT_ID, otp_code: code })).status,
        201,
      );
    });

    it('grant_type must be known and fit the mechanism (400 invalid_grant)', async () => {
      assertError(
        await h.forbidden('UNPROCESSABLE_ENTITY', (via) => via.long(secretGrant({ grant_type: 'password' }))),
        400,
        'invalid_grant',
      );
      assertError(await h.long(secretGrant({ grant_type: 'assertion' })), 400, 'invalid_request'); // secret + assertion grant = two
      assertError(
        await h.long({ grant_type: 'assertion', client_id: DEMO_CLIENT_ID, assertion_type: ASSERTION_TYPE }),
        400,
        'invalid_request',
      );
      // Missing or unknown, the answer is the contract's own example, word for word. The schema itself refuses both
      // (grant_type is required, and one of two values), so only a direct request reaches the sandbox.
      for (const body of [
        { client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET },
        secretGrant({ grant_type: 'password' }),
      ]) {
        const reply = await h.forbidden('UNPROCESSABLE_ENTITY', (via) => via.long(body));
        assertError(reply, 400, 'invalid_grant');
        assert.equal(reply.json.message, 'The grant type is not supported');
      }
    });
  });
});

describe('sandbox: assertions', function () {
  this.timeout(30_000);
  viaContract();
  const ALGS = [
    ['RS256', { modulusLength: 2048 }],
    ['ES256', {}],
    ['EdDSA', { crv: 'Ed25519' }],
  ] as const;

  for (const [alg, keyOptions] of ALGS) {
    describe(alg, () => {
      const clientId = `c2m_${alg.toLowerCase()}`;
      let h: SandboxHarness;
      let privateKey: SigningKey;
      let strangerKey: SigningKey;

      before(async () => {
        const { generateKeyPair, exportSPKI } = await loadJose();
        const pair = await generateKeyPair(alg, { ...keyOptions, extractable: true });
        privateKey = pair.privateKey;
        strangerKey = (await generateKeyPair(alg, keyOptions)).privateKey;
        h = await SandboxHarness.start({
          clients: [
            DEMO_CLIENT,
            { clientId, publicKeyPem: await exportSPKI(pair.publicKey), allowedScopes: ['jobs:*', 'tokens:*'] },
          ],
        });
      });
      after(() => h.stop());

      interface Claims {
        iss?: string;
        sub?: string;
        aud?: string;
        exp?: number;
        iat?: number;
        jti?: string;
      }

      async function sign(
        overrides: Claims = {},
        key: SigningKey = privateKey,
        headerAlg: string = alg,
      ): Promise<string> {
        const { SignJWT } = await loadJose();
        const nowSeconds = Math.floor(h.clock.ms / 1000);
        const claims = {
          iss: clientId,
          sub: clientId,
          aud: h.sandbox.baseUrl,
          iat: nowSeconds,
          exp: nowSeconds + 300,
          jti: randomUUID(),
          ...overrides,
        };
        return new SignJWT({ jti: claims.jti })
          .setProtectedHeader({ alg: headerAlg, typ: 'JWT' })
          .setIssuer(claims.iss)
          .setSubject(claims.sub)
          .setAudience(claims.aud)
          .setIssuedAt(claims.iat)
          .setExpirationTime(claims.exp)
          .sign(key);
      }

      const grant = (assertion: string) => ({
        grant_type: 'assertion',
        client_id: clientId,
        assertion_type: ASSERTION_TYPE,
        assertion,
      });

      it('a fresh assertion issues a token; replaying its jti is refused', async () => {
        const assertion = await sign();
        const reply = await h.long(grant(assertion));
        assert.equal(reply.status, 201, reply.text);
        assert.deepEqual(reply.json.scopes, ['jobs:*', 'tokens:*']);
        assertError(await h.long(grant(assertion)), 401, 'invalid_client');
        const sameJti = await sign({ jti: 'fixed-jti' });
        assert.equal((await h.long(grant(sameJti))).status, 201);
        assertError(await h.long(grant(await sign({ jti: 'fixed-jti' }))), 401, 'invalid_client');
      });

      it('refuses a wrong aud, iss or sub, an expired or far-future exp, and a foreign signature', async () => {
        const nowSeconds = Math.floor(h.clock.ms / 1000);
        const refused = {
          audience: await sign({ aud: 'https://api.example.com/v1' }),
          issuer: await sign({ iss: DEMO_CLIENT_ID }),
          subject: await sign({ sub: 'someone-else' }),
          expired: await sign({ iat: nowSeconds - 900, exp: nowSeconds - 600 }),
          farFuture: await sign({ exp: nowSeconds + 3600 }),
          futureIat: await sign({ iat: nowSeconds + 600 }),
          signature: await sign({}, strangerKey),
        };
        for (const [what, assertion] of Object.entries(refused)) {
          const reply = await h.long(grant(assertion));
          assertError(reply, 401, 'invalid_client');
          assert.ok(!reply.text.includes(assertion), `${what}: the assertion is not echoed`);
        }
        const tampered = (await sign()).split('.');
        tampered[1] = Buffer.from(
          JSON.stringify({ iss: clientId, sub: clientId, aud: h.sandbox.baseUrl, exp: nowSeconds + 60, jti: 'x' }),
        ).toString('base64url');
        assertError(await h.long(grant(tampered.join('.'))), 401, 'invalid_client');
        assertError(await h.long(grant('not-a-jwt')), 401, 'invalid_client');
        assertError(await h.long({ ...grant(await sign()), assertion_type: 'urn:other' }), 400, 'invalid_grant');
      });

      it('follows the injected clock, with bounded skew', async () => {
        const assertion = await sign({ exp: Math.floor(h.clock.ms / 1000) + 120 });
        h.clock.advance(150_000); // 30 s past exp: inside the 60 s skew
        assert.equal((await h.long(grant(assertion))).status, 201);
        const late = await sign({ exp: Math.floor(h.clock.ms / 1000) + 10 });
        h.clock.advance(120_000);
        assertError(await h.long(grant(late)), 401, 'invalid_client');
      });
    });
  }

  it('a client without a registered key cannot use assertions; an unreadable key is refused at start', async () => {
    const h = await SandboxHarness.start();
    try {
      assertError(
        await h.long({
          grant_type: 'assertion',
          client_id: DEMO_CLIENT_ID,
          assertion_type: ASSERTION_TYPE,
          assertion: 'a.b.c',
        }),
        401,
        'invalid_client',
      );
    } finally {
      await h.stop();
    }
    await assert.rejects(
      SandboxHarness.start({ clients: [{ clientId: 'x', publicKeyPem: 'nope', allowedScopes: ['jobs:*'] }] }),
      /publicKeyPem/,
    );
  });
});
