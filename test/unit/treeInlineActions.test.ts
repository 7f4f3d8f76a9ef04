// The Tokens view's inline buttons, read from package.json as VS Code lays them out (group order, right-aligned):
// a click that changes a row's state must never leave a destructive button under the pointer. A double click on
// "Issue" once issued and revoked at once, because Revoke took Issue's place.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

interface MenuItem {
  command: string;
  when: string;
  group: string;
}

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
  contributes: { menus: Record<string, MenuItem[]> };
};
const DESTRUCTIVE = new Set(['c2m.revokeToken', 'c2m.signOut', 'c2m.removeProfile']);

/** The inline commands shown on a tree row with this context value, left to right. */
function inlineRow(viewItem: string): string[] {
  return manifest.contributes.menus['view/item/context']!.filter(
    (m) => m.group.startsWith('inline') && m.when.includes('view == c2m.tokens') && matches(m.when, viewItem),
  )
    .sort((a, b) => Number(a.group.split('@')[1] ?? 0) - Number(b.group.split('@')[1] ?? 0))
    .map((m) => m.command);
}

function matches(when: string, viewItem: string): boolean {
  const exact = /viewItem == ([\w.]+)/.exec(when);
  if (exact) return exact[1] === viewItem;
  const re = /viewItem =~ \/(.+)\/$/.exec(when);
  assert.ok(re, `a when clause this test understands: ${when}`);
  return new RegExp(re[1]!.replace(/\\\\/g, '\\')).test(viewItem);
}

/** The command under the pointer at each position counted from the right edge, where a click lands after a re-render. */
function fromRight(row: string[]): string[] {
  return [...row].reverse();
}

const STATES = ['none', 'valid', 'expiring', 'expired', 'revoked', 'error'];
/** Short-term rows also say when their profile has no usable long-term token (viewFormat.tokenContextValue). */
const SHORT_STATES = [...STATES, 'none.noLong', 'expired.noLong', 'revoked.noLong'];

describe('Tokens view inline buttons', () => {
  for (const kind of ['longToken', 'shortToken']) {
    it(`${kind}: no state change puts a destructive button where another button was`, () => {
      const states = kind === 'shortToken' ? SHORT_STATES : STATES;
      for (const before of states) {
        for (const after of states) {
          const was = fromRight(inlineRow(`c2m.${kind}.${before}`));
          const now = fromRight(inlineRow(`c2m.${kind}.${after}`));
          was.forEach((clicked, i) => {
            const under = now[i];
            if (under && under !== clicked) {
              assert.ok(
                !DESTRUCTIVE.has(under),
                `${kind} ${before} -> ${after}: "${under}" takes the place of "${clicked}"`,
              );
            }
          });
        }
      }
    });
  }

  it('a short-term row with no live token and no usable long-term token offers no Refresh (it could only fail)', () => {
    for (const state of ['none', 'expired', 'revoked']) {
      const menus = manifest.contributes.menus['view/item/context']!.filter(
        (m) => m.when.includes('view == c2m.tokens') && matches(m.when, `c2m.shortToken.${state}.noLong`),
      );
      assert.ok(!menus.some((m) => m.command === 'c2m.refreshShortTermToken'), state);
      assert.ok(inlineRow(`c2m.shortToken.${state}`).includes('c2m.refreshShortTermToken'), `${state}, with one`);
    }
    // An expired one still has its details.
    assert.ok(
      manifest.contributes.menus['view/item/context']!.some(
        (m) => m.command === 'c2m.revealToken' && matches(m.when, 'c2m.shortToken.expired.noLong'),
      ),
    );
  });

  it('the long-term token row has no inline revoke at all (it is in the context menu, behind a confirmation)', () => {
    for (const state of STATES) assert.ok(!inlineRow(`c2m.longToken.${state}`).includes('c2m.revokeToken'), state);
    assert.ok(
      manifest.contributes.menus['view/item/context']!.some(
        (m) => m.command === 'c2m.revokeToken' && m.when.includes('longToken') && !m.group.startsWith('inline'),
      ),
    );
  });
});
