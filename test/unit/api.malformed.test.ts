// Every answer the client must not trust becomes kind invalid_response, and nothing is returned.
import { strict as assert } from 'node:assert';
import { createAuthClient } from '../../client/src/api/authClient';
import { MAX_BODY_BYTES } from '../../client/src/api/transport';
import { rejectsWith, reply, stubForSuite, tokenBody } from '../support/apiStubServer';
import type { ServerResponse } from 'node:http';

describe('api client: malformed answers', () => {
  const suite = stubForSuite();

  const short = () => createAuthClient({ baseUrl: suite.stub.baseUrl }).issueShortTermToken('lt_valid_long_term_token');
  const long = () =>
    createAuthClient({ baseUrl: suite.stub.baseUrl }).issueLongTermToken({
      mechanism: 'client_secret',
      clientId: 'c2m_demo',
      clientSecret: 'pw-123456',
    });

  it('accepts a well-formed 201 and records the local receipt time', async () => {
    suite.answer = (res) => reply(res, 201, tokenBody(), { 'x-token-id': 'tok_st_1' });
    const client = createAuthClient({ baseUrl: suite.stub.baseUrl, now: () => 1_000_000 });
    const token = await client.issueShortTermToken('lt_valid_long_term_token');
    assert.deepEqual(token, {
      tokenType: 'Bearer',
      accessToken: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl',
      expiresIn: 900,
      expiresAt: '2030-01-01T00:15:00Z',
      scopes: ['jobs:submit'],
      tokenId: 'tok_st_1',
      receivedAt: 1_000_000,
    });
  });

  it('a throwing log sink does not break a successful call', async () => {
    suite.answer = (res) => reply(res, 201, tokenBody(), { 'x-token-id': 'tok_st_1' });
    const client = createAuthClient({
      baseUrl: suite.stub.baseUrl,
      log: () => {
        throw new Error('sink down');
      },
    });
    assert.equal((await client.issueShortTermToken('lt_valid_long_term_token')).tokenId, 'tok_st_1');
  });

  const cases: Array<[string, RegExp, (res: ServerResponse) => void]> = [
    ['200 instead of 201', /200 where the contract says 201/, (res) => reply(res, 200, tokenBody())],
    ['204 instead of 201', /204 where the contract says 201/, (res) => reply(res, 204)],
    [
      'captive portal: 200 text/html',
      /200 where/,
      (res) => reply(res, 200, '<html><body>Sign in to Wi-Fi</body></html>', { 'content-type': 'text/html' }),
    ],
    [
      '201 text/html',
      /text\/html instead of JSON/,
      (res) => reply(res, 201, '<html>login</html>', { 'content-type': 'text/html; charset=utf-8' }),
    ],
    ['201 without content type', /instead of JSON/, (res) => reply(res, 201, JSON.stringify(tokenBody()))],
    ['201 empty JSON body', /empty body/, (res) => reply(res, 201, '', { 'content-type': 'application/json' })],
    [
      '201 not JSON',
      /not valid JSON/,
      (res) => reply(res, 201, '{"token_type":"Bearer",', { 'content-type': 'application/json' }),
    ],
    ['201 JSON array', /not a JSON object/, (res) => reply(res, 201, [tokenBody()])],
    ['201 JSON null', /not a JSON object/, (res) => reply(res, 201, 'null', { 'content-type': 'application/json' })],
    ['missing access_token', /no access_token/, (res) => reply(res, 201, tokenBody({ access_token: undefined }))],
    ['empty access_token', /no access_token/, (res) => reply(res, 201, tokenBody({ access_token: '' }))],
    ['access_token with a space', /spaces, control/, (res) => reply(res, 201, tokenBody({ access_token: 'abc def' }))],
    [
      'access_token with CRLF',
      /spaces, control/,
      (res) => reply(res, 201, tokenBody({ access_token: 'abc\r\nX-Evil: 1' })),
    ],
    ['access_token with NUL', /spaces, control/, (res) => reply(res, 201, tokenBody({ access_token: 'abc\u0000def' }))],
    ['access_token non-ASCII', /spaces, control/, (res) => reply(res, 201, tokenBody({ access_token: 'abcé' }))],
    ['access_token a number', /no access_token/, (res) => reply(res, 201, tokenBody({ access_token: 12345 }))],
    ['expires_in missing', /expires_in/, (res) => reply(res, 201, tokenBody({ expires_in: undefined }))],
    ['expires_in zero', /expires_in/, (res) => reply(res, 201, tokenBody({ expires_in: 0 }))],
    ['expires_in negative', /expires_in/, (res) => reply(res, 201, tokenBody({ expires_in: -900 }))],
    ['expires_in fractional', /expires_in/, (res) => reply(res, 201, tokenBody({ expires_in: 900.5 }))],
    ['expires_in a string', /expires_in/, (res) => reply(res, 201, tokenBody({ expires_in: '900' }))],
    ['expires_in 1e9', /expires_in/, (res) => reply(res, 201, tokenBody({ expires_in: 1e9 }))],
    [
      'expires_in 1e309',
      /expires_in/,
      (res) =>
        reply(
          res,
          201,
          '{"token_type":"Bearer","access_token":"abc","expires_in":1e309,"expires_at":"2030-01-01T00:00:00Z"}',
          { 'content-type': 'application/json' },
        ),
    ],
    ['expires_at missing', /expires_at/, (res) => reply(res, 201, tokenBody({ expires_at: undefined }))],
    ['expires_at not a date', /expires_at/, (res) => reply(res, 201, tokenBody({ expires_at: 'tomorrow' }))],
    [
      'expires_at impossible date',
      /expires_at/,
      (res) => reply(res, 201, tokenBody({ expires_at: '2030-13-45T99:00:00Z' })),
    ],
    ['expires_at a number', /expires_at/, (res) => reply(res, 201, tokenBody({ expires_at: 1893456000 }))],
    ['scopes a string', /scopes/, (res) => reply(res, 201, tokenBody({ scopes: 'jobs:submit' }))],
    ['scopes with a number', /scopes/, (res) => reply(res, 201, tokenBody({ scopes: ['jobs:submit', 7] }))],
    ['token_type missing', /token_type/, (res) => reply(res, 201, tokenBody({ token_type: undefined }))],
    ['token_type MAC', /token_type/, (res) => reply(res, 201, tokenBody({ token_type: 'MAC' }))],
    ['token_id a number', /token_id/, (res) => reply(res, 201, tokenBody({ token_id: 42 }))],
    [
      '__proto__ key at the top',
      /__proto__/,
      (res) =>
        reply(
          res,
          201,
          '{"__proto__":{"polluted":true},"token_type":"Bearer","access_token":"abc","expires_in":900,"expires_at":"2030-01-01T00:00:00Z"}',
          { 'content-type': 'application/json' },
        ),
    ],
    [
      '__proto__ key nested',
      /__proto__/,
      (res) =>
        reply(
          res,
          201,
          '{"token_type":"Bearer","access_token":"abc","expires_in":900,"expires_at":"2030-01-01T00:00:00Z","x":{"__proto__":{"polluted":true}}}',
          { 'content-type': 'application/json' },
        ),
    ],
  ];

  for (const [name, reason, respond] of cases) {
    it(`${name} -> invalid_response, nothing returned`, async () => {
      suite.answer = respond;
      const error = await rejectsWith(short(), { kind: 'invalid_response', retryable: false });
      assert.match(error.message, reason);
      assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype untouched');
    });
  }

  it('long-term 201 without the X-Token-Id header -> invalid_response', async () => {
    suite.answer = (res) => reply(res, 201, tokenBody({ expires_in: 2_592_000, token_id: 'tok_lt_1' }));
    await rejectsWith(long(), { kind: 'invalid_response' });
  });

  it('long-term 201 with matching X-Token-Id is accepted', async () => {
    suite.answer = (res) =>
      reply(res, 201, tokenBody({ expires_in: 2_592_000, token_id: 'tok_lt_1' }), { 'x-token-id': 'tok_lt_1' });
    const token = await long();
    assert.equal(token.tokenId, 'tok_lt_1');
  });

  it("long-term 201 whose ids disagree (Prism's `X-Token-Id: string`) is kept: the header's id first, the body's as fallback", async () => {
    suite.answer = (res) =>
      reply(res, 201, tokenBody({ expires_in: 2_592_000, token_id: 'tok_lt_b8e0aa' }), { 'x-token-id': 'string' });
    const token = await long();
    assert.equal(token.tokenId, 'string');
    assert.equal(token.bodyTokenId, 'tok_lt_b8e0aa');
    suite.answer = (res) => reply(res, 201, tokenBody({ token_id: 'tok_a' }), { 'x-token-id': 'tok_b' });
    const shortToken = await short();
    assert.deepEqual([shortToken.tokenId, shortToken.bodyTokenId], ['tok_b', 'tok_a']);
  });

  it('short-term 201 without token_id takes the X-Token-Id header', async () => {
    suite.answer = (res) =>
      reply(res, 201, tokenBody({ token_id: undefined, scopes: undefined }), { 'x-token-id': 'tok_st_h' });
    const token = await short();
    assert.equal(token.tokenId, 'tok_st_h');
    assert.deepEqual(token.scopes, []);
  });

  it('a 32 MB streamed body (no Content-Length) is refused at the 1 MB cap, not buffered', async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    // Far more than loopback socket buffers can absorb, so a client that kept reading would let the server finish.
    const TOTAL = 32 * 1024 * 1024;
    let written = 0;
    suite.answer = (res) => {
      res.writeHead(201, { 'content-type': 'application/json' });
      // Stream without Content-Length so the cap on the read itself is what stops it.
      const pump = (): void => {
        while (written < TOTAL) {
          written += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      res.on('error', () => undefined);
      pump();
    };
    await rejectsWith(short(), { kind: 'invalid_response', code: 'response_too_large' });
    assert.ok(written < TOTAL, `the server could not push the whole body (wrote ${written} bytes)`);
  });

  it('a declared Content-Length over the cap is refused unread', async () => {
    suite.answer = (res) => {
      res.writeHead(201, { 'content-type': 'application/json', 'content-length': String(MAX_BODY_BYTES + 1) });
      res.write('{');
      res.on('error', () => undefined);
    };
    await rejectsWith(short(), { kind: 'invalid_response', code: 'response_too_large' });
  });

  it('revoke answered 200 (not 204) is not taken as revoked', async () => {
    suite.answer = (res) => reply(res, 200, '<html>portal</html>', { 'content-type': 'text/html' });
    await rejectsWith(
      createAuthClient({ baseUrl: suite.stub.baseUrl }).revokeToken('tok_1', 'lt_valid_long_term_token'),
      {
        kind: 'invalid_response',
        status: 200,
      },
    );
  });
});
