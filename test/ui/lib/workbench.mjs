// What a user does in the VS Code workbench, as playwright-core actions on code-server's web UI.
import { hidden, plain, until, visible } from './wait.mjs';

/** @typedef {import('playwright-core').Page} Page */

export const VIEW_CONTAINER_TITLE = 'C2M Tokens';

/** @param {Page} page */
export async function workbenchReady(page) {
  await visible(page.locator('.monaco-workbench'), 'the VS Code workbench', 60_000);
  await visible(page.locator('.part.statusbar'), 'the status bar', 30_000);
}

/** @param {Page} page */
function activityBarItem(page) {
  return page.locator(`.part.activitybar .action-label[aria-label^="${VIEW_CONTAINER_TITLE}"]`);
}

/** The side bar showing the C2M view container. @param {Page} page */
export function c2mSideBar(page) {
  return page
    .locator('.part.sidebar')
    .filter({ has: page.locator('.composite.title', { hasText: VIEW_CONTAINER_TITLE }) });
}

/** Clicks the activity-bar icon, as a user would. @param {Page} page */
export async function openC2mView(page) {
  const item = await visible(
    activityBarItem(page),
    `the activity bar entry "${VIEW_CONTAINER_TITLE}" (viewsContainers.activitybar "c2m" of the extension)`,
    30_000,
  );
  const sideBar = c2mSideBar(page);
  if (!(await sideBar.isVisible())) await item.click();
  await visible(sideBar, `the side bar titled "${VIEW_CONTAINER_TITLE}"`);
  await widenSideBar(page);
  await page.mouse.move(0, 0); // no hover tooltip over the screenshots
  return sideBar;
}

/** Drags the side bar's edge so tree descriptions (token ids, countdowns) fit in screenshots. @param {Page} page */
async function widenSideBar(page, width = 560) {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box || box.width >= width) return;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width + 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 5 });
  await page.mouse.up();
}

/** Rows of the C2M tree. @param {Page} page @param {string | RegExp} text */
export function treeRow(page, text) {
  return c2mSideBar(page).locator('.monaco-list-row', { hasText: text });
}

/**
 * Runs a command from the palette by its title ("C2M: Issue Long-Term Token"). The palette snapshots the
 * command list when it opens, so a cold start can miss a just-registered command: one retry after Escape.
 * @param {Page} page
 * @param {string} title
 */
export async function runCommand(page, title) {
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    const input = await visible(page.locator('.quick-input-widget input'), 'the command palette');
    await input.fill(`>${title}`);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    try {
      await row.waitFor({ state: 'visible', timeout: attempt === 1 ? 5000 : 15_000 });
      await row.click();
      return;
    } catch (error) {
      await page.keyboard.press('Escape');
      if (attempt === 2) throw new Error(`the command "${title}" is not in the command palette`, { cause: error });
    }
  }
}

/** Opens a workspace file through Quick Open. @param {Page} page @param {string} name */
export async function openFile(page, name) {
  await page.keyboard.press('Control+P');
  const input = await visible(page.locator('.quick-input-widget input'), 'Quick Open');
  await input.fill(name);
  const row = await visible(
    page.locator('.quick-input-list .monaco-list-row', { hasText: name }),
    `"${name}" in Quick Open`,
  );
  await row.click();
  await visible(page.locator('.tabs-container .tab.active', { hasText: name }), `the editor tab "${name}"`);
  const editor = page.locator('.editor-instance .monaco-editor').first();
  await visible(editor, `the editor of ${name}`);
  return editor;
}

/**
 * Moves the cursor to the end of a 1-based line, waiting until the editor has it (keys pressed while
 * Go to Line is still closing get lost).
 * @param {Page} page @param {number} line @param {number} length  the line's length
 */
export async function goToLineEnd(page, line, length) {
  await goToLine(page, line, length + 1);
}

/** Moves the cursor to a 1-based line and column through Go to Line. @param {Page} page @param {number} line @param {number} column */
export async function goToLine(page, line, column) {
  await page.keyboard.press('Control+G');
  const input = await visible(page.locator('.quick-input-widget input'), 'Go to Line');
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await hidden(page.locator('.quick-input-widget'), 'Go to Line');
  await cursorAt(page, line, column);
}

/** Waits until the status bar shows the cursor at a 1-based line and column. @param {Page} page @param {number} line @param {number} column */
export async function cursorAt(page, line, column) {
  await statusBarItem(page, new RegExp(`Ln ${line}, Col ${column}\\b`), `the cursor at line ${line}, column ${column}`);
}

/** The editor's visible text, spaces normalised. @param {Page} page */
export async function editorText(page) {
  const lines = await page.locator('.editor-instance .monaco-editor .view-lines .view-line').allTextContents();
  return plain(lines.join('\n'));
}

/** Waits for a status bar item whose text matches. @param {Page} page @param {RegExp} pattern @param {string} what */
export async function statusBarItem(page, pattern, what) {
  return visible(page.locator('.part.statusbar .statusbar-item').filter({ hasText: pattern }), what);
}

const JWT = /eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/.source;

/**
 * The JWT right after `prefix` in the editor. Lines are matched one by one and in no particular order
 * (Monaco's DOM order is not line order).
 * @param {Page} page @param {string} prefix
 */
export async function tokenAfter(page, prefix) {
  const pattern = new RegExp(`${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(${JWT})`);
  return until(async () => pattern.exec(await editorText(page))?.[1], `a token after "${prefix}" in the editor`);
}
