// Scenario 11: a new user's first hour in one go: the sandbox, completion, hover, rotate, revoke, Leak Scan and the
// notification centre, each checked for what its text says: the tree and the status bar agree after a rotation, a
// notice without buttons (drawn on one line, cut with "…") fits that line, Leak Scan counts what it found.
import { makeGitProject } from '../../scripts/lib/demoWorkspace.mjs';
import { COUNTDOWN, cursorIntoToken, hoverText, insertTokenByCompletion, sandboxWithLiveToken } from './lib/flows.mjs';
import { hidden, plain, until, visible } from './lib/wait.mjs';
import { runCommand, statusBarItem, treeRow } from './lib/workbench.mjs';

export const title = "a new user's first hour: sandbox, completion, hover, rotate, revoke, Leak Scan, notifications";

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').Locator} Locator */

/** Picks an entry of the open context menu by keyboard (a click right after the menu opened is ignored). @param {Page} page @param {RegExp} name */
async function contextMenuEntry(page, name) {
  const item = await visible(
    page.locator('.context-view .monaco-menu .action-item', { hasText: name }),
    `a "${name.source}" entry in the context menu`,
  );
  await item.hover();
  await page.keyboard.press('Enter');
  await hidden(page.locator('.context-view .monaco-menu'), 'the context menu');
}

/**
 * Whether a notification's message is cut with "…", measured once two frames in a row lay it out the same (toasts
 * animate in). @param {Locator} message @param {string} what
 * @returns {Promise<{ text: string, cut: boolean }>}
 */
function measured(message, what) {
  return until(
    () =>
      message.evaluate(
        (el) =>
          new Promise((resolve) => {
            const win = /** @type {any} */ (globalThis); // the page's window (no DOM types in this project)
            const width = el.getBoundingClientRect().width;
            win.requestAnimationFrame(() =>
              win.requestAnimationFrame(() => {
                const faded = Number(win.getComputedStyle(el.closest('.notification-list-item') ?? el).opacity) < 1;
                resolve(
                  el.getBoundingClientRect().width !== width || faded
                    ? undefined
                    : { text: el.textContent ?? '', cut: el.scrollWidth > el.clientWidth + 1 },
                );
              }),
            );
          }),
      ),
    `${what} laid out`,
  );
}

/** The mm:ss of a text, if any. @param {string} text */
const countdownOf = (text) => COUNTDOWN.exec(plain(text))?.[0];

/** @param {import('./lib/scenario.mjs').ScenarioContext} s */
export async function run(s) {
  // A project of its own, as `npm start` lays out the demo: the run folder lies inside this repository, whose
  // .gitignore would hide every file from Leak Scan.
  const git = makeGitProject(s.workspace);
  if (!git.ok) throw new Error(`the workspace could not be made a git repository: ${git.reason}`);
  await sandboxWithLiveToken(s);
  const { token, line } = await insertTokenByCompletion(s);
  await s.step('hover the inserted token: profile, kind and status, the value masked', async () => {
    await cursorIntoToken(s, line);
    await s.page.keyboard.press('Control+K');
    await s.page.keyboard.press('Control+I');
    const text = await until(async () => hoverText(s.page), 'a hover on the token');
    if (!/Profile Sandbox · short-term token/.test(text) || !/Status: valid/.test(text))
      throw new Error(`the hover does not say whose token it is and that it is valid: "${text.slice(0, 300)}"`);
    if (text.includes(token)) throw new Error('the hover shows the whole token value');
    await s.page.keyboard.press('Escape');
  });

  const shortRow = treeRow(s.page, 'Short-term token').first();
  const sandboxStatus = s.page.locator('.part.statusbar .statusbar-item', { hasText: 'Sandbox' }).first();
  await s.step('rotate the long-term token from the tree: a modal says what stops working', async () => {
    await treeRow(s.page, 'Long-term token').first().click({ button: 'right' });
    await contextMenuEntry(s.page, /Rotate/);
    await visible(
      s.page.locator('.monaco-dialog-box').filter({ hasText: /stop working at once/ }),
      'the rotate confirmation saying that the short-term tokens made from the old one stop working',
    );
  });
  await s.step(
    'confirm: the token in demo.http dies with its parent; tree and status bar show the new one',
    async () => {
      await s.page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Rotate' }).first().click();
      await hidden(s.page.locator('.monaco-dialog-box'), 'the rotate confirmation');
      await visible(
        s.page.locator('.editor-instance .monaco-editor .squiggly-error'),
        'an error diagnostic on the token made from the rotated long-term token',
        30_000,
      );
      // The lens above the request says the same as the diagnostic (VS Code asks for lenses again a moment later).
      await visible(
        s.page.locator('.editor-instance .codelens-decoration', { hasText: /revoked/ }),
        'the code lens saying that the token is revoked',
      );
      await visible(
        s.page.locator('.notifications-toasts .notification-list-item-message', { hasText: /rotated the long-term/ }),
        'the notice that the long-term token was rotated',
        30_000,
      );
      // The same live token in both places (one tick apart at most while they redraw).
      await until(
        async () => {
          const tree = countdownOf((await shortRow.textContent()) ?? '');
          const bar = countdownOf((await sandboxStatus.textContent()) ?? '');
          return tree && bar && tree === bar;
        },
        'the same short-term countdown in the tree and the status bar',
        { timeout: 30_000 },
      );
      await s.page.mouse.move(0, 0);
    },
  );

  await s.step('revoke the short-term token from the tree: the notice says so on its one line', async () => {
    await runCommand(s.page, 'Notifications: Clear All Notifications');
    await hidden(s.page.locator('.notifications-toasts .notification-list-item'), 'the earlier notifications');
    await shortRow.click({ button: 'right' });
    await contextMenuEntry(s.page, /Revoke Token/);
    const confirm = s.page.locator('.monaco-dialog-box .monaco-button', { hasText: /Revoke/ });
    await (await visible(confirm, 'the "Revoke" button of the confirmation')).click();
    await visible(treeRow(s.page, 'Short-term token').filter({ hasText: 'revoked' }), 'the short-term token revoked');
    await statusBarItem(s.page, /Sandbox: short-term revoked/, 'the status bar saying the short-term token is revoked');
    const notice = s.page
      .locator('.notifications-toasts .notification-list-item-message', { hasText: /short-term token/ })
      .filter({ hasText: /revoked/ })
      .first();
    await visible(notice, 'the notice that the short-term token was revoked', 30_000);
    const shown = await measured(notice, 'the revoke notice');
    if (shown.cut) throw new Error(`the revoke notice is cut on its line: "${shown.text}"`);
    await s.page.mouse.move(0, 0);
  });

  await s.step('save demo.http and run Leak Scan: one revoked token of Sandbox in one file', async () => {
    await s.page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await s.page.keyboard.press('Control+S');
    await runCommand(s.page, 'C2M: Scan Workspace for Tokens');
    await visible(treeRow(s.page, 'demo.http').filter({ hasText: '1 token' }), 'demo.http, 1 token', 30_000);
    await visible(
      s.page.locator('.part.sidebar').getByText(/^1 token in 1 file; \d+ files \(.+\) searched\.$/),
      'the summary "1 token in 1 file; … searched."',
    );
    await visible(
      treeRow(s.page, /Ln \d+: short-term token/).filter({ hasText: /revoked · Sandbox/ }),
      'the token of demo.http, revoked, of the Sandbox profile',
    );
    await s.page.mouse.move(0, 0);
  });

  await s.step('open the notification centre: every C2M notice without buttons fits its line', async () => {
    await runCommand(s.page, 'Notifications: Show Notifications');
    const center = await visible(s.page.locator('.notifications-center'), 'the notification centre');
    const items = center
      .locator('.notification-list-item')
      .filter({ has: s.page.locator('.notification-list-item-message', { hasText: /^C2M/ }) });
    await visible(items.filter({ hasText: /short-term token revoked/ }), 'the revoke notice in the centre');
    /** @type {string[]} */
    const cut = [];
    for (const item of await items.all()) {
      if ((await item.locator('.notification-list-item-buttons-container .monaco-button').count()) > 0) continue;
      const shown = await measured(item.locator('.notification-list-item-message'), 'a notice in the centre');
      if (shown.cut) cut.push(shown.text);
    }
    if (cut.length) throw new Error(`notices cut on their line: ${cut.map((t) => `"${t}"`).join('; ')}`);
  });

  await s.step('sign out: both tokens gone, the short-term row offers no Refresh that could only fail', async () => {
    await s.page.keyboard.press('Escape');
    await runCommand(s.page, 'C2M: Sign Out');
    await (
      await visible(
        s.page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Sign Out' }),
        'the "Sign Out" button of the confirmation',
      )
    ).click();
    await visible(treeRow(s.page, 'Long-term token').filter({ hasText: 'not issued' }), 'no long-term token', 30_000);
    const row = await visible(
      treeRow(s.page, 'Short-term token').filter({ hasText: 'not issued' }),
      'no short-term token',
    );
    await statusBarItem(s.page, /Sandbox: no token/, 'the status bar saying "Sandbox: no token"');
    await row.hover(); // inline actions show under the pointer
    const refresh = row.locator('.actions .action-label[aria-label*="Refresh"]');
    // Drawn with the row's text (one TreeItem): once "not issued" shows, its buttons are the ones it has.
    if ((await refresh.count()) > 0)
      throw new Error('the short-term row offers Refresh, which fails without a long-term token');
    await s.page.mouse.move(0, 0);
  });
}
