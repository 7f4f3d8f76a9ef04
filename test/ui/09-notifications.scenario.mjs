// Scenario 8: what the notifications say fits where VS Code shows it. A toast without buttons is one line cut with
// "…" (the sandbox's success notice was "…live short-term token (sandbo…"); one with buttons shows every line. So
// the success notice must fit its line, and a failure (a wrong client secret) must say the profile and what happened
// in a few words, with the server's full answer behind Details.
import { sandboxWithLiveToken } from './lib/flows.mjs';
import { hidden, until, visible } from './lib/wait.mjs';
import { runCommand } from './lib/workbench.mjs';

export const title =
  'notifications: the success notice fits its line; a failure says what happened first, the rest behind Details';

/** @typedef {{ text: string, cut: boolean, lines: number }} Shown */

/**
 * The toast whose message matches, as it is drawn: its text, whether the line is cut ("…"), how many lines it takes.
 * @param {import('playwright-core').Page} page @param {RegExp} pattern @param {string} what
 * @returns {Promise<Shown>}
 */
async function toast(page, pattern, what) {
  const message = page.locator('.notifications-toasts .notification-list-item-message').filter({ hasText: pattern });
  await visible(message, what, 30_000);
  // Measured once two frames in a row lay it out the same (the toast animates in).
  return until(
    () =>
      message.first().evaluate(
        (el) =>
          new Promise((resolve) => {
            const win = /** @type {any} */ (globalThis); // the page's window (no DOM types in this project)
            const height = el.getBoundingClientRect().height;
            win.requestAnimationFrame(() =>
              win.requestAnimationFrame(() => {
                const now = el.getBoundingClientRect().height;
                const faded = Number(win.getComputedStyle(el.closest('.notification-toast') ?? el).opacity) < 1;
                resolve(
                  now !== height || faded
                    ? undefined
                    : {
                        text: el.textContent ?? '',
                        cut: el.scrollWidth > el.clientWidth + 1,
                        lines: Math.round(now / parseFloat(win.getComputedStyle(el).lineHeight)),
                      },
                );
              }),
            );
          }),
      ),
    `${what} laid out`,
  );
}

/** @param {import('playwright-core').Page} page */
const failureToast = (page) =>
  page.locator('.notifications-toasts .notification-list-item').filter({ hasText: /refused the client secret/i });

/** @param {import('./lib/scenario.mjs').ScenarioContext} s */
export async function run(s) {
  /** @type {Record<string, Shown>} */
  const seen = {};
  await sandboxWithLiveToken(s);
  await s.step("the sandbox's success notice is on screen", async () => {
    seen.success = await toast(
      s.page,
      /live short-term token/,
      'the notice that the Sandbox profile has a live short-term token',
    );
    console.log(
      `      success notice (${seen.success.cut ? 'cut' : 'whole'}, ${seen.success.lines} line(s)): ${seen.success.text}`,
    );
  });
  await s.step('set a wrong client secret for the Sandbox profile', async () => {
    await s.page.keyboard.press('Escape'); // the palette needs the focus back from the view
    await runCommand(s.page, 'C2M: Set Client Secret');
    const input = await visible(s.page.locator('.quick-input-widget input'), 'the client secret box');
    await input.fill('not-the-sandbox-secret');
    await s.page.keyboard.press('Enter');
    await hidden(s.page.locator('.quick-input-widget'), 'the client secret box');
  });
  await s.step(
    'rotate the long-term token: the server refuses the secret, and the notification says so first',
    async () => {
      await runCommand(s.page, 'Notifications: Clear All Notifications'); // the failure's toast alone on the screenshot
      await hidden(s.page.locator('.notifications-toasts .notification-list-item'), 'the earlier notifications');
      await runCommand(s.page, 'C2M: Rotate Long-Term Token');
      // Rotating revokes the current token: run from the palette, it asks first.
      const rotate = s.page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Rotate' }).first();
      await (await visible(rotate, 'the "Rotate" button of the confirmation dialog')).click();
      seen.failure = await toast(
        s.page,
        /refused the client secret/i,
        'the notification that the server refused the client secret',
      );
      console.log(`      failure notice (${seen.failure.lines} line(s)): ${seen.failure.text}`);
      await visible(failureToast(s.page).locator('.monaco-button'), 'the buttons of the failure notification');
      await toast(s.page, /refused the client secret/i, 'the failure notification with its buttons');
      await s.page.mouse.move(0, 0);
    },
  );
  await s.step("Details shows the server's whole answer", async () => {
    await (
      await visible(
        failureToast(s.page).locator('.monaco-button', { hasText: 'Details' }),
        'a "Details" button on the failure notification',
      )
    ).click();
    const dialog = await visible(s.page.locator('.monaco-dialog-box'), 'the Details dialog');
    await visible(
      dialog.filter({ hasText: /invalid_client/ }),
      "the server's code (invalid_client) in the Details dialog",
    );
  });
  await s.step('close Details', async () => {
    await s.page.keyboard.press('Escape');
    await hidden(s.page.locator('.monaco-dialog-box'), 'the Details dialog');
  });
  await s.step(
    'both fit: the success notice is not cut, the failure starts with the profile and takes at most 3 lines',
    async () => {
      if (seen.success?.cut) throw new Error(`the success notice is cut: "${seen.success.text}"`);
      if (!/^C2M "Sandbox": the server refused the client secret/.test(seen.failure?.text ?? '')) {
        throw new Error(
          `the failure notice does not start with the profile and what happened: "${seen.failure?.text}"`,
        );
      }
      if ((seen.failure?.lines ?? 99) > 3)
        throw new Error(`the failure notice takes ${seen.failure?.lines} lines: "${seen.failure?.text}"`);
    },
  );
}
