// The sandbox as the C2M API's own test scripts see it: axios, its defaults, and what those scripts check.
import { strict as assert } from 'node:assert';
import axios, { type AxiosResponse } from 'axios';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_SCOPES } from '../../sandbox/src/demo';
import { DEFAULT_EXCHANGE_LIMIT } from '../../sandbox/src/exchangeLimit';
import { totp } from '../../sandbox/src/totp';
import { INVALID_CLIENT_CHALLENGE, loadJose, ManualClock, SandboxHarness } from '../support/sandboxHttp';
import { viaContract } from '../support/prism/proxy';

type SigningKey = Parameters<InstanceType<Awaited<ReturnType<typeof loadJose>>['SignJWT']>['sign']>[0];

const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

// The authors' scripts look at status, body and headers of every answer, errors included.
const api = axios.create({ validateStatus: () => true });

function assertAuthError(reply: AxiosResponse, status: number, code: string, message?: RegExp | string): void {
  assert.equal(reply.status, status, JSON.stringify(reply.data));
  assert.equal(reply.data.code, code);
  assert.equal(typeof reply.data.message, 'string');
  if (typeof message === 'string') assert.equal(reply.data.message, message);
  else if (message) assert.match(reply.data.message, message);
}

describe('sandbox: as the API authors test it (axios)', function () {
  this.timeout(20_000);
  viaContract();
  let h: SandboxHarness;
  let publicKeyPem: string;
  let privateKey: SigningKey;
  let strangerKey: SigningKey;

  before(async () => {
    const jose = await loadJose();
    const pair = await jose.generateKeyPair('ES256', { extractable: true });
    publicKeyPem = await jose.exportSPKI(pair.publicKey);
    privateKey = pair.privateKey;
    strangerKey = (await jose.generateKeyPair('ES256')).privateKey;
  });
  beforeEach(async () => {
    h = await SandboxHarness.start(
      {
        clients: [
          {
            clientId: DEMO_CLIENT_ID,
            clientSecret: DEMO_CLIENT_SECRET,
            totpSecret: TOTP_SECRET,
            publicKeyPem,
            allowedScopes: [...DEMO_SCOPES],
          },
        ],
      },
      new ManualClock(),
    );
  });
  afterEach(() => h.stop());

  // X-Client-Id: the contract's ClientKey scheme, one of the two ways it lets a caller in.
  const issue = (data: unknown, via: SandboxHarness = h) =>
    api.post(via.url('/auth/tokens/long'), data, {
      headers: { 'X-Client-Id': (data as { client_id: string }).client_id },
    });
  const secretGrant = {
    grant_type: 'client_credentials',
    client_id: DEMO_CLIENT_ID,
    client_secret: DEMO_CLIENT_SECRET,
  };

  async function sign(key: SigningKey, claims: Record<string, unknown> = {}): Promise<string> {
    const jose = await loadJose();
    const now = Math.floor(h.clock.ms / 1000);
    return new jose.SignJWT({ jti: `jti-${Math.random()}`, ...claims })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(DEMO_CLIENT_ID)
      .setSubject(DEMO_CLIENT_ID)
      .setAudience(h.sandbox.baseUrl)
      .setIssuedAt(now)
      .setExpirationTime(now + 120)
      .sign(key);
  }

  it('revoke with `data: null` (Content-Type: application/json, body "null") is 204: a body on revoke is ignored', async () => {
    const long = (await issue(secretGrant)).data as { access_token: string; token_id: string };
    // The contract defines no body for revoke, so Prism refuses this one; the sandbox itself is lenient.
    const revokeNull = (via: SandboxHarness) =>
      api.post(via.url(`/auth/tokens/${long.token_id}/revoke`), null, {
        headers: { Authorization: `Bearer ${long.access_token}`, 'Content-Type': 'application/json' },
      });
    if (h.route) {
      assert.equal((await revokeNull(h)).status, 422);
      h.refused(['UNPROCESSABLE_ENTITY'], 'a JSON body on revoke');
    }
    const revoke = await revokeNull(h.direct);
    assert.equal(revoke.status, 204);
    assert.equal(h.sandbox.isRevoked(long.token_id), true);
    // axios's default for `null` without a Content-Type (an empty form) is just as fine, and stays idempotent.
    const again = await api.post(h.url(`/auth/tokens/${long.token_id}/revoke`), null, {
      headers: { Authorization: `Bearer ${long.access_token}` },
    });
    assert.notEqual(again.status, 400);
  });

  it('failed client authentication is 401 with an AuthError body and WWW-Authenticate', async () => {
    const code = totp(TOTP_SECRET, h.clock.ms);
    const wrongCode = String((Number(code) + 500_000) % 1_000_000).padStart(6, '0');
    const failures: [string, unknown][] = [
      ['wrong client secret', { ...secretGrant, client_secret: 'wrong-secret' }],
      ['unknown client', { ...secretGrant, client_id: 'c2m_nobody' }],
      ['wrong one-time code', { grant_type: 'client_credentials', client_id: DEMO_CLIENT_ID, otp_code: wrongCode }],
      [
        'assertion with a bad signature',
        {
          grant_type: 'assertion',
          client_id: DEMO_CLIENT_ID,
          assertion_type: ASSERTION_TYPE,
          assertion: await sign(strangerKey),
        },
      ],
    ];
    assert.equal(
      (await issue({ grant_type: 'client_credentials', client_id: DEMO_CLIENT_ID, otp_code: code })).status,
      201,
    );
    failures.push([
      'reused one-time code',
      { grant_type: 'client_credentials', client_id: DEMO_CLIENT_ID, otp_code: code },
    ]);
    const assertion = await sign(privateKey);
    assert.equal(
      (await issue({ grant_type: 'assertion', client_id: DEMO_CLIENT_ID, assertion_type: ASSERTION_TYPE, assertion }))
        .status,
      201,
    );
    failures.push([
      'replayed assertion',
      { grant_type: 'assertion', client_id: DEMO_CLIENT_ID, assertion_type: ASSERTION_TYPE, assertion },
    ]);
    for (const [what, data] of failures) {
      const reply = await issue(data);
      assert.equal(reply.status, 401, `${what}: ${JSON.stringify(reply.data)}`);
      assertAuthError(reply, 401, 'invalid_client');
      assert.equal(reply.headers['www-authenticate'], INVALID_CLIENT_CHALLENGE, what);
    }
  });

  it('a missing or unsupported grant_type is 400 invalid_grant "The grant type is not supported", as the contract example', async () => {
    for (const data of [
      { client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET },
      { ...secretGrant, grant_type: 'password' },
      { ...secretGrant, grant_type: 'refresh_token' },
    ]) {
      // The schema refuses these too (grant_type required, one of two values): Prism answers for the contract.
      if (h.route) {
        assert.equal((await issue(data)).status, 422);
        h.refused(['UNPROCESSABLE_ENTITY'], 'a missing or unknown grant_type');
      }
      assertAuthError(await issue(data, h.direct), 400, 'invalid_grant', 'The grant type is not supported');
    }
  });

  it('10 rapid exchanges of one long-term token: the later ones are 429 rate_limited, with a retry hint and Retry-After', async () => {
    const long = (await issue(secretGrant)).data as { access_token: string };
    const replies: AxiosResponse[] = [];
    for (let i = 0; i < 10; i++) {
      replies.push(
        await api.post(h.url('/auth/tokens/short'), {}, { headers: { Authorization: `Bearer ${long.access_token}` } }),
      );
    }
    const limited = replies.filter((r) => r.status === 429);
    assert.equal(replies.filter((r) => r.status === 201).length, DEFAULT_EXCHANGE_LIMIT.count);
    assert.equal(limited.length, 10 - DEFAULT_EXCHANGE_LIMIT.count);
    for (const reply of limited) {
      assertAuthError(reply, 429, 'rate_limited', /retry/i);
      assert.match(String(reply.headers['retry-after']), /^\d+$/);
      assert.ok(
        Number(reply.headers['retry-after']) >= 1 &&
          Number(reply.headers['retry-after']) <= DEFAULT_EXCHANGE_LIMIT.windowSeconds,
      );
    }
    // Another long-term token has its own budget, and the window slides: after Retry-After the token works again.
    const other = (await issue(secretGrant)).data as { access_token: string };
    assert.equal(
      (await api.post(h.url('/auth/tokens/short'), {}, { headers: { Authorization: `Bearer ${other.access_token}` } }))
        .status,
      201,
    );
    h.clock.advance(Number(limited[0]!.headers['retry-after']) * 1000);
    assert.equal(
      (await api.post(h.url('/auth/tokens/short'), {}, { headers: { Authorization: `Bearer ${long.access_token}` } }))
        .status,
      201,
    );
  });

  it('the limit can be changed or turned off', async () => {
    await h.stop();
    for (const [exchangeLimit, expected] of [
      [{ count: 2, windowSeconds: 60 }, 2],
      ['off', 10],
    ] as const) {
      h = await SandboxHarness.start({ exchangeLimit }, new ManualClock());
      const long = (await issue(secretGrant)).data as { access_token: string };
      let ok = 0;
      for (let i = 0; i < 10; i++) {
        if (
          (
            await api.post(h.url('/auth/tokens/short'), undefined, {
              headers: { Authorization: `Bearer ${long.access_token}` },
            })
          ).status === 201
        )
          ok++;
      }
      assert.equal(ok, expected);
      await h.stop();
    }
    h = await SandboxHarness.start();
  });
});
