// What the shipped bundles must leave out (figure 6 of `npm run bench` counts their bytes): the production build of
// esbuild.mjs, run in a shadow folder as the bench runs it, checked for library code a careless import drags in.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildProductionShadow, bundledModules, type ProductBundles } from '../support/productionBuild';

/** Client modules lsp.js may carry a copy of: tiny, and with no module-level state (eslint's lsp rule lists the same). */
const STATELESS_DUPLICATES: ReadonlySet<string> = new Set([
  // REFRESH_FRACTION, one number: the server's margin for "expiring" follows the engine's refresh point.
  'client/src/core/refreshPolicy.ts',
]);

describe('bundles: production build contents', function () {
  this.timeout(120_000);
  let dir: string;
  let bundles: ProductBundles;
  const text = (file: string): string => readFileSync(file, 'utf8');

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'c2m-bundles-'));
    bundles = buildProductionShadow(path.join(dir, 'shadow'));
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('client.js holds only the signing part of jose (api/joseSign.mjs), not all of it', () => {
    const client = text(bundles.client);
    // jose's error classes carry their codes as strings; a whole-jose bundle has those of JWE, JWKS and verification.
    for (const code of ['ERR_JWE_', 'ERR_JWKS_', 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'ERR_JWT_EXPIRED']) {
      assert.ok(!client.includes(code), `${code} found in client.js: something imports all of jose`);
    }
    assert.ok(client.includes('ERR_JWS_INVALID'), 'the signer is bundled');
  });

  it('lsp.js carries no copy of a client module: what it needs of the rest of the extension comes from client.js at run time', () => {
    // A module in both bundles runs twice, each copy with its own module-level state: the lsp copy of the log
    // redactor would mask nothing the engine holds, the l10n shim would never get VS Code's l10n, a config or
    // services copy would be a second one. The language features get those through the deps object activate() hands
    // them (host/loadLanguageFeatures.ts), importing only types across the boundary.
    const client = bundledModules(bundles.client);
    const both = [...bundledModules(bundles.lsp)].filter(
      (file) => client.has(file) && file.startsWith('client/src/') && !file.startsWith('client/src/lsp/'),
    );
    assert.deepEqual(
      both.filter((file) => !STATELESS_DUPLICATES.has(file)),
      [],
      'client modules bundled into both client.js and lsp.js',
    );
    assert.ok(
      client.has('client/src/host/log.ts') && client.has('client/src/extension.ts'),
      'the check reads the real client bundle',
    );
  });

  it('sandbox.js holds only the parts of jose it names (sandbox/joseParts.mjs)', () => {
    const sandbox = text(path.join(path.dirname(bundles.client), 'sandbox.js'));
    for (const code of ['ERR_JWE_', 'ERR_JWKS_'])
      assert.ok(!sandbox.includes(code), `${code} found in sandbox.js: something imports all of jose`);
    assert.ok(sandbox.includes('ERR_JWS_SIGNATURE_VERIFICATION_FAILED'), 'the verifier is bundled');
  });
});
