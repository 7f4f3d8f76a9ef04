// The broker tests call vscode.authentication.getSession('c2m', scopes, { createIfNone: true }) from a second,
// test-only extension. VS Code then asks the user, in the workbench: a modal "The extension … wants to sign in
// using C2M API" (Allow / Cancel), then a quick pick of the C2M API accounts; signing out through the Accounts menu's
// command asks "Sign out of …?" (the tests name their account so that it mentions C2M API). No extension API answers
// those, so the runner does what a person would: Allow / Sign Out, accept the first account, for C2M API prompts only.

/**
 * @param {import('playwright-core').Page} page
 * @param {{ label?: string, intervalMs?: number }} [options]
 * @returns {() => Promise<void>} stops watching
 */
export function acceptC2mAuthPrompts(page, { label = 'C2M API', intervalMs = 200 } = {}) {
  let stopped = false;
  const pause = () => new Promise((resolve) => setTimeout(resolve, intervalMs));
  const watch = async () => {
    while (!stopped) {
      try {
        const dialog = page.locator('.monaco-dialog-box').filter({ hasText: label });
        if ((await dialog.count()) > 0) await dialog.getByRole('button', { name: /^(Allow|Sign Out)$/ }).first().click({ timeout: 2_000 });
        const pick = page.locator('.quick-input-widget').filter({ hasText: `${label} account` });
        if (await pick.isVisible()) await page.keyboard.press('Enter');
      } catch {
        // The prompt closed or changed while we looked: look again next round.
      }
      await pause();
    }
  };
  const watching = watch();
  return async () => {
    stopped = true;
    await watching;
  };
}
