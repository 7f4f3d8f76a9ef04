// Hostile and malformed requests never crash the sandbox; it listens on loopback only and stops promptly.
// Straight to the sandbox, not through Prism of the contract (viaContract): malformed bodies, wrong content types,
// oversized bodies and broken sockets are what the sandbox itself must survive; Prism would refuse or re-serialise them.
import { strict as assert } from 'node:assert';
import { request } from 'node:http';
import { connect } from 'node:net';
import { DEMO_CLIENT, DEMO_TOTP_SECRET } from '../../sandbox/src/demo';
import { startSandbox } from '../../sandbox/src/server';
import { decodeBase32, totp } from '../../sandbox/src/totp';
import { assertError, call, received, SandboxHarness, secretGrant } from '../support/sandboxHttp';

describe('sandbox: malformed and hostile requests', function () {
  this.timeout(20_000);
  let h: SandboxHarness;
  beforeEach(async () => {
    h = await SandboxHarness.start();
  });
  afterEach(() => h.stop());

  it('non-JSON, a JSON non-object, a form body and wrong field types are 400 invalid_request', async () => {
    const longUrl = h.url('/auth/tokens/long');
    for (const [body, contentType] of [
      ['{"grant_type": ', 'application/json'],
      ['not json at all', 'application/json'],
      ['[1,2,3]', 'application/json'],
      ['null', 'application/json'],
      ['"text"', 'application/json'],
      ['grant_type=client_credentials&client_id=c2m_demo', 'application/x-www-form-urlencoded'],
    ] as const) {
      assertError(await call(longUrl, { body, headers: { 'Content-Type': contentType } }), 400, 'invalid_request');
    }
    assertError(await call(longUrl, {}), 400, 'invalid_request');
    assertError(await h.long(secretGrant({ client_id: 42 })), 400, 'invalid_request');
    assertError(await h.long(secretGrant({ client_secret: null })), 400, 'invalid_request');
    assertError(await h.long(secretGrant({ scopes: [1] })), 400, 'invalid_request');
    assertError(await h.long(secretGrant({ scopes: 'jobs:*' })), 400, 'invalid_request');
    assertError(await h.long({ grant_type: 'client_credentials' }), 400, 'invalid_request');
  });

  it('unknown body fields are 400 (additionalProperties: false), naming the field but not echoing values', async () => {
    const reply = await h.long(secretGrant({ client_secret_2: 'canary-value-xyz' }));
    assertError(reply, 400, 'invalid_request');
    assert.match(reply.json.message, /client_secret_2/);
    assert.doesNotMatch(reply.text, /canary-value-xyz/);
  });

  it('a {"__proto__": ...} body pollutes nothing and is refused as an unknown field', async () => {
    const hostile =
      '{"__proto__":{"polluted":"yes","client_secret":"x"},"constructor":{"prototype":{"polluted":"yes"}},"grant_type":"client_credentials","client_id":"c2m_demo"}';
    assertError(
      await call(h.url('/auth/tokens/long'), { body: hostile, headers: { 'Content-Type': 'application/json' } }),
      400,
      'invalid_request',
    );
    const nested =
      '{"grant_type":"client_credentials","client_id":"c2m_demo","scopes":[],"ttl_seconds":3600,"client_secret":"x","otp_code":{"__proto__":{"polluted":"yes"}}}';
    assertError(
      await call(h.url('/auth/tokens/long'), { body: nested, headers: { 'Content-Type': 'application/json' } }),
      400,
      'invalid_request',
    );
    const short = await h.issueShort((await h.issueLong()).token);
    const echoed = await call(h.url('/jobs'), {
      bearer: short.token,
      body: '{"__proto__":{"polluted":"yes"}}',
      headers: { 'Content-Type': 'application/json' },
    });
    assert.equal(echoed.status, 200);
    assert.match(echoed.text, /"body":\{"__proto__":\{"polluted":"yes"\}\}/, 'echoed back as plain data');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal((Object.prototype as Record<string, unknown>).polluted, undefined);
  });

  it('a body over 64 KB is 413 and the sandbox keeps serving', async () => {
    const huge = JSON.stringify(secretGrant({ assertion: 'x'.repeat(70 * 1024) }));
    const reply = await call(h.url('/auth/tokens/long'), {
      body: huge,
      headers: { 'Content-Type': 'application/json' },
    });
    assertError(reply, 413, 'payload_too_large');
    const big = await call(h.url('/auth/tokens/short'), { body: 'y'.repeat(2 * 1024 * 1024) });
    assert.equal(big.status, 413);
    assert.equal((await h.long(secretGrant())).status, 201);
  });

  it('a string field over 16 KB inside the cap is 400, not a crash', async () => {
    assertError(await h.long(secretGrant({ client_secret: 's'.repeat(20 * 1024) })), 400, 'invalid_request');
  });

  it('a client that disconnects mid-body or sends garbage on the socket does not take the sandbox down', async () => {
    await new Promise<void>((resolve) => {
      const req = request(h.url('/auth/tokens/long'), {
        method: 'POST',
        headers: { 'Content-Length': '1000', 'Content-Type': 'application/json' },
      });
      req.on('error', () => resolve());
      req.write('{"grant_type":', () => {
        req.destroy();
        resolve();
      });
    });
    await new Promise<void>((resolve) => {
      const socket = connect(h.sandbox.port, '127.0.0.1', () => socket.end('NOT HTTP\r\n\r\n'));
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
      socket.resume();
    });
    assert.equal((await h.long(secretGrant())).status, 201);
  });
});

describe('sandbox: lifecycle and options', function () {
  this.timeout(20_000);

  it('refuses any host that is not loopback, with a clear error', async () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'example.com', '10.0.0.1']) {
      await assert.rejects(startSandbox({ host }), /loopback only/, host);
    }
  });

  it('listens on 127.0.0.1 by default with a /v1 base URL, also on another 127/8 address and on localhost', async () => {
    for (const host of [undefined, '127.0.0.2', 'localhost']) {
      const sandbox = await startSandbox(host === undefined ? {} : { host });
      try {
        assert.match(sandbox.baseUrl, new RegExp(`^http://${host ?? '127\\.0\\.0\\.1'}:${sandbox.port}/v1$`));
        const reply = await call(`${sandbox.baseUrl}/auth/tokens/long`, { body: secretGrant() });
        assert.equal(reply.status, 201, reply.text);
      } finally {
        await sandbox.stop();
      }
    }
  });

  it('refuses bad options and client configs at start', async () => {
    await assert.rejects(startSandbox({ port: 70000 }), /port/);
    await assert.rejects(startSandbox({ shortTtlSeconds: 0 }), /shortTtlSeconds/);
    await assert.rejects(startSandbox({ clients: [{ clientId: '', allowedScopes: ['jobs:*'] }] }), /clientId/);
    await assert.rejects(startSandbox({ clients: [{ clientId: 'a', allowedScopes: [] }] }), /allowedScopes/);
    await assert.rejects(
      startSandbox({ clients: [{ clientId: 'a', totpSecret: '0189!', allowedScopes: ['jobs:*'] }] }),
      /base32/,
    );
    await assert.rejects(startSandbox({ clients: [DEMO_CLIENT, DEMO_CLIENT] }), /twice/);
  });

  it('a port in use is a clear error', async () => {
    const first = await startSandbox();
    try {
      await assert.rejects(startSandbox({ port: first.port }), /EADDRINUSE/);
    } finally {
      await first.stop();
    }
  });

  it('stop() closes keep-alive and stalled sockets promptly, and is idempotent', async () => {
    const sandbox = await startSandbox();
    assert.equal((await call(`${sandbox.baseUrl}/auth/tokens/long`, { body: secretGrant() })).status, 201); // leaves a keep-alive socket
    sandbox.faults.stall({});
    const stalled = fetch(`${sandbox.baseUrl}/jobs`).then(
      () => 'answered',
      () => 'failed',
    );
    await received(sandbox, 'GET /jobs', 1);
    await Promise.all([sandbox.stop(), sandbox.stop()]);
    assert.equal(await stalled, 'failed');
    await assert.rejects(fetch(`${sandbox.baseUrl}/jobs`));
  });

  it('counts requests per route', async () => {
    const h = await SandboxHarness.start();
    try {
      const long = await h.issueLong();
      await h.issueShort(long.token);
      await h.issueShort(long.token);
      await h.revoke(long.id, long.token);
      await h.resource('x', '/jobs/1');
      await call(`http://127.0.0.1:${h.sandbox.port}/elsewhere`, { method: 'GET' });
      assert.deepEqual(h.sandbox.stats(), {
        requests: 6,
        byRoute: {
          'POST /auth/tokens/long': 1,
          'POST /auth/tokens/short': 2,
          'POST /auth/tokens/{id}/revoke': 1,
          'GET /jobs/1': 1,
          'GET /elsewhere': 1,
        },
      });
    } finally {
      await h.stop();
    }
  });
});

describe('sandbox: totp', () => {
  // RFC 6238 appendix B (SHA-1), last six digits of the eight-digit values.
  const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'; // base32 of "12345678901234567890"

  it('matches the RFC 6238 test vectors', () => {
    assert.equal(decodeBase32(RFC_SECRET).toString('ascii'), '12345678901234567890');
    for (const [seconds, code] of [
      [59, '287082'],
      [1_111_111_109, '081804'],
      [1_111_111_111, '050471'],
      [1_234_567_890, '005924'],
      [2_000_000_000, '279037'],
      [20_000_000_000, '353130'],
    ] as const) {
      assert.equal(totp(RFC_SECRET, seconds * 1000), code, `T=${seconds}`);
    }
  });

  it('the demo secret is valid base32 and yields six digits', () => {
    assert.match(totp(DEMO_TOTP_SECRET, Date.parse('2030-01-01T00:00:00Z')), /^\d{6}$/);
    assert.throws(() => decodeBase32('ABC1'), /base32/);
  });
});
