// `npm test`: unit, language-server, reliability (node half), in-host integration (trusted, then untrusted) and UI
// parts in that order. Every part runs even after a failure; the exit code is non-zero if any part failed or printed
// no count. Ends with one line "N passed, N failed" over all parts.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { seconds } from './lib/build.mjs';
import { parseCounts } from './lib/counts.mjs';
import { REPO_ROOT } from './lib/paths.mjs';

const mocha = path.join(REPO_ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js');

/** @type {{ name: string, args: string[] }[]} */
const PARTS = [
  { name: 'unit', args: [mocha, '--config', 'test/.mocharc.unit.json'] },
  { name: 'server', args: [mocha, '--config', 'test/.mocharc.server.json'] },
  // The node half of the reliability suite (its table prints here); its in-host half runs inside `integration`.
  { name: 'reliability', args: [mocha, '--config', 'test/.mocharc.reliability.json'] },
  { name: 'integration', args: ['scripts/testIntegration.mjs'] },
  // The same host in a workspace VS Code really leaves untrusted (Restricted Mode); only untrusted.test.ts runs there.
  { name: 'untrusted', args: ['scripts/testIntegration.mjs', '--untrusted', '--grep', 'untrusted workspace'] },
  { name: 'ui', args: ['scripts/testUi.mjs'] },
];

/**
 * Runs one part, echoing its output while keeping a copy to count from.
 * @param {string[]} args
 * @returns {Promise<{ code: number, output: string }>}
 */
function runPart(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
      process.stderr.write(chunk);
    });
    child.once('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), output }));
  });
}

async function main() {
  const only = process.argv.slice(2);
  const parts = only.length ? PARTS.filter((part) => only.includes(part.name)) : PARTS;
  /** @type {{ name: string, ms: number, passed: number, failed: number, ok: boolean, note: string }[]} */
  const results = [];
  for (const part of parts) {
    console.log(`\n=== ${part.name} ===`);
    const started = Date.now();
    const { code, output } = await runPart(part.args);
    const ms = Date.now() - started;
    const counts = parseCounts(output);
    if (!counts) {
      results.push({
        name: part.name,
        ms,
        passed: 0,
        failed: 0,
        ok: false,
        note: `no test count (exit ${code}): the part did not run its tests`,
      });
      continue;
    }
    const ok = code === 0 && counts.failed === 0;
    results.push({
      name: part.name,
      ms,
      ...counts,
      ok,
      note: ok ? '' : code !== 0 && counts.failed === 0 ? `exit ${code}` : '',
    });
  }

  console.log('\n=== summary ===');
  for (const r of results) {
    const status = r.ok ? 'ok  ' : 'FAIL';
    console.log(
      `${status} ${r.name.padEnd(12)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed  ${seconds(r.ms).padStart(7)}${r.note ? `  ${r.note}` : ''}`,
    );
  }
  const passed = results.reduce((sum, r) => sum + r.passed, 0);
  const failed = results.reduce((sum, r) => sum + r.failed, 0);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = results.every((r) => r.ok) ? 0 : 1;
}

await main();
