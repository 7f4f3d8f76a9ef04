// `npm run test:integration`: the mocha suites of test/integration inside code-server's real extension host.
// The workbench loads this repository as the extension under development and out/test/integration/index.js
// as its tests (URL payload); the result comes back through codeAutomationExit, the reporter output
// through a file in the run folder. Options: --grep <pattern>, --no-build, --timeout <seconds>, --untrusted (workspace
// trust on and never granted: test/fixtures/untrusted-workspace opens in Restricted Mode, for untrusted.test.ts).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { acceptC2mAuthPrompts } from './lib/authPrompts.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { runStep, seconds } from './lib/build.mjs';
import { freePort, prepareRunFolders, startCodeServer, tail, writeUserSettings } from './lib/codeServer.mjs';
import { REPO_ROOT, VERSIONS, processRunDir } from './lib/paths.mjs';
import { followFile } from './lib/follow.mjs';
import { ENABLE_SMOKE_TEST_DRIVER, openWorkbench, workbenchUrl } from './lib/workbenchLaunch.mjs';

const { values: options } = parseArgs({
  options: {
    grep: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    timeout: { type: 'string', default: '300' },
    untrusted: { type: 'boolean', default: false },
  },
});

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', options.untrusted ? 'untrusted-workspace' : 'workspace');
const TESTS_ENTRY = path.join(REPO_ROOT, 'out', 'test', 'integration', 'index.js');
/** A second extension under development: asks vscode.authentication for c2m sessions like a third party (broker tests). */
const CONSUMER_EXTENSION = path.join(REPO_ROOT, 'test', 'fixtures', 'consumer-extension');

async function main() {
  const started = Date.now();
  if (!options['no-build']) runStep('build (--tests)', process.execPath, ['esbuild.mjs', '--tests']);
  if (!fs.existsSync(TESTS_ENTRY)) throw new Error(`${TESTS_ENTRY} missing: build with \`node esbuild.mjs --tests\``);

  const run = prepareRunFolders(processRunDir(options.untrusted ? 'integration-untrusted' : 'integration'));
  const workspace = path.join(run.root, 'workspace');
  fs.cpSync(FIXTURE, workspace, { recursive: true }); // tests may edit files; the fixture stays clean
  if (options.untrusted) await pointFixtureAtFreePort(workspace);
  // Untrusted: trust stays on, nothing is ever trusted, and no startup dialog asks (it would block the run).
  writeUserSettings(run, options.untrusted ? UNTRUSTED_SETTINGS : {});
  const reportDir = path.join(run.root, 'report');
  fs.mkdirSync(reportDir, { recursive: true });
  const mochaLog = path.join(reportDir, 'mocha.log');
  // The extension host inherits code-server's environment: that is how index.js learns where to report.
  run.env.C2M_TEST_REPORT_DIR = reportDir;
  if (options.grep) run.env.C2M_TEST_GREP = options.grep;
  run.env.C2M_EXPECT_VSCODE_VERSION = VERSIONS.vscode;

  const server = await startCodeServer(run, { workspace, trustWorkspace: !options.untrusted });
  console.log(`code-server ready at ${server.baseUrl} (${seconds(Date.now() - started)})`);
  const browser = await launchBrowser(path.join(run.root, 'browser'));
  const stopFollowing = followFile(mochaLog, (text) => process.stdout.write(text));
  try {
    const page = browser.pages()[0] ?? (await browser.newPage());
    const consoleLog = fs.createWriteStream(path.join(run.logs, 'browser-console.log'));
    page.on('console', (message) => consoleLog.write(`[${message.type()}] ${message.text()}\n`));
    page.on('pageerror', (error) => consoleLog.write(`[pageerror] ${error.stack ?? error.message}\n`));
    await page.addInitScript({ content: ENABLE_SMOKE_TEST_DRIVER });

    /** @type {Promise<number>} */
    const exited = new Promise((resolve) => {
      void page.exposeFunction('codeAutomationExit', (/** @type {number} */ code) => resolve(code));
    });
    const timeoutMs = Number(options.timeout) * 1000;
    /** @type {NodeJS.Timeout | undefined} */
    let timer;
    const timedOut = new Promise((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const stopAccepting = acceptC2mAuthPrompts(page);
    await openWorkbench(
      page,
      server,
      workbenchUrl(server, {
        folder: workspace,
        extensionDevelopmentPath: extensionsUnderDevelopment(run.root),
        extensionTestsPath: TESTS_ENTRY,
      }),
    );
    const outcome = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    await stopAccepting();
    stopFollowing(); // flushes what is left of the log

    if (outcome === 'timeout') {
      const shot = path.join(run.root, 'timeout.png');
      await page.screenshot({ path: shot }).catch(() => undefined);
      throw new Error(
        `no result from the extension host after ${options.timeout} s (screenshot ${shot}); browser console:\n${tail(path.join(run.logs, 'browser-console.log'))}`,
      );
    }
    const result = readResult(path.join(reportDir, 'result.json'));
    if (!result) {
      console.log(
        `integration: run() ended with code ${outcome} but wrote no result; browser console:\n${tail(path.join(run.logs, 'browser-console.log'))}`,
      );
      return 1;
    }
    console.log(
      `integration: ${result.passed} passed, ${result.failed} failed, ${result.pending} pending in ${seconds(Date.now() - started)} (exit code ${outcome})`,
    );
    return outcome === 0 && result.failed === 0 ? 0 : 1;
  } finally {
    stopFollowing();
    await browser.close().catch(() => undefined);
    await server.stop();
  }
}

/** User settings of an untrusted run: Restricted Mode without the modal that would otherwise ask at startup. */
const UNTRUSTED_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'security.workspace.trust.emptyWindow': false,
  'security.workspace.trust.untrustedFiles': 'open',
};

/** The untrusted fixture's base URLs say 127.0.0.1:1; its copy gets a free port, where untrusted.test.ts counts requests. */
async function pointFixtureAtFreePort(/** @type {string} */ workspace) {
  const port = /** @type {number} */ (await freePort());
  for (const file of [path.join(workspace, '.vscode', 'settings.json'), path.join(workspace, 'requests.http')]) {
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replaceAll('127.0.0.1:1/', `127.0.0.1:${port}/`));
  }
}

/**
 * The web workbench keeps one extensionDevelopmentPath from its URL payload (a Map), but a development path without
 * a package.json is scanned as a folder of extensions: this one links the extension and the test-only consumer.
 * @param {string} runRoot
 */
function extensionsUnderDevelopment(runRoot) {
  const dir = path.join(runRoot, 'extensions-under-development');
  fs.mkdirSync(dir, { recursive: true });
  fs.symlinkSync(REPO_ROOT, path.join(dir, 'c2m-tokens'), 'dir');
  fs.symlinkSync(CONSUMER_EXTENSION, path.join(dir, 'c2m-consumer'), 'dir');
  return dir;
}

/** @param {string} file @returns {{ passed: number, failed: number, pending: number } | undefined} */
function readResult(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`integration: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
