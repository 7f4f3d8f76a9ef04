// The agent request tool's sender against real loopback servers: the token goes in the Authorization header it adds,
// an answer that echoes the token (plain, percent-encoded, base64, JSON-escaped, in headers, in a Location) comes back
// with every spelling redacted, a redirect is reported and not followed, and a cut body keeps no start of a token.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { checkRequest, type CheckedRequest } from '../../client/src/integrations/agentTools/originGuard';
import { cutSafely, holdsAny } from '../../client/src/integrations/agentTools/responseRedaction';
import { MAX_SHOWN_BODY_BYTES, sendAuthenticated } from '../../client/src/integrations/agentTools/send';
import { reply, startStub, type Stub } from '../support/apiStubServer';

/** A JWT-shaped canary the sender is handed as the profile's token. */
const TOKEN = `eyJhbGciOiJFUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: 'c', jti: randomBytes(8).toString('hex') })).toString('base64url')}.${randomBytes(48).toString('base64url')}`;
/** An opaque held secret (no token shape): only the held-value redaction can find it. */
const SECRET = `opaque-${randomBytes(12).toString('hex')}`;

function requestTo(stub: Stub, path: string, extra: Partial<CheckedRequest> = {}): CheckedRequest {
  const checked = checkRequest(stub.baseUrl, { path });
  assert.ok(checked.ok);
  return { ...checked.value, ...extra };
}

const deps = { fetch: (url: string, init: RequestInit) => fetch(url, init), held: () => [SECRET] };

function spellings(value: string): string[] {
  return [
    value,
    encodeURIComponent(value).replace(/\./g, '%2E'),
    [...value].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join(''),
    Buffer.from(value).toString('base64'),
    Buffer.from(`user:${value}`).toString('base64'),
    Buffer.from(value).toString('base64url'),
    JSON.stringify(value).slice(1, -1).replace(/\./g, '\\u002e'),
    // JSON escaped twice (a JSON string holding JSON): no spelling of the whole value, but each part is still masked.
    value.replace(/\./g, '\\\\u002e'),
  ];
}

describe('agent tools: sending and redaction', () => {
  let api: Stub;
  let elsewhere: Stub;
  let answer: (path: string, res: import('node:http').ServerResponse, auth: string) => void;

  before(async () => {
    elsewhere = await startStub((_req, res) => reply(res, 200, { stolen: true }));
    api = await startStub((req, res) => answer(req.path, res, String(req.headers.authorization ?? '')));
  });
  after(async () => {
    await api.close();
    await elsewhere.close();
  });

  it('adds Authorization: Bearer <token> itself and redacts every spelling of it (and of held secrets) in body and headers', async () => {
    answer = (_path, res, auth) => {
      const token = auth.replace(/^Bearer /, '');
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'X-Echo': auth,
        'X-Echo-Encoded': encodeURIComponent(token),
        'X-Secret': Buffer.from(SECRET).toString('base64'),
      });
      res.end(
        JSON.stringify({
          spellings: spellings(token),
          secrets: spellings(SECRET),
          nested: { again: { authorization: auth } },
        }),
      );
    };
    const response = await sendAuthenticated(requestTo(api, '/jobs'), TOKEN, deps);
    assert.equal(api.requests.at(-1)?.headers.authorization, `Bearer ${TOKEN}`);
    assert.equal(response.status, 200);
    const out = JSON.stringify(response);
    assert.ok(!holdsAny(out, [TOKEN, SECRET]), out);
    for (const s of [...spellings(TOKEN), ...spellings(SECRET)])
      assert.ok(!out.includes(s.slice(0, 24)), `no part of ${s.slice(0, 24)}…`);
    const [, payload, signature] = TOKEN.split('.');
    assert.ok(
      !out.includes(payload!) && !out.includes(signature!),
      'neither the payload nor the signature, however the dots were spelled',
    );
    assert.match(response.headers['x-echo'] ?? '', /REDACTED/);
  });

  it('reports a redirect without following it: the other server receives nothing, the Location is redacted', async () => {
    for (const status of [301, 302, 303, 307, 308]) {
      answer = (_p, res) => {
        res.writeHead(status, { Location: `${elsewhere.origin}/steal?t=${encodeURIComponent(TOKEN)}` });
        res.end('moved');
      };
      const response = await sendAuthenticated(requestTo(api, '/jobs'), TOKEN, deps);
      assert.equal(response.status, status);
      assert.equal(response.redirect?.followed, false);
      assert.ok(response.redirect?.location?.startsWith(`${elsewhere.origin}/steal`));
      assert.ok(!holdsAny(JSON.stringify(response), [TOKEN]));
      assert.equal(response.body, '');
    }
    assert.equal(elsewhere.requests.length, 0, 'nothing reached the redirect target');
  });

  it('bounds the body it shows, and a token spelled across the bound leaves no prefix (generated offsets)', async () => {
    // An opaque token: no shape to catch its start, only the held-value redaction and a safe cut.
    const opaque = `tok-${randomBytes(40).toString('hex')}.${randomBytes(8).toString('hex')}`;
    const encodings = [
      (t: string) => t,
      (t: string) => encodeURIComponent(t).replace(/\./g, '%2e'),
      (t: string) => JSON.stringify(t).slice(1, -1).replace(/\./g, '\\u002e'),
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: -400, max: 40 }),
        fc.integer({ min: 0, max: encodings.length - 1 }),
        async (shift, e) => {
          const spelled = encodings[e]!(opaque);
          const at = MAX_SHOWN_BODY_BYTES + shift;
          answer = (_p, res) => {
            res.writeHead(200, { 'Content-Type': 'text/plain' });
            res.end(`${'x'.repeat(Math.max(0, at))}${spelled}${'y'.repeat(200_000)}`);
          };
          const response = await sendAuthenticated(requestTo(api, '/big'), opaque, deps);
          assert.equal(response.truncated, true);
          assert.ok(
            Buffer.byteLength(response.body) <= MAX_SHOWN_BODY_BYTES + 100,
            `${Buffer.byteLength(response.body)}`,
          );
          assert.ok(!response.body.includes(spelled.slice(0, 12)), 'no start of the token at the cut');
        },
      ),
      { numRuns: 40 },
    );
  });

  it('cutSafely moves the cut before a held value it would split', () => {
    const text = `${'a'.repeat(100)}${TOKEN}${'b'.repeat(5)}`;
    const kept = cutSafely(text, [TOKEN]);
    assert.ok(!kept.includes(TOKEN.slice(0, 8)));
  });

  it('a failure says what happened without quoting the request', async () => {
    const closed = await startStub(() => undefined);
    const request = requestTo(closed, '/jobs');
    await closed.close();
    await assert.rejects(
      sendAuthenticated(request, TOKEN, deps),
      (error: Error) => !error.message.includes(TOKEN) && /could not reach/.test(error.message),
    );
  });
});
