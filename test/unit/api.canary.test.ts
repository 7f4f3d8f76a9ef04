// Canary test: plant recognisable secret values (client secret, OTP, private key, assertion, long- and short-term
// tokens), make a hostile server echo them back every way it can (message, details, code, Location, Retry-After,
// Content-Type, X-Token-Id, html bodies), drive every failure, and search everything a user or a log could see:
// error message, stack, String(), JSON, util.inspect (showHidden, full depth) and every log line. No canary may appear.
import { strict as assert } from 'node:assert';
import type { ServerResponse } from 'node:http';
import { inspect } from 'node:util';
import { createAuthClient } from '../../client/src/api/authClient';
import { C2mApiError } from '../../client/src/api/errors';
import { loadJose } from '../support/jose';
import type { LongTermGrant } from '../../client/src/api/types';
import { fakeSleep, reply, startStub, tokenBody, type Stub, type StubRequest } from '../support/apiStubServer';

const CLIENT_SECRET = 'CANARY-client-secret-4b1d';
const OTP = 'CANARY-otp-90210';
const LONG_OPAQUE = 'CANARY-long-opaque-7e11'; // matches no pattern: only exact-value masking can catch it
const LONG_LT = 'lt_CANARYlongterm0001abcdef';
const SHORT_JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJDQU5BUlkifQ.CANARYsignature0042';
const SHORT_OPAQUE = 'CANARY-short-opaque-3c3c';

type Hostile = (req: StubRequest, res: ServerResponse, stub: Stub) => void;

/** Everything the server received, as one string, so echoes carry every secret in every spelling it was sent. */
const echo = (req: StubRequest): string => `${req.headers.authorization ?? ''} ${req.body}`;

const HOSTILE: Array<[string, Hostile]> = [
  [
    '400 message echoes the request',
    (req, res) => reply(res, 400, { code: 'invalid_request', message: `You sent: ${echo(req)}` }),
  ],
  [
    '400 details echo the request',
    (req, res) =>
      reply(res, 400, {
        code: 'invalid_request',
        message: 'Bad.',
        details: { request: req.body, auth: req.headers.authorization },
      }),
  ],
  [
    '401 message with the secret at the truncation edge',
    (req, res) => reply(res, 401, { code: 'invalid_token', message: `${'x'.repeat(285)} ${echo(req)}` }),
  ],
  ['401 text/plain echo', (req, res) => reply(res, 401, echo(req), { 'content-type': 'text/plain' })],
  [
    '403 code is the echo',
    (req, res) => reply(res, 403, { code: echo(req).replace(/\W/g, '_').slice(0, 60), message: 'no' }),
  ],
  [
    '302 Location carries the secret',
    (req, res, stub) => reply(res, 302, '', { location: `${stub.origin}/steal?x=${encodeURIComponent(echo(req))}` }),
  ],
  [
    '307 to a userinfo URL',
    (req, res) =>
      reply(res, 307, '', { location: `http://${encodeURIComponent(echo(req).slice(0, 40))}@127.0.0.1:1/` }),
  ],
  [
    '429 Retry-After is the echo',
    (req, res) =>
      reply(
        res,
        429,
        { code: 'rate_limited', message: echo(req) },
        {
          'retry-after': echo(req)
            .replace(/[^\x20-\x7e]/g, '')
            .slice(0, 200),
        },
      ),
  ],
  [
    '503 html page echoing the request',
    (req, res) => reply(res, 503, `<html>${echo(req)}</html>`, { 'content-type': 'text/html' }),
  ],
  [
    '201 text/html echo (captive portal)',
    (req, res) => reply(res, 201, `<html>${echo(req)}</html>`, { 'content-type': 'text/html' }),
  ],
  [
    '201 with the echo as Content-Type',
    (req, res) =>
      reply(res, 201, JSON.stringify(tokenBody()), {
        'content-type': `text/${echo(req)
          .replace(/[^\w-]/g, '')
          .slice(0, 80)}`,
      }),
  ],
  [
    '201 whose access_token is the echo (malformed)',
    (req, res) => reply(res, 201, tokenBody({ access_token: echo(req) })),
  ],
  [
    '201 whose token_id disagrees with an echoing X-Token-Id',
    (req, res) =>
      reply(res, 201, tokenBody({ token_id: 'tok_a' }), {
        'x-token-id': echo(req)
          .replace(/[^\x21-\x7e]/g, '')
          .slice(0, 200),
      }),
  ],
  [
    '201 with a __proto__ echo',
    (req, res) =>
      reply(res, 201, `{"__proto__":{"x":${JSON.stringify(echo(req))}},"token_type":"Bearer"}`, {
        'content-type': 'application/json',
      }),
  ],
  [
    '500 JSON echo in message',
    (req, res) => reply(res, 500, { code: 'server_error', message: `crash while handling ${req.body}` }),
  ],
  ['connection dropped', (_req, res) => res.socket?.destroy()],
];

describe('api client: canary secrets never leak', function () {
  this.timeout(20_000);
  let hostile: Hostile;
  let stub: Stub;
  let privateKeyPem: string;
  const logs: string[] = [];
  const outputs: string[] = [];

  before(async () => {
    stub = await startStub((req, res) => hostile(req, res, stub));
    const { generateKeyPair, exportPKCS8 } = await loadJose();
    const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
    privateKeyPem = await exportPKCS8(privateKey);
  });
  after(() => stub.close());

  function grants(): Array<[string, (client: ReturnType<typeof createAuthClient>) => Promise<unknown>]> {
    const long = (grant: LongTermGrant) => (client: ReturnType<typeof createAuthClient>) =>
      client.issueLongTermToken(grant);
    return [
      ['long/client_secret', long({ mechanism: 'client_secret', clientId: 'c2m_demo', clientSecret: CLIENT_SECRET })],
      ['long/otp', long({ mechanism: 'otp', clientId: 'c2m_demo', otpCode: OTP })],
      ['long/assertion', long({ mechanism: 'assertion', clientId: 'c2m_demo', privateKeyPem })],
      ['long/short_term jwt', long({ mechanism: 'short_term', clientId: 'c2m_demo', shortTermToken: SHORT_JWT })],
      ['long/short_term opaque', long({ mechanism: 'short_term', clientId: 'c2m_demo', shortTermToken: SHORT_OPAQUE })],
      ['short/opaque long token', (client) => client.issueShortTermToken(LONG_OPAQUE, { scopes: ['jobs:submit'] })],
      ['short/lt_ long token', (client) => client.issueShortTermToken(LONG_LT)],
      ['revoke/jwt bearer', (client) => client.revokeToken('tok_1', SHORT_JWT)],
      ['revoke/opaque bearer', (client) => client.revokeToken('tok_1', LONG_OPAQUE)],
    ];
  }

  for (const [failure, behave] of HOSTILE) {
    it(`${failure}: every operation fails and says nothing secret`, async () => {
      hostile = behave;
      for (const [name, run] of grants()) {
        const client = createAuthClient({
          baseUrl: stub.baseUrl,
          timeoutMs: 2000,
          sleep: fakeSleep().sleep,
          random: () => 0,
          log: (line) => logs.push(line),
        });
        let caught: unknown;
        try {
          await run(client);
        } catch (error) {
          caught = error;
        }
        assert.ok(caught instanceof C2mApiError, `${name}: expected a C2mApiError, got ${String(caught)}`);
        outputs.push(
          caught.message,
          String(caught.stack),
          String(caught),
          JSON.stringify(caught),
          inspect(caught, { showHidden: true, depth: Infinity }),
        );
      }
    });
  }

  it('a stalled request times out without leaking either', async () => {
    hostile = () => undefined;
    for (const [name, run] of grants()) {
      const client = createAuthClient({
        baseUrl: stub.baseUrl,
        timeoutMs: 20,
        sleep: fakeSleep().sleep,
        log: (line) => logs.push(line),
      });
      const error = await run(client).then(
        () => assert.fail(`${name} resolved`),
        (e: unknown) => e,
      );
      assert.ok(error instanceof C2mApiError && error.kind === 'timeout', name);
      outputs.push(error.message, String(error.stack), inspect(error, { showHidden: true, depth: Infinity }));
    }
  });

  it('no canary, private key or assertion in any error output or log line', () => {
    assert.ok(
      outputs.length > 100 && logs.length > 100,
      `collected ${outputs.length} outputs and ${logs.length} log lines`,
    );
    // The assertions actually sent (captured server-side) are secrets too: their signature must not appear.
    const assertions = stub.requests
      .map((r) => {
        try {
          return (JSON.parse(r.body) as { assertion?: string }).assertion;
        } catch {
          return undefined;
        }
      })
      .filter((a): a is string => typeof a === 'string');
    assert.ok(assertions.length > 0, 'assertions were sent');
    const keyBody = privateKeyPem.replace(/-----[^-]+-----|\s/g, '');
    const needles = [
      'CANARY',
      'Q0FOQVJZ' /* base64 of CANARY */,
      CLIENT_SECRET,
      OTP,
      LONG_OPAQUE,
      LONG_LT,
      SHORT_JWT,
      SHORT_OPAQUE,
      ...assertions.map((a) => a.split('.')[2]!),
      ...Array.from({ length: Math.floor(keyBody.length / 24) }, (_, i) => keyBody.slice(i * 24, i * 24 + 24)),
    ];
    for (const text of [...outputs, ...logs]) {
      for (const needle of needles) {
        // Case-sensitive: the marker is upper-case CANARY (this file's own name shows up in stacks in lower case).
        const at = text.indexOf(needle);
        assert.ok(at < 0, `leaked ${needle.slice(0, 12)}… in: ${text.slice(Math.max(0, at - 300), at + 100)}`);
      }
    }
  });
});
