// Scenario 7: two browser tabs on one code-server, two windows with their own extension hosts. In VS Code for the
// Web each tab keeps its own copy of the secrets, so what one window stores the other cannot read: it must learn of
// it through the extension's shared state file, show it, and never use or insert a token that is no longer valid.
import { COUNTDOWN, sandboxWithLiveToken } from './lib/flows.mjs';
import { plain, until, visible } from './lib/wait.mjs';
import {
  c2mSideBar,
  editorText,
  goToLineEnd,
  openC2mView,
  openFile,
  runCommand,
  treeRow,
  workbenchReady,
} from './lib/workbench.mjs';
import fs from 'node:fs';
import path from 'node:path';

export const title = 'two windows: a sign-out and a rotation in one reach the other, which never uses a revoked token';

/** How long another window may take to show a change: a few seconds, with room for a slow machine. */
const REACH_MS = 20_000;

const JWT = /Bearer eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/;
const RELOAD = /changed in another window.*reload this window/i;

/** @param {import('playwright-core').Page} page */
async function notificationTexts(page) {
  const texts = await page.locator('.notifications-toasts .notification-list-item-message').allTextContents();
  return texts.map(plain);
}

/** @param {import('playwright-core').Page} page */
async function longRowText(page) {
  // The accessible name holds the masked token id (the visible description only the time left).
  const row = treeRow(page, 'Long-term token').first();
  return plain((await row.getAttribute('aria-label')) ?? (await row.textContent()) ?? '');
}

/** @param {import('playwright-core').Page} page  @param {string} button */
async function confirmDialog(page, button) {
  const choice = page.locator('.monaco-dialog-box .monaco-button', { hasText: button }).first();
  await visible(choice, `the "${button}" button of the confirmation dialog`);
  await choice.click();
}

/**
 * Types "Authorization: " under the first request of demo.http in `page`, accepts the C2M completion if one is offered,
 * and returns the editor text afterwards.
 * @param {import('./lib/scenario.mjs').ScenarioContext} s  @param {import('playwright-core').Page} page
 */
async function tryInsert(s, page) {
  const lines = fs.readFileSync(path.join(s.workspace, 'demo.http'), 'utf8').split('\n');
  const headerLine = lines.indexOf('Accept: application/json') + 1;
  await openFile(page, 'demo.http');
  await goToLineEnd(page, headerLine, lines[headerLine - 1].length);
  await page.keyboard.press('Enter');
  await page.keyboard.type('Authorization: ');
  await until(async () => (await editorText(page)).includes('Authorization: '), 'the typed header in the editor');
  await page.keyboard.press('Control+Space');
  const completion = page.locator('.suggest-widget.visible .monaco-list-row', { hasText: /Bearer\s+\S/ }).first();
  await completion.waitFor({ state: 'visible', timeout: 10_000 }).then(
    () => completion.click(),
    () => page.keyboard.press('Escape'),
  );
}

/** @param {import('./lib/scenario.mjs').ScenarioContext} s */
export async function run(s) {
  await sandboxWithLiveToken(s);
  const b = await s.openWindow();

  await b.step('window 2 opens on the same profile and shows the same live tokens', async () => {
    await openC2mView(b.page);
    await visible(
      treeRow(b.page, 'Short-term token').filter({ hasText: COUNTDOWN }),
      'a live short-term token in window 2',
      30_000,
    );
    const mine = await longRowText(s.page);
    await until(
      async () => (await longRowText(b.page)) === mine,
      `window 2's long-term row equal to window 1's ("${mine}")`,
    );
  });

  await s.step('window 1 signs out', async () => {
    await runCommand(s.page, 'C2M: Sign Out');
    await confirmDialog(s.page, 'Sign Out');
    await until(
      async () => !(await treeRow(s.page, 'Short-term token').filter({ hasText: COUNTDOWN }).count()),
      'no live short-term token in window 1',
      { timeout: REACH_MS },
    );
  });

  await b.step('window 2 shows the sign-out within seconds: no live token left', async () => {
    await until(
      async () =>
        !(await treeRow(b.page, 'Short-term token').filter({ hasText: COUNTDOWN }).count()) &&
        !/left/.test(await longRowText(b.page)),
      'no live short-term token and no long-term token with time left in window 2',
      { timeout: REACH_MS },
    );
  });

  await b.step('window 2 does not insert the revoked token, and says to reload', async () => {
    await tryInsert(s, b.page);
    await until(
      async () => (await notificationTexts(b.page)).some((t) => RELOAD.test(t)),
      'a notification in window 2 saying to reload it',
      { timeout: REACH_MS },
    );
    if (JWT.test(await editorText(b.page))) throw new Error('window 2 inserted a token after the sign-out in window 1');
  });

  await b.step('window 2 reloads: it reads the current secrets again', async () => {
    await b.page.reload();
    await workbenchReady(b.page);
    // The workbench restores its side bar a moment after it shows: open the view once that has settled.
    await until(
      async () => {
        if (await c2mSideBar(b.page).isVisible()) return true;
        await openC2mView(b.page).catch(() => undefined);
        return c2mSideBar(b.page).isVisible();
      },
      'the C2M view in window 2 after the reload',
      { timeout: 60_000, interval: 2000 },
    );
  });

  await s.step('window 1 issues a new long-term token', async () => {
    await runCommand(s.page, 'C2M: Issue Long-Term Token');
    await visible(
      treeRow(s.page, 'Long-term token').filter({ hasText: /left/ }),
      'a long-term token with time left in window 1',
      30_000,
    );
    await visible(
      treeRow(s.page, 'Short-term token').filter({ hasText: COUNTDOWN }),
      'a live short-term token in window 1',
      30_000,
    );
  });

  let before = '';
  await b.step('window 2 shows the new long-term token within seconds', async () => {
    const mine = await longRowText(s.page);
    await until(
      async () => (await longRowText(b.page)) === mine,
      `window 2's long-term row equal to window 1's ("${mine}")`,
      { timeout: REACH_MS },
    );
    before = mine;
  });

  await s.step('window 1 rotates the long-term token', async () => {
    await runCommand(s.page, 'C2M: Rotate Long-Term Token');
    // Rotating revokes the current token: run from anywhere but the Tokens view's menus, it asks first.
    await confirmDialog(s.page, 'Rotate');
    await until(
      async () => (await longRowText(s.page)) !== before && /left/.test(await longRowText(s.page)),
      'a different long-term token in window 1',
      { timeout: 30_000 },
    );
  });

  await b.step('window 2 shows the rotated token within seconds', async () => {
    const mine = await longRowText(s.page);
    await until(
      async () => (await longRowText(b.page)) === mine,
      `window 2's long-term row equal to window 1's ("${mine}")`,
      { timeout: REACH_MS },
    );
  });

  await b.step(
    'window 2 refreshes: nothing is sent with the revoked token, the message says to reload, not to issue',
    async () => {
      await runCommand(b.page, 'C2M: Refresh Short-Term Token');
      await until(
        async () => (await notificationTexts(b.page)).some((t) => RELOAD.test(t)),
        'a notification in window 2 saying to reload it',
        { timeout: REACH_MS },
      );
      const texts = await notificationTexts(b.page);
      if (texts.some((t) => /issue a new one|\b401\b/.test(t)))
        throw new Error(`window 2 used the revoked token: ${texts.join(' | ')}`);
    },
  );
}
