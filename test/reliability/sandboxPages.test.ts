// A hostile web page against the sandbox: it can reach 127.0.0.1 with no-cors requests (text/plain or form bodies,
// an Origin header the browser adds), or rebind its own host name to 127.0.0.1 (Host and Origin both the attacker's).
// Every such request is refused before it is handled: no token issued, no one-time code used up, nothing revoked.
// Straight to the sandbox, not through Prism of the contract: Prism rewrites Host, answers preflights itself and
// adds CORS headers, so the attack would not reach the sandbox as a browser sends it.
import { strict as assert } from 'node:assert';
import { request } from 'node:http';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_SCOPES } from '../../sandbox/src/demo';
import { startSandbox, type Sandbox } from '../../sandbox/src/server';
import { note } from '../support/reliability/ledger';

const CODE = 'page-test-one-time-code';

interface Raw {
  status: number;
  body: string;
}

/** node:http, so Host and Origin are exactly what a browser would send (fetch sets Host itself). */
function raw(
  sandbox: Sandbox,
  path: string,
  headers: Record<string, string>,
  body = '',
  method = 'POST',
): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: sandbox.port,
        path: `/v1${path}`,
        method,
        headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('reliability: hostile pages against the sandbox', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await startSandbox({
      clients: [
        {
          clientId: DEMO_CLIENT_ID,
          clientSecret: DEMO_CLIENT_SECRET,
          oneTimeCodes: [CODE],
          allowedScopes: [...DEMO_SCOPES],
        },
      ],
    });
  });
  after(() => sandbox.stop());

  it('[A4] no-cors POSTs, rebound Host names and Origin headers get nothing: no token, no code used, nothing revoked', async () => {
    const n = note(
      'A4',
      'no-cors text/plain and form POSTs with Origin, rebound Host (+Origin), preflight, JSON without Content-Type',
    );
    const local = `127.0.0.1:${sandbox.port}`;
    const otpBody = JSON.stringify({ grant_type: 'client_credentials', client_id: DEMO_CLIENT_ID, otp_code: CODE });
    const secretBody = JSON.stringify({
      grant_type: 'client_credentials',
      client_id: DEMO_CLIENT_ID,
      client_secret: DEMO_CLIENT_SECRET,
    });
    const page = 'http://evil.example';
    const attempts: [string, Record<string, string>, string][] = [
      ['no-cors text/plain', { Host: local, Origin: page, 'Content-Type': 'text/plain;charset=UTF-8' }, otpBody],
      ['no-cors form', { Host: local, Origin: page, 'Content-Type': 'application/x-www-form-urlencoded' }, otpBody],
      ['Origin with JSON', { Host: local, Origin: page, 'Content-Type': 'application/json' }, otpBody],
      ['Origin: null (sandboxed iframe)', { Host: local, Origin: 'null', 'Content-Type': 'application/json' }, otpBody],
      [
        'rebound Host and Origin',
        {
          Host: `evil.example:${sandbox.port}`,
          Origin: `http://evil.example:${sandbox.port}`,
          'Content-Type': 'application/json',
        },
        otpBody,
      ],
      ['rebound Host alone', { Host: 'evil.example', 'Content-Type': 'application/json' }, otpBody],
      ['no Content-Type', { Host: local }, otpBody],
    ];
    for (const [what, headers, body] of attempts) {
      const reply = await raw(sandbox, '/auth/tokens/long', headers, body);
      assert.ok(reply.status === 400 || reply.status === 403, `${what}: ${reply.status} ${reply.body}`);
      assert.doesNotMatch(reply.body, /access_token/, what);
      n.badInput();
    }
    const preflight = await raw(
      sandbox,
      '/auth/tokens/long',
      { Host: local, Origin: page, 'Access-Control-Request-Method': 'POST' },
      '',
      'OPTIONS',
    );
    assert.equal(preflight.status, 403, preflight.body);
    n.badInput();

    // A long-term token the page might have learnt: its revoke with an Origin is refused and the token stays live.
    const issued = await raw(
      sandbox,
      '/auth/tokens/long',
      { Host: local, 'Content-Type': 'application/json' },
      secretBody,
    );
    assert.equal(issued.status, 201, issued.body);
    const { access_token: token, token_id: tokenId } = JSON.parse(issued.body) as {
      access_token: string;
      token_id: string;
    };
    const revoke = await raw(sandbox, `/auth/tokens/${tokenId}/revoke`, {
      Host: local,
      Origin: page,
      Authorization: `Bearer ${token}`,
      'Content-Type': 'text/plain',
    });
    assert.equal(revoke.status, 403, revoke.body);
    const exchange = await raw(sandbox, '/auth/tokens/short', {
      Host: `evil.example:${sandbox.port}`,
      Authorization: `Bearer ${token}`,
    });
    assert.equal(exchange.status, 400, exchange.body);
    n.badInput(2);
    n.done();
    assert.equal(sandbox.isRevoked(tokenId), false, 'nothing was revoked');

    // The one-time code was never used up: the same request from a local program still works, once.
    const local201 = await raw(
      sandbox,
      '/auth/tokens/long',
      { Host: local, 'Content-Type': 'application/json' },
      otpBody,
    );
    assert.equal(local201.status, 201, local201.body);
    const ipv6 = await raw(sandbox, '/auth/tokens/short', {
      Host: `[::1]:${sandbox.port}`,
      Authorization: `Bearer ${token}`,
    });
    assert.equal(ipv6.status, 201, `a loopback name other than the one listened on is fine: ${ipv6.body}`);
  });
});
