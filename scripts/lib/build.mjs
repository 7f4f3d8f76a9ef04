// Runs the project's own build steps from harness scripts, failing loudly.
import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from './paths.mjs';

/** @param {string} label @param {string} command @param {string[]} args */
export function runStep(label, command, args) {
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: REPO_ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${label} failed (exit ${result.status ?? result.signal})`);
  console.log(`${label}: ${seconds(Date.now() - started)}`);
}

export function seconds(/** @type {number} */ ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}
