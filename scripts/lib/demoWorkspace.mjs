// The demo workspace `npm start` opens: the fixture's demo.http and .env, with a "Sandbox" profile in
// workspace settings pointing at the sandbox this run started. No secret is written: the client secret is
// entered once in the editor (or "Try with Local Sandbox" fills it in). Like a real project, it is a git
// repository of its own whose .gitignore keeps .env out.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './paths.mjs';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'demo-workspace');

/** The file `npm start` opens in the editor, relative to the workspace. */
export const DEMO_FILE = 'demo.http';

/**
 * @param {string} target  emptied and filled
 * @param {string} sandboxBaseUrl
 */
export function writeDemoWorkspace(target, sandboxBaseUrl) {
  fs.rmSync(target, { recursive: true, force: true });
  fs.cpSync(FIXTURE, target, { recursive: true });
  const settings = {
    'c2m.profiles': [
      {
        id: 'sandbox',
        name: 'Sandbox',
        baseUrl: sandboxBaseUrl,
        clientId: 'c2m_demo',
        mechanism: 'client_secret',
        scopes: ['jobs:*', 'templates:*', 'tokens:*'],
      },
    ],
    'c2m.activeProfile': 'sandbox',
  };
  fs.mkdirSync(path.join(target, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(target, '.vscode', 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
  const envFile = path.join(target, '.env');
  const env = fs.readFileSync(envFile, 'utf8').replace(/^C2M_BASE_URL=.*$/m, `C2M_BASE_URL=${sandboxBaseUrl}`);
  fs.writeFileSync(envFile, env);
  const git = makeGitProject(target);
  if (!git.ok)
    console.warn(
      `demo workspace: not a git repository (${git.reason}); Leak Scan will scan it without git's ignore rules.`,
    );
  else {
    // One commit, as a cloned project has: Source Control starts clean, and what the user changes shows as changes.
    const commit = commitAll(target, 'Demo workspace for C2M Tokens');
    if (!commit.ok)
      console.warn(
        `demo workspace: the first commit failed (${commit.reason}); Source Control will list the files as new.`,
      );
  }
  return target;
}

/**
 * Makes a folder a git repository of its own, with a .gitignore that keeps `.env` out, the way a real
 * project is laid out. Run folders live under this repository's ignored `.c2m-run/`: without a repository
 * of their own, git calls every file in them ignored, and Leak Scan (which honours git's ignores) finds nothing.
 * @param {string} dir
 * @returns {{ ok: true } | { ok: false, reason: string }}
 */
export function makeGitProject(dir) {
  fs.writeFileSync(path.join(dir, '.gitignore'), '# Local secrets: never committed.\n.env\n');
  const result = spawnSync('git', ['init', '-q'], { cwd: dir, encoding: 'utf8' });
  if (result.error) return { ok: false, reason: `git: ${result.error.message}` };
  if (result.status !== 0) return { ok: false, reason: `git init: ${result.stderr.trim() || `exit ${result.status}`}` };
  return { ok: true };
}

/**
 * Commits everything git does not ignore, as a fixed demo author and without the user's hooks or signing (a
 * global commit.gpgsign or hook must not stop `npm start`).
 * @param {string} dir
 * @param {string} message
 * @returns {{ ok: true } | { ok: false, reason: string }}
 */
export function commitAll(dir, message) {
  const config = [
    '-c',
    'user.name=C2M Demo',
    '-c',
    'user.email=demo@example.invalid',
    '-c',
    'commit.gpgsign=false',
    '-c',
    'core.hooksPath=/dev/null',
  ];
  for (const args of [
    ['add', '-A'],
    ['commit', '-q', '--no-verify', '-m', message],
  ]) {
    const result = spawnSync('git', [...config, ...args], { cwd: dir, encoding: 'utf8' });
    if (result.error) return { ok: false, reason: `git: ${result.error.message}` };
    if (result.status !== 0)
      return { ok: false, reason: `git ${args[0]}: ${result.stderr.trim() || `exit ${result.status}`}` };
  }
  return { ok: true };
}
