// One scenario = one code-server with fresh user data, one fresh browser profile (the web workbench keeps
// SecretStorage there), and a screenshot after every step into .c2m-run/screenshots/.
import fs from 'node:fs';
import path from 'node:path';

/**
 * @typedef {object} ScenarioContext
 * @property {import('playwright-core').Page} page
 * @property {string} workspace  absolute path of the workspace folder code-server opened
 * @property {(title: string, action: () => Promise<void>) => Promise<void>} step  runs an action, then screenshots
 * @property {() => Promise<{ page: import('playwright-core').Page, step: ScenarioContext['step'] }>} openWindow
 *   another window on the same code-server: a second tab in the same browser profile
 * @property {Prepared} prepared  what the scenario's prepare() returned ({} without one)
 */

/**
 * @typedef {object} Prepared
 * @property {Record<string, unknown>} [userSettings]  written to the User settings before code-server starts
 * @property {() => Promise<void>} [dispose]  run after the scenario (its code-server stopped)
 * @property {any} [state]  anything else the scenario's run() needs from its prepare()
 */

/**
 * @typedef {object} Scenario
 * @property {string} title
 * @property {(context: ScenarioContext) => Promise<void>} run
 * @property {() => Promise<Prepared>} [prepare]  before code-server starts: e.g. a sandbox the scenario controls
 */

/** Thrown by a step; names the step and where its screenshot is. */
export class StepError extends Error {}

/**
 * @param {import('playwright-core').Page} page
 * @param {string} screenshotDir
 * @param {string} scenarioId
 */
export function stepRunner(page, screenshotDir, scenarioId) {
  fs.mkdirSync(screenshotDir, { recursive: true });
  let count = 0;
  return async (/** @type {string} */ title, /** @type {() => Promise<void>} */ action) => {
    count++;
    const base = `${scenarioId}-${String(count).padStart(2, '0')}-${slug(title)}`;
    try {
      await action();
    } catch (error) {
      const shot = path.join(screenshotDir, `${base}-FAILED.png`);
      await page.screenshot({ path: shot }).catch(() => undefined);
      const message = error instanceof Error ? error.message : String(error);
      const notes = await notifications(page);
      const seen = notes.length ? `\n      notifications: ${notes.map((n) => `"${n}"`).join('; ')}` : '';
      throw new StepError(
        `step ${count} "${title}": ${message}${seen}\n      screenshot: ${path.relative(process.cwd(), shot)}`,
        { cause: error },
      );
    }
    await page.screenshot({ path: path.join(screenshotDir, `${base}.png`) });
    console.log(`    · ${title}`);
  };
}

/** Texts of the notifications on screen: often the reason a step did not happen. @param {import('playwright-core').Page} page */
async function notifications(page) {
  const texts = await page
    .locator('.notifications-toasts .notification-list-item-message')
    .allTextContents()
    .catch(() => /** @type {string[]} */ ([]));
  return texts.map((text) => text.trim()).filter(Boolean);
}

function slug(/** @type {string} */ text) {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 48);
}
