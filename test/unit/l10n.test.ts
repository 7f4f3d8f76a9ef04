// The extension's texts go through VS Code's localisation: package.json's contributions are `%key%` entries of
// package.nls.json (every key there, none unused), and the code's strings are l10n.t calls whose messages are
// exactly the keys of l10n/bundle.l10n.json (English, the source for translators). What vsce ships is checked in
// packageContents.test.ts.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fill, l10n, useL10n } from '../../client/src/host/l10n';
import { BUNDLE, expectedBundle, extractCalls, placeholders, ROOT, untranslatedShows } from './l10nBundle';

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown> & {
  contributes: unknown;
};
const nls = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.nls.json'), 'utf8')) as Record<string, unknown>;

/** Every string value in a JSON tree, with its path. */
function strings(value: unknown, at = ''): { at: string; text: string }[] {
  if (typeof value === 'string') return [{ at, text: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${at}[${i}]`));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => strings(v, at ? `${at}.${k}` : k));
  return [];
}

/** Fields of contributions that VS Code shows to the user. */
const SHOWN =
  /\.(title|name|contextualTitle|category|contents|label|description|markdownDescription|patternErrorMessage|enumDescriptions\[\d+\])$/;
/** A language-model tool's `name` is its id (what vscode.lm.invokeTool takes), not a text: its texts are the others. */
const IDENTIFIERS = /^contributes\.languageModelTools\[\d+\]\.name$/;
const TOOL_TEXTS = /^contributes\.languageModelTools\[\d+\]\.(displayName|userDescription|modelDescription)$/;

describe('localisation', () => {
  describe('package.json and package.nls.json', () => {
    const refs = strings(manifest).filter((s) => /^%[^%]+%$/.test(s.text));

    it('every %key% of package.json has an entry in package.nls.json', () => {
      const missing = refs.filter(
        (r) => typeof nls[r.text.slice(1, -1)] !== 'string' || nls[r.text.slice(1, -1)] === '',
      );
      assert.deepEqual(missing, []);
    });

    it('every entry of package.nls.json is used', () => {
      const used = new Set(refs.map((r) => r.text.slice(1, -1)));
      assert.deepEqual(
        Object.keys(nls).filter((k) => !used.has(k)),
        [],
      );
    });

    it('every user-facing text of the contributions (titles, names, descriptions, welcome, walkthrough) is a %key%', () => {
      const shown = strings(manifest.contributes, 'contributes').filter(
        (s) => (SHOWN.test(s.at) || TOOL_TEXTS.test(s.at)) && !IDENTIFIERS.test(s.at),
      );
      assert.ok(
        shown.filter((s) => TOOL_TEXTS.test(s.at)).length >= 6,
        "the language-model tools' texts are checked too",
      );
      assert.ok(shown.length > 50, `found ${shown.length}`);
      assert.deepEqual(
        shown.filter((s) => !/^%[^%]+%$/.test(s.text)),
        [],
      );
      for (const field of ['displayName', 'description'] as const)
        assert.match(String(manifest[field]), /^%[^%]+%$/, field);
    });

    it("points VS Code at the l10n folder of the code's bundles", () => {
      assert.equal(manifest.l10n, './l10n');
      assert.ok(fs.existsSync(BUNDLE));
    });
  });

  describe("the code's strings and l10n/bundle.l10n.json", () => {
    const { calls, problems } = extractCalls();
    const bundle = JSON.parse(fs.readFileSync(BUNDLE, 'utf8')) as Record<string, unknown>;

    it('every l10n.t call has a literal message whose placeholders match its arguments', () => {
      assert.deepEqual(problems, []);
    });

    it('the bundle holds exactly the messages of the calls (run `npm run --silent l10n` to rewrite it)', () => {
      const expected = expectedBundle(calls);
      const missing = Object.keys(expected).filter((k) => !(k in bundle));
      const unused = Object.keys(bundle).filter((k) => !(k in expected));
      assert.deepEqual({ missing, unused }, { missing: [], unused: [] });
      assert.deepEqual(bundle, expected);
    });

    it('finds the calls it should: a message with placeholders, and calls through the vscode-free shim', () => {
      // Guards the extractor itself: a pattern it stopped recognising would empty the bundle check.
      assert.ok(
        calls.some((c) => placeholders(c.message).includes('0')),
        'a positional placeholder',
      );
      assert.ok(
        calls.some((c) => c.where.includes('viewFormat.ts')),
        'a call in viewFormat.ts (the shim)',
      );
      assert.ok(
        calls.some((c) => c.where.includes('commands/tokens.ts')),
        'a call in commands/tokens.ts (vscode.l10n.t)',
      );
    });

    it('what the extension shows (messages, notices, confirmations, the status bar) goes through l10n.t', () => {
      assert.deepEqual(untranslatedShows(), []);
    });

    it('the core and the API client stay free of vscode and of l10n.t (the sandbox is outside client/src, vscode-free by lint)', () => {
      const pure = calls.filter((c) => /client\/src\/(core|api)\//.test(c.where));
      assert.deepEqual(pure, []);
    });
  });

  describe('the shim of the vscode-free modules (client/src/host/l10n.ts)', () => {
    it('fills placeholders as VS Code does: by index or name, once, leaving unknown ones and {{…}} as written', () => {
      assert.equal(fill('C2M "{0}": retry after {1} s.', ['Sandbox', 120]), 'C2M "Sandbox": retry after 120 s.');
      assert.equal(fill('{name} and {other}', { name: 'a' }), 'a and {other}');
      assert.equal(fill('{0} then {1}', ['{1}', 'x']), '{1} then x');
      assert.equal(
        fill('Leaves {{$dotenv C2M_ACCESS_TOKEN}} in place of {0}', ['the token']),
        'Leaves {{$dotenv C2M_ACCESS_TOKEN}} in place of the token',
      );
      assert.equal(fill('{0} stays without arguments', []), '{0} stays without arguments');
    });

    it("uses VS Code's l10n once activate() handed it in", () => {
      assert.equal(l10n.t('Hello {0}', 'you'), 'Hello you');
      const asked: unknown[] = [];
      useL10n({ t: (message: string, ...args: unknown[]) => (asked.push([message, ...args]), `[${message}]`) });
      try {
        assert.equal(l10n.t('Hello {0}', 'you'), '[Hello {0}]');
        assert.equal(l10n.t('Hi {name}', { name: 'you' }), '[Hi {name}]');
        assert.deepEqual(asked, [
          ['Hello {0}', 'you'],
          ['Hi {name}', { name: 'you' }],
        ]);
      } finally {
        useL10n(undefined);
      }
    });
  });
});
