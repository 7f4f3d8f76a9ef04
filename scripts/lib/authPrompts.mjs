// The broker tests ask vscode.authentication for a c2m session from a second, test-only extension. VS Code refuses
// its modal dialogs while extension tests run (sign-out confirmations are auto-accepted), so access is granted the
// other way a person can: the Accounts menu's "Grant access…" entry, which shows a quick pick of C2M API accounts.
// No extension API answers a quick pick it did not create, so the runner does what a person would: accept the
// first account, for "wants to access a C2M API account" pickers only.

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
        const pick = page.locator('.quick-input-widget').filter({ hasText: `${label} account` });
        if (await pick.isVisible()) await page.keyboard.press('Enter');
      } catch {
        // The picker closed or changed while we looked: look again next round.
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
