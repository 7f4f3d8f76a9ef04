// Scenario 8: the server hangs while a long-term token is issued. A progress notification says which step and which
// try, with a Cancel button, and the tree says "issuing…" on the profile; Cancel ends the wait at once. The answer
// that comes later is stored, not dropped. The sandbox is this scenario's own (started in prepare(), before
// code-server), so the test can hold its answer and release it: a hang with no timer.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hidden, plain, until, visible } from './lib/wait.mjs';
import { openC2mView, runCommand, treeRow } from './lib/workbench.mjs';

export const title =
  'a hanging server: cancellable progress with step and try, "issuing…" in the tree, Cancel, the late token stored';

const SANDBOX_BUNDLE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'sandbox.js');
const ISSUING = 'issuing the long-term token… (try 1 of 1)';

/** @typedef {{ arrived(): Promise<void>, release(): void, abandonedCount(): number }} Hold */

/** @returns {Promise<import('./lib/scenario.mjs').Prepared>} */
export async function prepare() {
  const sandboxModule = createRequire(import.meta.url)(SANDBOX_BUNDLE);
  const sandbox = await sandboxModule.startSandbox({ port: 0, host: '127.0.0.1' });
  // The token is issued at the server, then its 201 is held: the answer a cancel must not lose.
  const hold = sandbox.faults.hold({ route: 'POST /auth/tokens/long', afterProcessing: true, times: 1 });
  return {
    userSettings: {
      'c2m.profiles': [
        {
          id: 'sandbox',
          name: 'Sandbox',
          baseUrl: sandbox.baseUrl,
          clientId: sandboxModule.DEMO_CLIENT_ID,
          mechanism: 'client_secret',
          scopes: [...sandboxModule.DEMO_SCOPES],
        },
      ],
      'c2m.activeProfile': 'sandbox',
    },
    state: { hold, sandbox },
    dispose: () => sandbox.stop(),
  };
}

/** Toasts on screen. @param {import('playwright-core').Page} page */
function toasts(page) {
  return page.locator('.notifications-toasts .notification-toast');
}

/**
 * Waits for a toast's fade-in to end and opens its details, so the screenshot shows the whole message.
 * @param {import('playwright-core').Page} page @param {import('playwright-core').Locator} toast
 */
async function showWhole(page, toast) {
  await visible(toast.and(page.locator('.notification-fade-in-done')), 'the notification, fully faded in');
  await toast.first().hover();
  const expand = toast.first().locator('.codicon-notifications-expand');
  if (await expand.isVisible()) await expand.click();
  await page.mouse.move(0, 0);
}

/** @param {import('./lib/scenario.mjs').ScenarioContext} s */
export async function run(s) {
  /** @type {Hold} */
  const hold = s.prepared.state.hold;
  const progress = toasts(s.page).filter({ hasText: ISSUING });
  const profileRow = treeRow(s.page, 'Sandbox');

  await s.step('open the C2M view: the Sandbox profile of the settings, no token yet', async () => {
    await openC2mView(s.page);
    await visible(profileRow, 'the "Sandbox" profile in the Tokens view', 30_000);
    await visible(
      treeRow(s.page, 'Long-term token').filter({ hasText: 'not issued' }),
      'a long-term token row saying "not issued"',
    );
  });

  await s.step(
    'Try with Local Sandbox while the server hangs: progress "issuing the long-term token… (try 1 of 1)" with Cancel, the tree says issuing…',
    async () => {
      await runCommand(s.page, 'C2M: Try with Local Sandbox');
      await hold.arrived();
      await visible(progress, `a progress notification "${ISSUING}"`, 30_000);
      await visible(progress.locator('.monaco-button', { hasText: 'Cancel' }), 'its Cancel button');
      await visible(profileRow.filter({ hasText: 'issuing…' }), 'the profile row saying "issuing…"');
      await visible(
        progress.and(s.page.locator('.notification-fade-in-done')),
        'the progress notification, fully faded in',
      );
      await s.page.mouse.move(0, 0);
    },
  );

  await s.step(
    'click Cancel: the progress goes at once, and the user is told what happens to a request already sent',
    async () => {
      await progress.locator('.monaco-button', { hasText: 'Cancel' }).first().click();
      await hidden(progress, 'the progress notification');
      const told = toasts(s.page).filter({ hasText: 'Cancelled issuing the long-term token of "Sandbox"' });
      await visible(told, 'a notification saying the issue was cancelled');
      const text = plain((await told.first().textContent()) ?? '');
      if (!/stored, not lost/.test(text))
        throw new Error(`the cancel notice does not say what becomes of a late token: "${text}"`);
      if (hold.abandonedCount() !== 0) throw new Error('the request that creates the token lost its connection');
      await showWhole(s.page, told);
    },
  );

  await s.step(
    'the server answers after all: the token it issued is stored, not dropped, and "issuing…" is gone',
    async () => {
      hold.release();
      const late = toasts(s.page).filter({ hasText: /answered after the cancel; the long-term token .* is stored/ });
      await visible(late, 'a notification that the late token is stored', 30_000);
      await visible(
        treeRow(s.page, 'Long-term token').filter({ hasText: /left/ }),
        'a long-term token with its time left in the tree',
        30_000,
      );
      await until(
        async () => (await profileRow.filter({ hasText: 'issuing…' }).count()) === 0,
        'the profile row without "issuing…"',
      );
      await showWhole(s.page, late);
    },
  );
}
