// What the .vsix ships, as vsce itself lists it: the four bundles, the manifest and its texts (package.nls.json,
// l10n/bundle.l10n*.json), the media the views, walkthrough and README show, and nothing else (no sources, tests,
// maps or run folders). And the marketplace metadata vsce needs to package without --allow-missing-repository.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown> & {
  contributes: { walkthroughs: { steps: { media: { markdown?: string; image?: string } }[] }[] };
};

const ALLOWED = [
  /^package\.json$/,
  /^package\.nls(\.[a-z-]+)?\.json$/,
  /^l10n\/bundle\.l10n(\.[a-z-]+)?\.json$/,
  /^README\.md$/,
  /^CHANGELOG\.md$/,
  /^LICENSE$/,
  /^dist\/(client|lsp|server|sandbox)\.js$/,
  /^media\/c2m\.svg$/,
  /^media\/icon\.png$/,
  /^media\/screenshots\/[\w-]+\.png$/,
  /^media\/walkthrough\/[\w-]+\.md$/,
];

describe('the packaged extension', function () {
  this.timeout(60_000);

  it('vsce lists only what should ship', () => {
    const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
    const files = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8' })
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    assert.ok(files.includes('package.json') && files.includes('media/icon.png'), files.join(', '));
    // The manifest's %keys% and the code's l10n.t strings resolve from these: without them VS Code shows the keys.
    for (const texts of ['package.nls.json', 'l10n/bundle.l10n.json'])
      assert.ok(files.includes(texts), `${texts} ships: ${files.join(', ')}`);
    for (const f of files)
      assert.ok(
        ALLOWED.some((re) => re.test(f)),
        `ships ${f}`,
      );
  });

  it('has the marketplace metadata: a 128 px PNG icon, categories, keywords, repository, a changelog', () => {
    const icon = fs.readFileSync(path.join(ROOT, String(manifest.icon)));
    assert.equal(icon.subarray(1, 4).toString('latin1'), 'PNG');
    assert.deepEqual([icon.readUInt32BE(16), icon.readUInt32BE(20)], [128, 128]);
    assert.ok(Array.isArray(manifest.categories) && !(manifest.categories as string[]).every((c) => c === 'Other'));
    assert.ok(
      Array.isArray(manifest.keywords) &&
        (manifest.keywords as string[]).length > 0 &&
        (manifest.keywords as string[]).length <= 30,
    );
    assert.ok((manifest.repository as { url?: string } | undefined)?.url);
    assert.ok(fs.existsSync(path.join(ROOT, 'CHANGELOG.md')));
    const scripts = manifest.scripts as Record<string, string>;
    assert.doesNotMatch(scripts.package ?? '', /allow-missing-repository/);
  });

  it('every walkthrough step has media that exists and ships', () => {
    for (const walkthrough of manifest.contributes.walkthroughs) {
      for (const step of walkthrough.steps) {
        const file = step.media.markdown ?? step.media.image;
        assert.ok(file && fs.existsSync(path.join(ROOT, file)), `media of a step: ${file}`);
        assert.ok(
          ALLOWED.some((re) => re.test(file)),
          `${file} ships`,
        );
      }
    }
  });
});
