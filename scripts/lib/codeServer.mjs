// Starts code-server (VS Code 1.139 in a browser) for one run folder, keeping every file it writes
// inside that folder, in its own process group that is always stopped. It listens on a Unix socket only its
// user can open, asks for a random password, and is reached through the loopback gate (loopbackGate.mjs),
// which refuses any Host or Origin that is not loopback: no local user without the password and no web page
// (DNS rebinding included) gets the workbench, its WebSocket or its terminal.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { onCleanup, ownProcessGroup } from './cleanup.mjs';
import { startLoopbackGate } from './loopbackGate.mjs';
import { toolPaths } from './paths.mjs';

/** Unix socket paths longer than this do not fit sockaddr_un (108 bytes on Linux, with room to spare). */
const MAX_SOCKET_PATH = 100;

/**
 * @typedef {object} RunFolders
 * @property {string} root
 * @property {string} userData
 * @property {string} extensions
 * @property {string} logs
 * @property {NodeJS.ProcessEnv} env  environment with XDG folders and TMPDIR inside the run folder
 */

/**
 * Creates the run folder layout. `fresh` empties it first (tests want no state from the last run).
 * @param {string} root
 * @param {{ fresh?: boolean }} [options]
 * @returns {RunFolders}
 */
export function prepareRunFolders(root, { fresh = true } = {}) {
  if (fresh) fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(root, { recursive: true, mode: 0o700 });
  fs.chmodSync(root, 0o700); // user data and code-server's socket: this user's only
  const dirs = {
    userData: path.join(root, 'user-data'),
    extensions: path.join(root, 'extensions'),
    logs: path.join(root, 'logs'),
    config: path.join(root, 'xdg', 'config'),
    data: path.join(root, 'xdg', 'data'),
    cache: path.join(root, 'xdg', 'cache'),
    tmp: path.join(root, 'tmp'),
  };
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });
  const tools = toolPaths();
  const env = {
    ...process.env,
    // code-server needs Node 24; the machine's Node stays for the project.
    PATH: `${path.dirname(tools.nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`,
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.data,
    XDG_CACHE_HOME: dirs.cache,
    TMPDIR: dirs.tmp, // VS Code drops vscode-ipc-*.sock files here
  };
  return { root, userData: dirs.userData, extensions: dirs.extensions, logs: dirs.logs, env };
}

/**
 * Quiet, deterministic user settings: no start page, no tips, no telemetry, no update prompts, and no
 * automatic port forwarding (the Ports panel would otherwise pick up the sandbox and other processes' ports).
 */
export function writeUserSettings(/** @type {RunFolders} */ run, /** @type {Record<string, unknown>} */ extra = {}) {
  const dir = path.join(run.userData, 'User');
  fs.mkdirSync(dir, { recursive: true });
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'chat.disableAIFeatures': true,
    'window.restoreWindows': 'none',
    'editor.minimap.enabled': false,
    'git.openRepositoryInParentFolders': 'never',
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'remote.autoForwardPorts': false,
    'remote.restoreForwardedPorts': false,
    ...extra,
  };
  fs.writeFileSync(path.join(dir, 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
}

/** A free port on 127.0.0.1 (asked from the OS; the tiny window until code-server binds is acceptable). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** @param {string} url @returns {Promise<number>} status code, 0 when nothing listens yet */
function httpStatus(url) {
  return new Promise((resolve) => {
    const request = http.get(url, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.setTimeout(2000, () => request.destroy());
    request.once('error', () => resolve(0));
  });
}

/** Installs a packaged extension into the run's extensions folder. */
export function installExtension(/** @type {RunFolders} */ run, /** @type {string} */ vsix) {
  const tools = toolPaths();
  const result = spawnSync(
    tools.nodeBin,
    [
      tools.codeServerEntry,
      '--user-data-dir',
      run.userData,
      '--extensions-dir',
      run.extensions,
      '--install-extension',
      vsix,
      '--force',
    ],
    { env: run.env, encoding: 'utf8' },
  );
  if (result.status !== 0) {
    throw new Error(`installing ${path.basename(vsix)} failed:\n${result.stdout}${result.stderr}`);
  }
}

/**
 * @typedef {object} CodeServer
 * @property {string} baseUrl  e.g. http://127.0.0.1:PORT
 * @property {string} authority  host:port, for vscode-remote:// URIs
 * @property {string} password  code-server's login password, new at each start
 * @property {string} logFile
 * @property {() => Promise<void>} stop
 */

/**
 * @param {RunFolders} run
 * @param {{ workspace: string, trustWorkspace?: boolean, port?: number, readyTimeoutMs?: number }} options  port: the gate's (default: one the OS picks)
 * @returns {Promise<CodeServer>}
 */
export async function startCodeServer(run, { workspace, trustWorkspace = true, port = 0, readyTimeoutMs = 60_000 }) {
  const tools = toolPaths();
  if (!fs.existsSync(tools.marker)) {
    throw new Error('code-server is not provisioned: run `npm run provision` first.');
  }
  const socket = socketPath(run.root);
  // A taken port fails here, before anything is started or removed (the socket path may belong to a running start).
  const gate = await startLoopbackGate({ socketPath: socket.path, port }).catch(
    (/** @type {NodeJS.ErrnoException} */ error) => {
      socket.discard();
      throw error.code === 'EADDRINUSE'
        ? new Error(`port ${port} on 127.0.0.1 is taken (another npm start?)`, { cause: error })
        : error;
    },
  );
  const closeGate = onCleanup(async () => {
    await gate.close();
    socket.remove();
  });
  const password = randomBytes(18).toString('base64url');
  const args = [
    tools.codeServerEntry,
    '--socket',
    socket.path,
    '--socket-mode',
    '600',
    '--auth',
    'password',
    '--disable-telemetry',
    '--disable-update-check',
    ...(trustWorkspace ? ['--disable-workspace-trust'] : []),
    '--user-data-dir',
    run.userData,
    '--extensions-dir',
    run.extensions,
    workspace,
  ];
  const logFile = path.join(run.logs, 'code-server.log');
  const log = fs.openSync(logFile, 'a');
  // detached = setsid: its own session and process group, so `kill -- -PGID` reaches the extension hosts too.
  // The password goes in the environment, where code-server reads it (the command line is visible to `ps`);
  // code-server deletes $PASSWORD once read, so its extension hosts and terminals do not inherit it.
  const child = spawn(tools.nodeBin, args, {
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...run.env, PASSWORD: password },
  });
  fs.closeSync(log);
  const stopProcess = ownProcessGroup(child, 'code-server');
  const stop = async () => {
    await closeGate();
    await stopProcess();
  };
  /** @type {number | null} */
  let exitCode = null;
  child.once('exit', (code, signal) => {
    exitCode = code ?? (signal ? 128 : 1);
  });

  const baseUrl = `http://127.0.0.1:${gate.port}`;
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (exitCode !== null) {
      await stop();
      throw new Error(`code-server exited (${exitCode}) before it was ready; see ${logFile}:\n${tail(logFile)}`);
    }
    if ((await httpStatus(`${baseUrl}/healthz`)) === 200) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server not ready after ${readyTimeoutMs / 1000} s; see ${logFile}:\n${tail(logFile)}`);
    }
    await delay(100); // poll interval of the readiness condition, not a wait for time to pass
  }
  return { baseUrl, authority: `127.0.0.1:${gate.port}`, password, logFile, stop };
}

/**
 * code-server's socket: in the run folder (this user's only) when its path fits a socket address, else in a
 * private temporary folder of this start.
 * @param {string} root
 * @returns {{ path: string, remove(): void, discard(): void }}  remove: after code-server ran; discard: when it never started
 */
function socketPath(root) {
  const inRun = path.join(root, 'code-server.sock');
  if (inRun.length <= MAX_SOCKET_PATH)
    return { path: inRun, remove: () => fs.rmSync(inRun, { force: true }), discard: () => {} };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'c2m-cs-')); // mode 0700
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  return { path: path.join(dir, 'code-server.sock'), remove, discard: remove };
}

/** Last lines of a log, for error messages. */
export function tail(/** @type {string} */ file, lines = 20) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
