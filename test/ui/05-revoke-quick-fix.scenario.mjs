// Scenario 5: revoking the short-term token from the tree marks it in the file, and the quick fix replaces it.
import { COUNTDOWN, cursorIntoToken, insertTokenByCompletion, sandboxWithLiveToken } from './lib/flows.mjs';
import { hidden, until, visible } from './lib/wait.mjs';
import { tokenAfter, treeRow } from './lib/workbench.mjs';

export const title = 'revoke from the tree: diagnostic on the token, quick fix replaces it with a fresh one';

const QUICK_FIX = 'Replace with a fresh short-term token';

/** @param {import('./lib/scenario.mjs').ScenarioContext} s */
export async function run(s) {
  await sandboxWithLiveToken(s);
  const { token, line } = await insertTokenByCompletion(s);
  const squiggle = s.page.locator('.editor-instance .monaco-editor .squiggly-error');

  await s.step('revoke the short-term token from the tree view', async () => {
    const row = treeRow(s.page, 'Short-term token').first();
    await row.click({ button: 'right' });
    const item = await visible(
      s.page.locator('.context-view .monaco-menu .action-item', { hasText: 'Revoke Token' }),
      'a "Revoke Token" entry in the short-term token\'s context menu',
    );
    // The menu ignores a click that comes right after it opened (the right-click's own release): focus the
    // entry by pointing at it and press Enter, as a keyboard user would.
    await item.hover();
    await s.page.keyboard.press('Enter');
    await hidden(s.page.locator('.context-view .monaco-menu'), 'the context menu');
    // A confirmation dialog is optional; the condition that ends the step is the diagnostic in the file.
    const confirm = s.page.locator('.monaco-dialog-box .monaco-button', { hasText: /Revoke/ });
    await until(
      async () => {
        if (await confirm.first().isVisible()) await confirm.first().click();
        return squiggle.first().isVisible();
      },
      'an error diagnostic on the revoked token in demo.http',
      { timeout: 30_000 },
    );
  });

  const fix = s.page.locator('.action-widget .monaco-list-row', { hasText: QUICK_FIX });
  await s.step(`Ctrl+. on the token offers "${QUICK_FIX}"`, async () => {
    await s.page.locator('.editor-instance .monaco-editor .view-lines').first().click(); // focus back to the editor
    await cursorIntoToken(s, line);
    await visible(
      s.page.locator('.editor-instance .lightBulbWidget'),
      "the light bulb of the diagnostic's code actions",
    );
    // Ctrl+. pressed while the editor is still taking focus back can go nowhere: one retry after Escape.
    for (let attempt = 1; ; attempt++) {
      await s.page.keyboard.press('Control+.');
      try {
        await visible(fix, `the quick fix "${QUICK_FIX}"`, attempt === 1 ? 5000 : 15_000);
        break;
      } catch (error) {
        if (attempt === 2) throw error;
        await s.page.keyboard.press('Escape');
      }
    }
  });
  await s.step('apply it: a fresh token replaces the revoked one, the diagnostic goes', async () => {
    await fix.first().click();
    const replacement = await until(async () => {
      const now = await tokenAfter(s.page, 'Authorization: Bearer ');
      return now !== token && now;
    }, 'a different token in place of the revoked one');
    if (!replacement) throw new Error('no replacement token');
    await hidden(squiggle, 'the error diagnostic', 30_000);
  });
  await s.step('the tree shows a fresh short-term token again', async () => {
    await visible(
      treeRow(s.page, 'Short-term token').filter({ hasText: COUNTDOWN }),
      'a live short-term token in the tree',
      30_000,
    );
  });
}
