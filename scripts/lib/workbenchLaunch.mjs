// The web workbench's URL and the switch that lets it load an extension under development and its tests.

/**
 * The built workbench ignores the `payload` URL parameter unless developmentOptions.enableSmokeTestDriver
 * is set in its configuration, which code-server writes into a meta tag. This script flips it before the
 * workbench reads it. (Rewriting the HTML with page.route() breaks the websockets in Chromium 156.)
 * A string, because it runs in the page, not in Node.
 */
export const ENABLE_SMOKE_TEST_DRIVER = `(() => {
  if (window.top !== window) return;
  const patch = () => {
    const meta = document.getElementById('vscode-workbench-web-configuration');
    const raw = meta && meta.getAttribute('data-settings');
    if (!raw) return false;
    const config = JSON.parse(raw);
    config.developmentOptions = Object.assign({}, config.developmentOptions, { enableSmokeTestDriver: true });
    meta.setAttribute('data-settings', JSON.stringify(config));
    return true;
  };
  if (patch()) return;
  const observer = new MutationObserver(() => { if (patch()) observer.disconnect(); });
  observer.observe(document, { childList: true, subtree: true });
})();`;

/**
 * `openFile` opens that file in an editor next to the folder: the workbench honours the payload's "openFile"
 * entry (its filesToOpenOrCreate) without the smoke-test switch, unlike the extension development entries.
 * @param {{ baseUrl: string, authority: string }} server
 * @param {{ folder: string, openFile?: string, extensionDevelopmentPath?: string, extensionTestsPath?: string }} options absolute paths on the server
 */
export function workbenchUrl(server, { folder, openFile, extensionDevelopmentPath, extensionTestsPath }) {
  const url = new URL(server.baseUrl);
  url.searchParams.set('folder', folder);
  /** @type {[string, string][]} */
  const payload = [];
  const remote = (/** @type {string} */ p) => `vscode-remote://${server.authority}${p}`;
  if (openFile) payload.push(['openFile', remote(openFile)]);
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  if (payload.length) url.searchParams.set('payload', JSON.stringify(payload));
  return url.toString();
}

/**
 * Opens a workbench URL the way a person does: code-server answers with its login page, the password goes in, and
 * code-server sends the browser on to the URL it was asked for (folder and payload included).
 * @param {import('playwright-core').Page} page
 * @param {{ password: string }} server
 * @param {string} url  from workbenchUrl()
 */
export async function openWorkbench(page, server, url) {
  await page.goto(url);
  // A tab of a browser that already logged in (a second window) is sent straight to the workbench.
  if (!new URL(page.url()).pathname.endsWith('/login')) return;
  const password = page.locator('input[name="password"]');
  await password.waitFor({ state: 'visible', timeout: 30_000 });
  await password.fill(server.password);
  await Promise.all([
    page.waitForURL((address) => !address.pathname.endsWith('/login'), { timeout: 30_000 }),
    password.press('Enter'),
  ]);
}
