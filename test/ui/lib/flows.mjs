// The user journeys the scenarios share: from an empty C2M view to a live short-term token, and a token
// inserted into the demo request file through completion.
import fs from 'node:fs';
import path from 'node:path';
import { visible, until, plain } from './wait.mjs';
import {
  cursorAt,
  editorText,
  goToLine,
  goToLineEnd,
  openC2mView,
  openFile,
  statusBarItem,
  tokenAfter,
  treeRow,
} from './workbench.mjs';

/** @typedef {import('./scenario.mjs').ScenarioContext} ScenarioContext */

/**
 * The short-term countdown (mm:ss, or h:mm:ss past an hour) anywhere in a tree row's text. No \b: the row's
 * textContent runs label and description together ("Short-term token14:59 · tok_…"), so the time may follow
 * a letter directly. Match it within the "Short-term token" row (treeRow), never on the whole page.
 */
export const COUNTDOWN = /(\d{1,2}):(\d\d)/;

/** Opens the C2M view and checks its welcome content. @param {ScenarioContext} s */
export async function openViewWithWelcome(s) {
  await s.step('open the C2M view: welcome content offers the sandbox and a profile', async () => {
    const sideBar = await openC2mView(s.page);
    const welcome = sideBar.locator('.welcome-view-content');
    await visible(welcome, 'the welcome content of the "Tokens" view (viewsWelcome of c2m.tokens)');
    await visible(
      welcome.locator('.monaco-button', { hasText: 'Try with Local Sandbox' }),
      'the "Try with Local Sandbox" button',
    );
    await visible(welcome.locator('.monaco-button', { hasText: 'Add Profile' }), 'the "Add Profile" button');
  });
}

/** From the welcome content to a Sandbox profile with a live short-term token. @param {ScenarioContext} s */
export async function sandboxWithLiveToken(s) {
  await openViewWithWelcome(s);
  await s.step('click "Try with Local Sandbox": a Sandbox profile appears and gets a long-term token', async () => {
    await s.page.locator('.welcome-view-content .monaco-button', { hasText: 'Try with Local Sandbox' }).first().click();
    await visible(treeRow(s.page, 'Sandbox'), 'the "Sandbox" profile in the Tokens view', 30_000);
    // The command issues the long-term token itself (clicking "Issue" too would race it and rotate).
    await visible(
      treeRow(s.page, 'Long-term token').filter({ hasText: /left/ }),
      'a long-term token with its time left ("… days left") in the tree',
      30_000,
    );
  });
  await s.step('a short-term token appears with a live countdown', async () => {
    const shortRow = await visible(
      treeRow(s.page, 'Short-term token').filter({ hasText: COUNTDOWN }),
      'a "Short-term token" row with a countdown (mm:ss)',
      30_000,
    );
    const first = await shortRow.textContent();
    await until(async () => (await shortRow.textContent()) !== first, 'the short-term countdown ticking', {
      timeout: 5000,
    });
  });
  await s.step('the status bar shows the profile and the time left', async () => {
    await statusBarItem(s.page, /Sandbox\s+\d{1,2}:\d{2}/, 'a status bar item "Sandbox mm:ss"');
  });
}

/**
 * Opens demo.http and inserts a token by completion under the first request's headers.
 * @param {ScenarioContext} s
 * @returns {Promise<{ token: string, line: number }>} the inserted token and its 1-based line
 */
export async function insertTokenByCompletion(s) {
  const lines = fs.readFileSync(path.join(s.workspace, 'demo.http'), 'utf8').split('\n');
  const headerLine = lines.indexOf('Accept: application/json') + 1;
  if (headerLine === 0) throw new Error('demo.http has no "Accept: application/json" line to type under');
  await s.step('open demo.http', async () => {
    await openFile(s.page, 'demo.http');
  });
  await s.step('type "Authorization: " under the first request', async () => {
    await goToLineEnd(s.page, headerLine, lines[headerLine - 1].length);
    await s.page.keyboard.press('Enter');
    await cursorAt(s.page, headerLine + 1, 1);
    await s.page.keyboard.type('Authorization: ');
    await until(async () => (await editorText(s.page)).includes('Authorization: '), 'the typed header in the editor');
    await s.page.keyboard.press('Control+Space');
    await visible(bearerCompletion(s.page), 'a "Bearer <token>" completion after "Authorization: " (language server)');
  });
  let token = '';
  await s.step('accept the completion: a fresh short-term token is inserted', async () => {
    await bearerCompletion(s.page).first().click();
    token = await tokenAfter(s.page, 'Authorization: Bearer ');
  });
  return { token, line: headerLine + 1 };
}

/**
 * Puts the cursor inside the token (near its start, so the editor scrolls back to the line's beginning).
 * @param {ScenarioContext} s @param {number} line
 */
export async function cursorIntoToken(s, line) {
  await goToLine(s.page, line, 'Authorization: Bearer '.length + 8);
}

/** The language server's completion: "Bearer" followed by more, unlike the editor's word-based "Bearer". @param {import('playwright-core').Page} page */
function bearerCompletion(page) {
  return page.locator('.suggest-widget.visible .monaco-list-row', { hasText: /Bearer\s+\S/ });
}

/** Text of the visible editor hover, if any. @param {import('playwright-core').Page} page */
export async function hoverText(page) {
  const hover = page.locator('.monaco-editor .monaco-hover:not(.hidden)').first();
  return (await hover.isVisible()) ? plain((await hover.textContent()) ?? '') : '';
}
