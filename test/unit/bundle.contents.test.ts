// What the shipped bundles must leave out (figure 6 of `npm run bench` counts their bytes): the production build of
// esbuild.mjs, run in a shadow folder as the bench runs it, checked for library code a careless import drags in.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildProductionShadow, type ProductBundles } from '../support/productionBuild';

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

  it('sandbox.js holds only the parts of jose it names (sandbox/joseParts.mjs)', () => {
    const sandbox = text(path.join(path.dirname(bundles.client), 'sandbox.js'));
    for (const code of ['ERR_JWE_', 'ERR_JWKS_']) assert.ok(!sandbox.includes(code), `${code} found in sandbox.js: something imports all of jose`);
    assert.ok(sandbox.includes('ERR_JWS_SIGNATURE_VERIFICATION_FAILED'), 'the verifier is bundled');
  });
});
