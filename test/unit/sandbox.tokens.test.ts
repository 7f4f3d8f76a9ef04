// Short-term tokens, revocation and the protected resource against the real sandbox, with the clock moved by hand.
import { strict as assert } from 'node:assert';
import { DEMO_CLIENT } from '../../sandbox/src/demo';
import { assertError, call, loadJose, SandboxHarness } from '../support/sandboxHttp';
import { viaContract } from '../support/prism/proxy';

const CLIENTS = [
  DEMO_CLIENT,
  { clientId: 'c2m_other', clientSecret: 'other-secret', allowedScopes: ['jobs:*', 'tokens:*'] },
];

// The short-term tokens and revoke suites share one kind of sandbox: the demo client and a second one.
describe('sandbox:', function () {
  this.timeout(20_000);
  viaContract();
  let h: SandboxHarness;
  beforeEach(async () => {
    h = await SandboxHarness.start({ clients: CLIENTS });
  });
  afterEach(() => h.stop());

  describe('short-term tokens', () => {
    it('exchanges a long-term token for an HS256 JWT: exp = iat + 900, sub, space-separated scope, jti = token_id', async () => {
      const long = await h.issueLong();
      h.clock.advance(1234); // not on a whole second: iat is whole seconds anyway
      const reply = await h.short(long.token);
      assert.equal(reply.status, 201, reply.text);
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
      assert.equal(body.expires_in, 900);
      assert.deepEqual(body.scopes, ['jobs:*', 'templates:*', 'tokens:*']);
      assert.match(body.token_id, /^tok_st_/);
      assert.equal(reply.headers.get('x-token-id'), body.token_id);
      assert.equal(reply.headers.get('cache-control'), 'no-store');
      const { decodeJwt, decodeProtectedHeader } = await loadJose();
      assert.equal(decodeProtectedHeader(body.access_token).alg, 'HS256');
      const claims = decodeJwt(body.access_token);
      assert.equal(claims.iat, Math.floor(h.clock.ms / 1000));
      assert.equal(claims.exp, claims.iat! + 900);
      assert.equal(claims.sub, 'c2m_demo');
      assert.equal(claims.scope, 'jobs:* templates:* tokens:*');
      assert.equal(claims.jti, body.token_id);
      assert.equal(body.expires_at, new Date(claims.exp! * 1000).toISOString().replace('.000Z', 'Z'));
    });

    it('narrows to a subset of the long-term scopes; anything else is 400 invalid_scope', async () => {
      const long = await h.issueLong({ scopes: ['jobs:*', 'tokens:revoke'] });
      assert.deepEqual((await h.issueShort(long.token, ['jobs:submit'])).scopes, ['jobs:submit']);
      assert.deepEqual((await h.issueShort(long.token, ['jobs:*', 'tokens:revoke'])).scopes, [
        'jobs:*',
        'tokens:revoke',
      ]);
      assertError(await h.short(long.token, { scopes: ['templates:read'] }), 400, 'invalid_scope');
      assertError(await h.short(long.token, { scopes: ['tokens:*'] }), 400, 'invalid_scope');
      assertError(await h.short(long.token, { scopes: [] }), 400, 'invalid_scope');
    });

    it('takes an empty body, {}, {scopes} or long_token in the body; refuses unknown fields and a second, different token', async () => {
      const long = await h.issueLong();
      assert.equal((await call(h.url('/auth/tokens/short'), { bearer: long.token })).status, 201);
      assert.equal((await h.short(long.token, {})).status, 201);
      // The schema makes long_token "optional if the long-term token is provided in Authorization header", yet the
      // operation's security asks for that header: the contract forbids the body alone, the sandbox takes it.
      assert.equal(
        (await h.forbidden('UNAUTHORIZED', (via) => via.short(undefined, { long_token: long.token }))).status,
        201,
      );
      assert.equal((await h.short(long.token, { long_token: long.token })).status, 201);
      const other = await h.issueLong();
      assertError(await h.short(long.token, { long_token: other.token }), 400, 'invalid_request');
      // An unknown field (additionalProperties: false) and a wrong type: refused by the contract and by the sandbox.
      assertError(
        await h.forbidden('UNPROCESSABLE_ENTITY', (via) => via.short(long.token, { scopes: ['jobs:read'], ttl: 5 })),
        400,
        'invalid_request',
      );
      assertError(
        await h.forbidden('UNPROCESSABLE_ENTITY', (via) => via.short(long.token, { scopes: 'jobs:read' })),
        400,
        'invalid_request',
      );
    });

    it('needs a live long-term token: missing, garbage, another scheme, short-term or expired is 401 invalid_token', async () => {
      // No bearer token at all is outside the operation's security: Prism answers for the contract, the sandbox alike.
      assertError(await h.forbidden('UNAUTHORIZED', (via) => via.short(undefined)), 401, 'invalid_token');
      assertError(await h.short('lt_garbage'), 401, 'invalid_token');
      const basic = (via: SandboxHarness) =>
        call(via.url('/auth/tokens/short'), { headers: { Authorization: 'Basic Zm9vOmJhcg==' } });
      assertError(await h.forbidden('UNAUTHORIZED', basic), 401, 'invalid_token');
      const long = await h.issueLong({ ttl_seconds: 3600 });
      const short = await h.issueShort(long.token);
      assertError(await h.short(short.token), 401, 'invalid_token');
      h.clock.advance(3600_000);
      assertError(await h.short(long.token), 401, 'invalid_token');
    });

    it('expires by the injected clock: 200 at the protected resource until exp, then 401', async () => {
      const long = await h.issueLong();
      const short = await h.issueShort(long.token);
      h.clock.advance(899_000);
      assert.equal((await h.resource(short.token)).status, 200);
      h.clock.advance(1000);
      assertError(await h.resource(short.token), 401, 'invalid_token');
    });

    it('honours shortTtlSeconds', async () => {
      const custom = await SandboxHarness.start({ shortTtlSeconds: 60 });
      try {
        const long = await custom.issueLong();
        const reply = await custom.short(long.token);
        assert.equal(reply.json.expires_in, 60);
      } finally {
        await custom.stop();
      }
    });

    it('a JWT signed by another sandbox instance (another key) is refused', async () => {
      const other = await SandboxHarness.start();
      try {
        const foreign = await other.issueShort((await other.issueLong()).token);
        assertError(await h.resource(foreign.token), 401, 'invalid_token');
      } finally {
        await other.stop();
      }
    });
  });

  describe('revoke', () => {
    it('204, 204 again for an already revoked token, 404 for an unknown id', async () => {
      const admin = await h.issueLong();
      const victim = await h.issueLong();
      const first = await h.revoke(victim.id, admin.token);
      assert.equal(first.status, 204);
      assert.equal(first.text, '');
      assert.equal(h.sandbox.isRevoked(victim.id), true);
      assert.equal((await h.revoke(victim.id, admin.token)).status, 204);
      assertError(await h.revoke('tok_lt_doesnotexist', admin.token), 404, 'not_found');
      assertError(await h.short(victim.token), 401, 'invalid_token');
    });

    it("another client's token is 404, exactly like an unknown one", async () => {
      const mine = await h.issueLong();
      const theirs = await h.issueLong({ client_id: 'c2m_other', client_secret: 'other-secret' });
      const reply = await h.revoke(theirs.id, mine.token);
      assertError(reply, 404, 'not_found');
      assert.deepEqual(reply.json, (await h.revoke('tok_lt_unknown', mine.token)).json);
      assert.equal(h.sandbox.isRevoked(theirs.id), false);
    });

    it('needs tokens:revoke (403 insufficient_scope) and a live bearer token (401)', async () => {
      const long = await h.issueLong();
      const reader = await h.issueShort(long.token, ['jobs:read']);
      const denied = await h.revoke(long.id, reader.token);
      assertError(denied, 403, 'insufficient_scope');
      assert.equal(h.sandbox.isRevoked(long.id), false);
      assertError(await h.forbidden('UNAUTHORIZED', (via) => via.revoke(long.id)), 401, 'invalid_token');
      assertError(await h.revoke(long.id, 'garbage'), 401, 'invalid_token');
      const revoker = await h.issueShort(long.token, ['tokens:revoke']);
      assert.equal(
        (await h.revoke(reader.id, revoker.token)).status,
        204,
        'a short-term token with tokens:revoke may revoke',
      );
      const narrow = await h.issueLong({ scopes: ['jobs:*'] });
      assertError(await h.revoke(narrow.id, narrow.token), 403, 'insufficient_scope');
    });

    it('revoking a long-term token revokes the short-term tokens made from it', async () => {
      const long = await h.issueLong();
      const a = await h.issueShort(long.token);
      const b = await h.issueShort(long.token, ['jobs:read']);
      const sibling = await h.issueLong();
      const untouched = await h.issueShort(sibling.token);
      assert.equal((await h.revoke(long.id, sibling.token)).status, 204);
      for (const child of [a, b]) {
        assert.equal(h.sandbox.isRevoked(child.id), true);
        assertError(await h.resource(child.token), 401, 'invalid_token');
      }
      assert.equal(h.sandbox.isRevoked(untouched.id), false);
      assert.equal((await h.resource(untouched.token)).status, 200);
    });

    it('ignores any body: the contract defines none (axios sends `null` as JSON for `data: null`)', async () => {
      const id = (await h.issueLong()).id;
      const bearer = (await h.issueLong()).token;
      for (const [body, contentType] of [
        ['null', 'application/json'],
        ['{"reason":"x"}', 'application/json'],
        ['{}', 'application/json'],
        ['not json', 'text/plain'],
      ]) {
        // A body where the contract defines none is outside it (Prism: "no supported content types"); the sandbox is lenient.
        const reply = await h.forbidden('UNPROCESSABLE_ENTITY', (via) =>
          call(via.url(`/auth/tokens/${id}/revoke`), { bearer, body, headers: { 'Content-Type': contentType! } }),
        );
        assert.equal(reply.status, 204, `${contentType} ${body}`);
      }
    });
  });
});

describe('sandbox: protected resource', function () {
  this.timeout(20_000);
  viaContract();
  let h: SandboxHarness;
  beforeEach(async () => {
    h = await SandboxHarness.start();
  });
  afterEach(() => h.stop());

  it('echoes method, path, headers (Authorization masked) and body for a fresh short-term token', async () => {
    const short = await h.issueShort((await h.issueLong()).token, ['jobs:submit']);
    // The protected resource is the sandbox's own (the contract has only the token operations): always direct.
    const reply = await call(h.direct.url('/jobs/42?dry=1'), {
      method: 'PUT',
      bearer: short.token,
      body: { copies: 2 },
      headers: { 'X-Trace': 'abc' },
    });
    assert.equal(reply.status, 200, reply.text);
    assert.equal(reply.json.method, 'PUT');
    assert.equal(reply.json.path, '/v1/jobs/42?dry=1');
    assert.equal(reply.json.headers['x-trace'], 'abc');
    assert.equal(reply.json.headers.authorization, 'Bearer ***');
    assert.ok(!reply.text.includes(short.token), 'the token is not echoed');
    assert.deepEqual(reply.json.body, { copies: 2 });
    assert.deepEqual(reply.json.token, { client_id: 'c2m_demo', token_id: short.id, scopes: ['jobs:submit'] });
    const text = await call(h.direct.url('/templates'), {
      bearer: short.token,
      body: 'plain words',
      headers: { 'Content-Type': 'text/plain' },
    });
    assert.equal(text.json.body, 'plain words');
  });

  it('refuses a missing, garbage, long-term, revoked or expired token with 401 invalid_token', async () => {
    const long = await h.issueLong();
    const short = await h.issueShort(long.token);
    assertError(await h.resource(), 401, 'invalid_token');
    assertError(await h.resource('eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.'), 401, 'invalid_token');
    assertError(await h.resource('garbage'), 401, 'invalid_token');
    assertError(await h.resource(long.token), 401, 'invalid_token');
    const unsigned = `${short.token.split('.').slice(0, 2).join('.')}.AAAA`;
    assertError(await h.resource(unsigned), 401, 'invalid_token');
    assert.equal((await h.revoke(short.id, long.token)).status, 204);
    assertError(await h.resource(short.token), 401, 'invalid_token');
  });

  it('answers 404 outside the base path and 405 for a non-POST token endpoint', async () => {
    assertError(await call(`http://127.0.0.1:${h.sandbox.port}/v2/jobs`, { method: 'GET' }), 404, 'not_found');
    const wrongMethod = await h.forbidden('NO_METHOD_MATCHED_ERROR', (via) =>
      call(via.url('/auth/tokens/long'), { method: 'GET' }),
    );
    assertError(wrongMethod, 405, 'method_not_allowed');
    assert.equal(wrongMethod.headers.get('allow'), 'POST');
  });
});
