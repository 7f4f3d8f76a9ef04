// The extension ships the API client bundled by esbuild, with the bare `ofetch` specifier aliased to ofetch's
// platform-neutral build (globalThis.fetch) as esbuild.mjs does. Under mocha the Node build runs instead.
// This suite bundles the client the same way and runs the safety rules through the bundle, so both builds are proven.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import type * as AuthClientModule from '../../client/src/api/authClient';
import { C2mApiError } from '../../client/src/api/errors';
import { reply, startStub, tokenBody, type Stub } from '../support/apiStubServer';

const root = path.resolve(__dirname, '../..');

describe('api client: esbuild bundle with the native-fetch ofetch build', function () {
  this.timeout(30_000);
  let bundled: typeof AuthClientModule;
  let bundleText: string;
  let dir: string;
  let target: Stub;
  let server: Stub;
  let mode: 'ok' | 'redirect' | 'huge' | 'stall' = 'ok';

  before(async () => {
    const result = await esbuild.build({
      entryPoints: [path.join(root, 'client/src/api/authClient.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      write: false,
      logLevel: 'silent',
      plugins: [
        {
          name: 'native-ofetch',
          setup(build) {
            build.onResolve({ filter: /^ofetch$/ }, () => ({
              path: path.join(root, 'node_modules/ofetch/dist/index.mjs'),
            }));
          },
        },
      ],
    });
    bundleText = result.outputFiles[0]!.text;
    dir = mkdtempSync(path.join(tmpdir(), 'c2m-api-bundle-'));
    const file = path.join(dir, 'authClient.js');
    writeFileSync(file, bundleText);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    bundled = require(file) as typeof AuthClientModule;
    target = await startStub((_req, res) => reply(res, 201, tokenBody(), { 'x-token-id': 'tok_st_1' }));
    server = await startStub((req, res) => {
      if (mode === 'ok') reply(res, 201, tokenBody(), { 'x-token-id': 'tok_st_1' });
      else if (mode === 'redirect') reply(res, 307, '', { location: `${target.origin}${req.path}` });
      else if (mode === 'huge')
        reply(res, 201, JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }), { 'content-type': 'application/json' });
    });
  });
  after(async () => {
    await server?.close();
    await target?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const client = (timeoutMs?: number) =>
    bundled.createAuthClient({
      baseUrl: server.baseUrl,
      sleep: () => Promise.resolve(),
      random: () => 0,
      ...(timeoutMs ? { timeoutMs } : {}),
    });
  const failure = async (promise: Promise<unknown>): Promise<{ kind: string; code: string }> => {
    const error = await promise.then(
      () => assert.fail('expected a rejection'),
      (e: unknown) => e as { kind: string; code: string; name: string },
    );
    // The bundle has its own copy of the class, so compare by shape, not instanceof.
    assert.ok(!(error instanceof C2mApiError) && (error as { name?: string }).name === 'C2mApiError');
    return error;
  };

  it('uses the native-fetch build, not the node-fetch polyfill', () => {
    assert.ok(!bundleText.includes('node-fetch-native'), 'node-fetch-native must not be bundled');
  });

  it('issues a validated token through the bundle', async () => {
    mode = 'ok';
    const token = await client().issueShortTermToken('lt_long_term_value');
    assert.equal(token.tokenId, 'tok_st_1');
  });

  it('signs an assertion with the bundled jose', async () => {
    mode = 'ok';
    const { generateKeyPair, exportPKCS8 } = await import('jose');
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const token = await client().issueLongTermToken({
      mechanism: 'assertion',
      clientId: 'c2m_demo',
      privateKeyPem: await exportPKCS8(privateKey),
    });
    assert.equal(token.tokenId, 'tok_st_1');
    const sent = JSON.parse(server.requests.at(-1)!.body) as { grant_type: string; assertion: string };
    assert.equal(sent.grant_type, 'assertion');
    assert.equal(sent.assertion.split('.').length, 3);
  });

  it('refuses a 307 and the target receives nothing', async () => {
    mode = 'redirect';
    const error = await failure(
      client().issueLongTermToken({ mechanism: 'client_secret', clientId: 'c2m_demo', clientSecret: 'pw-123456' }),
    );
    assert.equal(error.kind, 'redirect');
    assert.equal(target.requests.length, 0);
  });

  it('refuses an oversized body', async () => {
    mode = 'huge';
    assert.equal((await failure(client().issueShortTermToken('lt_long_term_value'))).code, 'response_too_large');
  });

  it('times out on a stall', async () => {
    mode = 'stall';
    assert.equal((await failure(client(40).issueShortTermToken('lt_long_term_value'))).kind, 'timeout');
  });
});
