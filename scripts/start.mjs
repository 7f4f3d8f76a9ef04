// `npm start`: builds and packages the extension, starts the sandbox, and opens the demo workspace in
// code-server with the packaged extension installed and demo.http in an editor; prints the URL, the login password
// and what to try first. Keys in its terminal: s stops / starts the sandbox, o prints the current one-time code,
// q or Ctrl+C stops everything.
// `npm start -- --desktop` opens a desktop `code` on the same workspace with --extensionDevelopmentPath instead.
// Options: --port N (code-server, default 8788), --sandbox-port N (default 8787), --no-sandbox (use one started
// with `npm run sandbox -- --port 8787`), --fresh (forget the editor state and demo workspace of earlier starts).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runStep } from './lib/build.mjs';
import { onCleanup } from './lib/cleanup.mjs';
import { installExtension, prepareRunFolders, startCodeServer, writeUserSettings } from './lib/codeServer.mjs';
import { DEMO_FILE, writeDemoWorkspace } from './lib/demoWorkspace.mjs';
import { REPO_ROOT, runDir } from './lib/paths.mjs';
import {
  DEFAULT_SANDBOX_PORT,
  loadSandbox,
  oneTimeCodeLine,
  sandboxBaseUrl,
  sandboxControl,
} from './lib/sandboxControl.mjs';
import { provision } from './provision.mjs';
import { workbenchUrl } from './lib/workbenchLaunch.mjs';

/** code-server's port unless `--port` says otherwise: a fixed one keeps the browser's origin (and its storage) the same. */
const DEFAULT_PORT = 8788;

const { values: options } = parseArgs({
  options: {
    desktop: { type: 'boolean', default: false },
    port: { type: 'string', default: String(DEFAULT_PORT) },
    'sandbox-port': { type: 'string', default: String(DEFAULT_SANDBOX_PORT) },
    'no-sandbox': { type: 'boolean', default: false },
    fresh: { type: 'boolean', default: false },
  },
});

/** @param {string} name @param {string} value */
function portOption(name, value) {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535)
    throw new Error(`--${name} needs a port number 1-65535, not "${value}"`);
  return port;
}

function codeOnPath() {
  return spawnSync('sh', ['-c', 'command -v code'], { encoding: 'utf8' }).stdout.trim();
}

/** What to do first, simplest route first. @param {string} secret the sandbox's documented demo secret */
function instructions(secret) {
  return [
    'Try it:',
    '  1. Open the C2M view (key icon in the activity bar) and click the beaker (Try with Local Sandbox) in its title bar.',
    `  2. In ${DEMO_FILE}, type \`Authorization: \` on a header line and accept the completion: a fresh short-term token goes in.`,
    '  3. Hover the token for its status, scopes and expiry.',
    `Or, on the "Sandbox" profile already in this workspace, issue a long-term token yourself (enter the sandbox's demo client secret "${secret}" once when asked).`,
  ].join('\n');
}

/**
 * Single keys in this terminal (raw mode turns Ctrl+C into a key, so it is handled here too).
 * @param {Record<string, () => Promise<void> | void>} actions
 */
function listenForKeys(actions) {
  const stdin = process.stdin;
  stdin.setRawMode(true);
  process.once('exit', () => stdin.isTTY && stdin.setRawMode(false));
  stdin.setEncoding('utf8');
  let busy = false;
  stdin.on('data', (/** @type {string} */ key) => {
    if (key === '\u0003' || key === 'q') {
      process.kill(process.pid, 'SIGINT'); // the cleanup module's handler stops everything
      return;
    }
    const action = actions[key.toLowerCase()];
    if (!action || busy) return;
    busy = true;
    Promise.resolve(action())
      .catch((error) => console.error(`start: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        busy = false;
      });
  });
}

/** Resolves never: the process ends on Ctrl+C / SIGTERM after the cleanups ran (the cleanup module exits then). */
function untilInterrupted() {
  return new Promise(() => {});
}

async function main() {
  const desktop = options.desktop;
  const port = portOption('port', options.port);
  const sandboxPort = portOption('sandbox-port', options['sandbox-port']);
  const code = desktop ? codeOnPath() : '';
  if (desktop && !code) {
    console.error(
      'npm start -- --desktop: no `code` on PATH. Install VS Code (and its `code` command), or run `npm start` for code-server.',
    );
    return 1;
  }
  if (desktop) runStep('build', process.execPath, ['esbuild.mjs']);
  else {
    provision();
    runStep('build + package', 'npm', ['run', '--silent', 'package']);
  }

  const sandboxModule = loadSandbox();
  const sandbox = sandboxControl(sandboxModule, sandboxPort);
  const baseUrl = sandboxBaseUrl(sandboxPort);
  if (options['no-sandbox']) {
    console.log(
      `sandbox: not started (--no-sandbox); the demo workspace expects one on ${baseUrl}: npm run sandbox -- --port ${sandboxPort}`,
    );
  } else {
    await sandbox.start();
    onCleanup(() => sandbox.stop());
    console.log(`sandbox: ${baseUrl}`);
  }

  // Kept from one start to the next (profiles, settings, the browser's login and storage), unless --fresh.
  const run = prepareRunFolders(runDir('start'), { fresh: options.fresh });
  const workspace = path.join(run.root, 'demo-workspace');
  const reused = fs.existsSync(workspace);
  if (!reused) writeDemoWorkspace(workspace, baseUrl);
  else if (!fs.readFileSync(path.join(workspace, '.vscode', 'settings.json'), 'utf8').includes(baseUrl)) {
    console.warn(
      `demo workspace: its "Sandbox" profile does not point at ${baseUrl}; \`npm start -- --fresh\` writes it anew.`,
    );
  }
  const demoFile = path.join(workspace, DEMO_FILE);

  if (desktop) {
    // `code` hands the window to the running VS Code and returns; the sandbox stays up until Ctrl+C.
    // A folder and a file: the window opens the folder with the file in an editor.
    const child = spawn(code, ['--new-window', `--extensionDevelopmentPath=${REPO_ROOT}`, workspace, demoFile], {
      stdio: 'inherit',
    });
    await new Promise((resolve) => child.once('exit', resolve));
    console.log(`\nVS Code opened ${workspace} with the extension from ${REPO_ROOT}.`);
  } else {
    if (!reused || !fs.existsSync(path.join(run.userData, 'User', 'settings.json'))) writeUserSettings(run);
    installExtension(run, path.join(REPO_ROOT, 'dist', 'c2m-tokens.vsix'));
    const server = await startCodeServer(run, { workspace, port }).catch((error) => {
      throw /port \d+ on 127\.0\.0\.1 is taken/.test(String(error))
        ? new Error(`${error.message}: pass --port N for code-server to use another`)
        : error;
    });
    console.log(
      `\nC2M Tokens is running in code-server. Open:\n\n  ${workbenchUrl(server, { folder: workspace, openFile: demoFile })}\n`,
    );
    console.log(
      `and log in with the password  ${server.password}  (a new one at each start; only this terminal shows it)\n`,
    );
  }
  console.log(instructions(sandboxModule.DEMO_CLIENT_SECRET));
  console.log(oneTimeCodeLine(sandboxModule, Date.now()));
  if (process.stdin.isTTY) {
    const sandboxKey = options['no-sandbox'] ? '' : 's stops / starts the sandbox · ';
    console.log(`\nKeys: ${sandboxKey}o prints the current one-time code · q or Ctrl+C stops everything.`);
    listenForKeys({
      ...(options['no-sandbox'] ? {} : { s: async () => console.log(await sandbox.toggle()) }),
      o: () => console.log(oneTimeCodeLine(sandboxModule, Date.now())),
    });
  } else {
    console.log(
      '\nCtrl+C stops everything. (In a terminal, keys also stop / start the sandbox and print the current one-time code.)',
    );
  }
  await untilInterrupted();
  return 0;
}

main().then(
  (exitCode) => process.exit(exitCode),
  (error) => {
    console.error(`start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
