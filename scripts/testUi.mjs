// `npm run test:ui`: the user scenarios of test/ui/*.scenario.mjs, each in its own code-server (fresh user data)
// and its own Chromium profile, against the packaged extension (.vsix) or, with --dev, the repository itself.
// A screenshot after every step lands in .c2m-run/screenshots/. Options: --only <text>, --dev, --no-package.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { launchBrowser } from './lib/browser.mjs';
import { runStep, seconds } from './lib/build.mjs';
import { installExtension, prepareRunFolders, startCodeServer, writeUserSettings } from './lib/codeServer.mjs';
import { REPO_ROOT, processRunDir, runDir } from './lib/paths.mjs';
import { ENABLE_SMOKE_TEST_DRIVER, openWorkbench, workbenchUrl } from './lib/workbenchLaunch.mjs';
import { stepRunner } from '../test/ui/lib/scenario.mjs';
import { workbenchReady } from '../test/ui/lib/workbench.mjs';

const { values: options } = parseArgs({
  options: {
    only: { type: 'string' },
    dev: { type: 'boolean', default: false },
    'no-package': { type: 'boolean', default: false },
  },
});

const SCENARIO_DIR = path.join(REPO_ROOT, 'test', 'ui');
const DEMO_WORKSPACE = path.join(REPO_ROOT, 'test', 'fixtures', 'demo-workspace');
const VSIX = path.join(REPO_ROOT, 'dist', 'c2m-tokens.vsix');
const SCREENSHOT_DIR = runDir('screenshots');
const UI_RUN = processRunDir('ui');

/** @returns {string[]} scenario file names, in order */
function scenarioFiles() {
  const all = fs
    .readdirSync(SCENARIO_DIR)
    .filter((name) => name.endsWith('.scenario.mjs'))
    .sort();
  return options.only ? all.filter((name) => name.includes(/** @type {string} */ (options.only))) : all;
}

/**
 * @param {string} file
 * @returns {Promise<void>}
 */
async function runScenario(file) {
  /** @type {import('../test/ui/lib/scenario.mjs').Scenario} */
  const scenario = await import(pathToFileURL(path.join(SCENARIO_DIR, file)).href);
  const id = file.replace(/\.scenario\.mjs$/, '');
  for (const old of fs.existsSync(SCREENSHOT_DIR) ? fs.readdirSync(SCREENSHOT_DIR) : []) {
    if (old.startsWith(`${id}-`)) fs.rmSync(path.join(SCREENSHOT_DIR, old)); // this scenario's last run
  }
  console.log(`  ${id}: ${scenario.title}`);
  const run = prepareRunFolders(path.join(UI_RUN, id));
  const workspace = path.join(run.root, 'workspace');
  fs.cpSync(DEMO_WORKSPACE, workspace, { recursive: true });
  // What a scenario sets up before code-server starts (a sandbox of its own, the settings pointing at it).
  const prepared = (await scenario.prepare?.()) ?? {};
  writeUserSettings(run, prepared.userSettings ?? {});
  if (!options.dev) installExtension(run, VSIX);
  const server = await startCodeServer(run, { workspace });
  const browser = await launchBrowser(path.join(run.root, 'browser'));
  try {
    const consoleLog = fs.createWriteStream(path.join(run.logs, 'browser-console.log'));
    // A window = a browser tab on the workbench; further ones share the browser profile (and so its storage).
    const openPage = async (/** @type {import('playwright-core').Page} */ page, /** @type {string} */ label) => {
      page.on('console', (message) => consoleLog.write(`[${label} ${message.type()}] ${message.text()}\n`));
      if (options.dev) await page.addInitScript({ content: ENABLE_SMOKE_TEST_DRIVER });
      await openWorkbench(
        page,
        server,
        workbenchUrl(server, { folder: workspace, ...(options.dev ? { extensionDevelopmentPath: REPO_ROOT } : {}) }),
      );
      await workbenchReady(page);
      return page;
    };
    const page = await openPage(browser.pages()[0] ?? (await browser.newPage()), 'window 1');
    let windows = 1;
    const openWindow = async () => {
      const other = await openPage(await browser.newPage(), `window ${++windows}`);
      return { page: other, step: stepRunner(other, SCREENSHOT_DIR, `${id}-window${windows}`) };
    };
    await scenario.run({ page, workspace, step: stepRunner(page, SCREENSHOT_DIR, id), openWindow, prepared });
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
    await prepared.dispose?.();
  }
}

async function main() {
  const started = Date.now();
  const files = scenarioFiles();
  if (files.length === 0) throw new Error(`no scenario matches ${options.only ?? '*.scenario.mjs'} in ${SCENARIO_DIR}`);
  if (!options.dev && !options['no-package']) runStep('package', 'npm', ['run', '--silent', 'package']);
  if (!options.dev && !fs.existsSync(VSIX)) throw new Error(`${VSIX} missing: run \`npm run package\``);

  let passed = 0;
  /** @type {string[]} */
  const failures = [];
  for (const file of files) {
    const scenarioStarted = Date.now();
    try {
      await runScenario(file);
      passed++;
      console.log(`  ✔ ${file} (${seconds(Date.now() - scenarioStarted)})`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      failures.push(`${file}: ${message}`);
      console.log(`  ✗ ${file} (${seconds(Date.now() - scenarioStarted)})\n      ${message}`);
    }
  }
  // Mocha's summary lines, so `npm test` counts these like every other part.
  console.log(`\n  ${passed} passing (${seconds(Date.now() - started)})`);
  if (failures.length) {
    console.log(`  ${failures.length} failing\n`);
    failures.forEach((failure, i) => console.log(`  ${i + 1}) ${failure}\n`));
  }
  console.log(`screenshots: ${path.relative(REPO_ROOT, SCREENSHOT_DIR)}/`);
  return failures.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`ui: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
