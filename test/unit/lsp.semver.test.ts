// The bundles replace vscode-languageclient's semver with client/src/lsp/semver/ (esbuild.mjs): this holds the
// replacement against real semver (installed with the language client) and against the range the client asks for.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseVersion, satisfiesCaret } from '../../client/src/lsp/semver/version';

const root = path.resolve(__dirname, '../..');
// semver is the language client's dependency, not ours: resolved from where the client would load it.
const fromClient = createRequire(require.resolve('vscode-languageclient/node'));
const realParse = fromClient('semver/functions/parse') as (v: string) => { major: number; minor: number; patch: number; prerelease: Array<string | number>; version: string } | null;
const realSatisfies = fromClient('semver/functions/satisfies') as (v: unknown, range: string) => boolean;

const VERSIONS = [
  '1.138.0', '1.139.2', '1.91.0', '1.90.9', '1.91.1', '2.0.0', '0.99.0', '1.200.0', 'v1.138.0', '=1.138.0', ' 1.138.0 ',
  '1.139.0-insider', '1.91.0-alpha.1', '1.2.3-0.beta.07x', '1.2.3+build.5', '1.2.3-rc.1+build', '01.2.3', '1.2', '1.2.3.4',
  'x.y.z', '', '1.2.3-', '1.2.3-01', '1.2.3-a..b', '9007199254740992.0.0', 'insider',
];

describe('lsp: the language client semver replacement', () => {
  it('parses as semver does', () => {
    for (const text of VERSIONS) {
      const real = realParse(text);
      const ours = parseVersion(text);
      assert.deepEqual(
        ours && { ...ours },
        real && { major: real.major, minor: real.minor, patch: real.patch, prerelease: real.prerelease, version: real.version },
        text,
      );
    }
  });

  it('decides caret ranges as semver does', () => {
    for (const range of ['^1.91.0', '^1.138.0', '^2.0.0', '^1.0.5']) {
      for (const text of VERSIONS.filter((v) => realParse(v))) {
        assert.equal(satisfiesCaret(parseVersion(text)!, range), realSatisfies(realParse(text), range), `${text} ${range}`);
        assert.equal(satisfiesCaret(text, range), realSatisfies(text, range), `${text} ${range} (string)`);
      }
    }
  });

  it('handles the range the installed language client checks, as the client calls it', () => {
    const source = readFileSync(path.join(root, 'node_modules/vscode-languageclient/lib/node/main.js'), 'utf8');
    const range = /const REQUIRED_VSCODE_VERSION = '([^']+)'/.exec(source)?.[1];
    assert.ok(range, 'vscode-languageclient no longer declares REQUIRED_VSCODE_VERSION as before: re-check what it asks of semver');
    // It requires exactly these two semver modules, which esbuild.mjs replaces.
    assert.deepEqual([...source.matchAll(/require\("(semver[^"]*)"\)/g)].map((m) => m[1]), ['semver/functions/parse', 'semver/functions/satisfies']);
    const engines = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { engines: { vscode: string } }).engines.vscode;
    for (const version of ['1.138.0', '1.139.0-insider', engines.replace(/^\^/, '')]) {
      const parsed = parseVersion(version)!;
      parsed.prerelease = []; // as the client does: insiders stay API compatible
      assert.equal(satisfiesCaret(parsed, range), true, version);
    }
  });

  it('refuses a range it does not implement instead of answering wrongly', () => {
    for (const range of ['>=1.91.0', '~1.91.0', '^0.1.0', '1.x', '^1.91']) {
      assert.throws(() => satisfiesCaret('1.138.0', range), /Unsupported version range/, range);
    }
  });
});
