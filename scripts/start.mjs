// `npm start`: builds and packages the extension, starts the sandbox, and opens the demo workspace in
// code-server with the packaged extension installed and demo.http in an editor; prints the URL and what to try
// first; Ctrl+C stops everything.
// `npm start -- --desktop` opens a desktop `code` on the same workspace with --extensionDevelopmentPath instead.
// Options: --port N (code-server, default a free port), --sandbox-port N (default a free port).
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runStep } from './lib/build.mjs';
import { onCleanup } from './lib/cleanup.mjs';
import { installExtension, prepareRunFolders, startCodeServer, writeUserSettings } from './lib/codeServer.mjs';
import { DEMO_FILE, writeDemoWorkspace } from './lib/demoWorkspace.mjs';
import { REPO_ROOT, runDir } from './lib/paths.mjs';
import { provision } from './provision.mjs';
import { workbenchUrl } from './lib/workbench.mjs';

const { values: options } = parseArgs({
  options: {
    desktop: { type: 'boolean', default: false },
    port: { type: 'string' },
    'sandbox-port': { type: 'string', default: '0' },
  },
});

/**
 * @typedef {{ baseUrl: string, stop(): Promise<void> }} RunningSandbox
 * @typedef {{ startSandbox(options: { port?: number, host?: string }): Promise<RunningSandbox>, DEMO_CLIENT_SECRET?: string }} SandboxModule
 */

/** dist/sandbox.js is the shipped CommonJS bundle. @returns {SandboxModule} */
function loadSandbox() {
  const require = createRequire(import.meta.url);
  return require(path.join(REPO_ROOT, 'dist', 'sandbox.js'));
}

function codeOnPath() {
  return spawnSync('sh', ['-c', 'command -v code'], { encoding: 'utf8' }).stdout.trim();
}

/** What to do first, simplest route first. @param {string | undefined} secret the sandbox's documented demo secret */
function instructions(secret) {
  const secretHint = secret ? `the sandbox's demo client secret "${secret}"` : "the sandbox's demo client secret";
  return [
    'Try it:',
    '  1. Open the C2M view (key icon in the activity bar) and click the beaker (Try with Local Sandbox) in its title bar.',
    `  2. In ${DEMO_FILE}, type \`Authorization: \` on a header line and accept the completion: a fresh short-term token goes in.`,
    '  3. Hover the token for its status, scopes and expiry.',
    `Or, on the "Sandbox" profile already in this workspace, issue a long-term token yourself (enter ${secretHint} once when asked).`,
    'Ctrl+C stops everything.',
  ].join('\n');
}

/** Resolves on Ctrl+C / SIGTERM after the cleanups ran (the cleanup module exits the process then). */
function untilInterrupted() {
  return new Promise(() => {});
}

async function main() {
  const desktop = options.desktop;
  const code = desktop ? codeOnPath() : '';
  if (desktop && !code) {
    console.error('npm start -- --desktop: no `code` on PATH. Install VS Code (and its `code` command), or run `npm start` for code-server.');
    return 1;
  }
  if (desktop) runStep('build', process.execPath, ['esbuild.mjs']);
  else {
    provision();
    runStep('build + package', 'npm', ['run', '--silent', 'package']);
  }

  const sandboxModule = loadSandbox();
  const sandbox = await sandboxModule.startSandbox({ port: Number(options['sandbox-port']), host: '127.0.0.1' });
  onCleanup(() => sandbox.stop());
  console.log(`sandbox: ${sandbox.baseUrl}`);

  const run = prepareRunFolders(runDir('start'));
  const workspace = writeDemoWorkspace(path.join(run.root, 'demo-workspace'), sandbox.baseUrl);
  const demoFile = path.join(workspace, DEMO_FILE);

  if (desktop) {
    // `code` hands the window to the running VS Code and returns; the sandbox stays up until Ctrl+C.
    // A folder and a file: the window opens the folder with the file in an editor.
    const child = spawn(code, ['--new-window', `--extensionDevelopmentPath=${REPO_ROOT}`, workspace, demoFile], { stdio: 'inherit' });
    await new Promise((resolve) => child.once('exit', resolve));
    console.log(`\nVS Code opened ${workspace} with the extension from ${REPO_ROOT}.`);
  } else {
    writeUserSettings(run);
    installExtension(run, path.join(REPO_ROOT, 'dist', 'c2m-tokens.vsix'));
    const port = options.port === undefined ? undefined : Number(options.port);
    const server = await startCodeServer(run, { workspace, ...(port === undefined ? {} : { port }) });
    console.log(`\nC2M Tokens is running in code-server. Open:\n\n  ${workbenchUrl(server, { folder: workspace, openFile: demoFile })}\n`);
  }
  console.log(instructions(sandboxModule.DEMO_CLIENT_SECRET));
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
