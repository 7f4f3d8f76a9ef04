// The API client and the token engine against the contract's own mock server, `prism mock`, as the API's authors run
// it: static examples (X-Token-Id "string" beside token_id "tok_lt_b8e0aa", an expires_at in the past, a token that
// is no real JWT) and --dynamic (random values, many unusable). One Prism per mode, on a free port.
import { strict as assert } from 'node:assert';
import { generateKeyPairSync } from 'node:crypto';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAuthClient } from '../../client/src/api/authClient';
import { C2mApiError } from '../../client/src/api/errors';
import type { LongTermGrant } from '../../client/src/api/types';
import { FakeClock } from '../support/fakeClock';
import type { TokenFailure } from '../../client/src/core/engineTypes';
import type { Profile } from '../../client/src/core/profile';
import { MemorySecretStore } from '../support/memorySecretStore';
import { TokenEngine } from '../../client/src/core/tokenEngine';
import { CONTRACT, startPrism, type Prism } from '../support/prism/mock';

const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);
const PRIVATE_KEY = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
const grants = (shortTermToken: string): LongTermGrant[] => [
  { mechanism: 'client_secret', clientId: 'c2m_abc123', clientSecret: 'supersecret123' },
  { mechanism: 'otp', clientId: 'c2m_abc123', otpCode: '123456' },
  { mechanism: 'assertion', clientId: 'c2m_abc123', privateKeyPem: PRIVATE_KEY },
  { mechanism: 'short_term', clientId: 'c2m_abc123', shortTermToken },
];

function engineOn(prism: Prism, mechanism: Profile['mechanism'], failures: TokenFailure[], logs: string[]) {
  const profile: Profile = {
    id: 'p',
    name: 'Prism',
    baseUrl: prism.baseUrl,
    clientId: 'c2m_abc123',
    mechanism,
    scopes: ['jobs:*'],
  };
  const engine = new TokenEngine({
    store: new MemorySecretStore(),
    profiles: [profile],
    clock: new FakeClock(T0),
    random: () => 0.5,
    heartbeatMs: 0,
    sleep: () => Promise.resolve(),
    log: (line) => logs.push(line),
    prompts: { otpCode: async () => '123456' },
  });
  engine.onDidFail((f) => failures.push(f));
  return engine;
}

/** A relay to `prism` that adds `Prefer: code=404` to POSTs on `path` (Prism mock then answers the contract's 404). */
async function preferring404For(
  path: string,
  prism: Prism,
  seen: string[],
): Promise<{ baseUrl: string; stop(): Promise<void> }> {
  const target = new URL(prism.baseUrl);
  const server = createServer((req, res) => {
    seen.push(req.url ?? '');
    const headers = { ...req.headers, ...(req.url === path ? { prefer: 'code=404' } : {}) };
    const out = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.once('error', () => res.destroy());
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe('against prism mock of the contract: static examples', function () {
  this.timeout(30_000);
  let prism: Prism;
  before(async () => {
    prism = await startPrism(['mock', CONTRACT]);
  });
  after(() => prism.stop());

  it('the API client issues with all four mechanisms, exchanges, narrows and revokes; disagreeing ids are kept', async () => {
    const logs: string[] = [];
    const client = createAuthClient({ baseUrl: prism.baseUrl, log: (line) => logs.push(line) });
    const short = await client.issueShortTermToken('lt_0d51e9bd2f6449cf');
    assert.equal(short.tokenId, 'tok_st_9f3d2c');
    assert.equal(short.expiresIn, 900);
    const narrowed = await client.issueShortTermToken('lt_0d51e9bd2f6449cf', { scopes: ['jobs:submit'] });
    assert.ok(narrowed.accessToken.length > 0);
    for (const grant of grants(short.accessToken)) {
      const long = await client.issueLongTermToken(grant);
      assert.deepEqual(
        [long.tokenId, long.bodyTokenId, long.expiresIn],
        ['string', 'tok_lt_b8e0aa', 2_592_000],
        grant.mechanism,
      );
    }
    assert.ok(logs.some((l) => l.includes('X-Token-Id (string) and token_id (tok_lt_b8e0aa) disagree')));
    await client.revokeToken('string', short.accessToken);
  });

  it('the engine stores the token (ids disagreeing, told once), works from expires_in though expires_at is past, narrows and revokes', async () => {
    for (const mechanism of ['client_secret', 'otp', 'assertion'] as const) {
      const failures: TokenFailure[] = [];
      const logs: string[] = [];
      const engine = engineOn(prism, mechanism, failures, logs);
      await engine.ready;
      if (mechanism === 'client_secret') await engine.setClientSecret('p', 'supersecret123');
      if (mechanism === 'assertion') await engine.setPrivateKey('p', PRIVATE_KEY);
      const long = await engine.issueLongTermToken('p');
      assert.equal(long.tokenId, 'string', mechanism);
      assert.equal(long.status, 'valid', 'expiry from local receipt + expires_in, not the past expires_at');
      assert.equal(long.expiresAt, T0 + 2_592_000_000);
      await engine.rotateLongTermToken('p');
      const told = failures.filter((f) => f.error.code === 'ids_disagree');
      assert.equal(told.length, 1, 'told once, not at every issue');
      assert.equal(told[0]!.background, true);
      const { value, info } = await engine.getShortTermToken('p');
      assert.equal(value, 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...');
      assert.equal(info.status, 'valid');
      const scoped = await engine.getScopedShortTermToken('p', ['jobs:submit']);
      assert.equal(scoped.info.tokenId, 'tok_st_9f3d2c');
      await engine.revoke('p', 'long');
      assert.equal(engine.tokens().find((t) => t.kind === 'long')?.status, 'revoked');
      await engine.idle();
      engine.dispose();
    }
  });

  it("disagreeing ids, the header's unknown to the server: the engine revokes by the body's token_id after a 404", async () => {
    // The static example's X-Token-Id is "string", its token_id "tok_lt_b8e0aa". In front of Prism, a relay asks
    // for the contract's 404 (Prefer: code=404) when "string" is revoked: a server that only knows the body's id.
    const paths: string[] = [];
    const relay = await preferring404For('/auth/tokens/string/revoke', prism, paths);
    try {
      const failures: TokenFailure[] = [];
      const logs: string[] = [];
      const engine = engineOn({ ...prism, baseUrl: relay.baseUrl }, 'client_secret', failures, logs);
      await engine.ready;
      await engine.setClientSecret('p', 'supersecret123');
      await engine.issueLongTermToken('p');
      await engine.revoke('p', 'long');
      await engine.idle();
      assert.deepEqual(
        paths.filter((p) => p.endsWith('/revoke')),
        ['/auth/tokens/string/revoke', '/auth/tokens/tok_lt_b8e0aa/revoke'],
      );
      assert.equal(engine.tokens().find((t) => t.kind === 'long')?.status, 'revoked');
      assert.deepEqual(engine.pendingRevokes(), []);
      assert.deepEqual(
        failures.map((f) => f.error.code),
        ['ids_disagree'],
        'the revoke itself reported nothing',
      );
      assert.ok(
        logs.some((l) => l.includes("no token string (404): revoking by the response body's id tok_lt_b8e0aa")),
      );
      engine.dispose();
    } finally {
      await relay.stop();
    }
  });

  it('step-up: the engine issues the next long-term token with its short-term token', async () => {
    const failures: TokenFailure[] = [];
    const engine = engineOn(prism, 'client_secret', failures, []);
    await engine.ready;
    await engine.setClientSecret('p', 'supersecret123');
    await engine.issueLongTermToken('p');
    engine.setProfiles(
      [
        {
          id: 'p',
          name: 'Prism',
          baseUrl: prism.baseUrl,
          clientId: 'c2m_abc123',
          mechanism: 'short_term',
          scopes: ['jobs:*'],
        },
      ],
      'p',
    );
    assert.equal((await engine.rotateLongTermToken('p')).status, 'valid');
    await engine.idle();
    engine.dispose();
  });
});

describe('against prism mock of the contract: --dynamic', function () {
  this.timeout(30_000);
  let prism: Prism;
  before(async () => {
    prism = await startPrism(['mock', CONTRACT, '--dynamic', '--seed', 'c2m']);
  });
  after(() => prism.stop());

  it('every answer is either a usable token or a clear invalid_response; the engine stores nothing unusable', async () => {
    const client = createAuthClient({ baseUrl: prism.baseUrl });
    const outcomes: string[] = [];
    const settle = async (work: Promise<unknown>) => {
      try {
        await work;
        outcomes.push('ok');
      } catch (error) {
        assert.ok(error instanceof C2mApiError && error.kind === 'invalid_response', String(error));
        outcomes.push('refused');
      }
    };
    for (let i = 0; i < 5; i++)
      await settle(client.issueShortTermToken('lt_0d51e9bd2f6449cf', { scopes: ['jobs:submit'] }));
    for (const grant of grants('eyJhbGciOiJIUzI1NiJ9.e30.sig')) await settle(client.issueLongTermToken(grant));
    await client.revokeToken('tok_1', 'lt_0d51e9bd2f6449cf');
    assert.equal(outcomes.length, 9);

    const failures: TokenFailure[] = [];
    const engine = engineOn(prism, 'client_secret', failures, []);
    await engine.ready;
    await engine.setClientSecret('p', 'supersecret123');
    const issued = await engine.issueLongTermToken('p').then(
      () => 'ok',
      (e: Error) => e.message,
    );
    const long = engine.tokens().find((t) => t.kind === 'long');
    if (issued === 'ok') assert.equal(long?.status, 'valid');
    else assert.equal(long, undefined, `nothing stored after: ${issued}`);
    engine.dispose();
  });
});
