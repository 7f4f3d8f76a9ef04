// Scenario 10: a user with a token reloads the window. While the extension starts, the Tokens view must not claim
// there is no profile (it does not know yet); and a token revoked in a file, whose record a newer token has replaced
// since, must still be shown revoked after the reload, not unknown.
import { cursorIntoToken, hoverText, insertTokenByCompletion, sandboxWithLiveToken, COUNTDOWN } from './lib/flows.mjs';
import { hidden, until, visible } from './lib/wait.mjs';
import { c2mSideBar, openC2mView, openFile, runCommand, treeRow, workbenchReady } from './lib/workbench.mjs';

export const title =
  'reload: no "No C2M profile yet" while loading; a revoked token replaced since still shows revoked, not unknown';

const NO_PROFILE = 'No C2M profile yet';

/**
 * Runs in the page from its first script on: notes whether the Tokens view's welcome ever said there is no profile,
 * however briefly (a poll could miss it).
 */
const WATCH_WELCOME = `(() => {
  const seen = { noProfile: false };
  globalThis.__c2mWelcome = seen;
  const check = () => {
    for (const el of document.querySelectorAll('.welcome-view-content')) {
      if ((el.textContent || '').includes(${JSON.stringify(NO_PROFILE)})) seen.noProfile = true;
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
})();`;

/** @param {import('./lib/scenario.mjs').ScenarioContext} s @param {number} line */
async function hoverOn(s, line) {
  await openFile(s.page, 'demo.http');
  await cursorIntoToken(s, line);
  // Keyboard hover (Ctrl+K Ctrl+I) with the cursor in the token: no pointer position to get right.
  await s.page.keyboard.press('Control+K');
  await s.page.keyboard.press('Control+I');
  return until(async () => hoverText(s.page), 'a hover on the token (language server)', { timeout: 30_000 });
}

/** @param {import('./lib/scenario.mjs').ScenarioContext} s */
export async function run(s) {
  await sandboxWithLiveToken(s);
  const { line } = await insertTokenByCompletion(s);
  await s.step('save demo.http', async () => {
    await s.page.keyboard.press('Control+S');
    await hidden(s.page.locator('.tabs-container .tab.active.dirty'), 'the unsaved mark of demo.http');
  });

  await s.step(
    'revoke the short-term token in the file (palette), then refresh: a new one replaces its record',
    async () => {
      await runCommand(s.page, 'C2M: Revoke Token');
      const pick = s.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Short-term token' });
      await (await visible(pick, 'the "Short-term token" choice')).click();
      const revoke = s.page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Revoke' }).first();
      await (await visible(revoke, 'the "Revoke" button of the confirmation dialog')).click();
      await visible(treeRow(s.page, 'Short-term token').filter({ hasText: 'revoked' }), 'the revoked short-term token');
      const text = await hoverOn(s, line);
      if (!/revoked/i.test(text)) throw new Error(`the hover does not say revoked: "${text.slice(0, 300)}"`);
      await s.page.keyboard.press('Escape');
      await runCommand(s.page, 'C2M: Refresh Short-Term Token');
      await visible(
        treeRow(s.page, 'Short-term token').filter({ hasText: COUNTDOWN }),
        'a new short-term token with a countdown',
        30_000,
      );
    },
  );

  await s.step(
    'reload the window: the view never says there is no profile, then shows the Sandbox profile',
    async () => {
      // No editor open: a .http one would start the extension at once (onLanguage), before the view is drawn.
      await runCommand(s.page, 'View: Close All Editors');
      await hidden(s.page.locator('.tabs-container .tab'), 'the open editors');
      await s.page.addInitScript({ content: WATCH_WELCOME });
      await s.page.reload();
      await workbenchReady(s.page);
      // The workbench restores its side bar a moment after it shows: open the view once that has settled.
      await until(
        async () => {
          if (await c2mSideBar(s.page).isVisible()) return true;
          await openC2mView(s.page).catch(() => undefined);
          return c2mSideBar(s.page).isVisible();
        },
        'the C2M view after the reload',
        { timeout: 60_000, interval: 2000 },
      );
      await visible(treeRow(s.page, 'Sandbox'), 'the "Sandbox" profile in the Tokens view', 30_000);
      await visible(
        treeRow(s.page, 'Short-term token').filter({ hasText: COUNTDOWN }),
        'the live short-term token after the reload',
        30_000,
      );
      const seen = await s.page.evaluate(() => /** @type {any} */ (globalThis).__c2mWelcome);
      if (!seen) throw new Error('the welcome watcher did not run in the reloaded page');
      if (seen.noProfile) throw new Error(`the Tokens view said "${NO_PROFILE}" while the extension was starting`);
    },
  );

  await s.step('after the reload the revoked token in the file is still shown revoked, not unknown', async () => {
    const text = await hoverOn(s, line);
    if (/unknown|not a known C2M token/i.test(text) || !/revoked/i.test(text))
      throw new Error(`the hover on the revoked token says: "${text.slice(0, 300)}"`);
  });
}
