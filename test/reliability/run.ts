// `npm run test:reliability`: builds, runs the node part (mocha with the table reporter) and, when the code-server
// harness is provisioned, the in-host reliability suite; then prints one table over both from the shared ledger and
// ends with mocha's usual count lines over both parts (CI reads "N passing").
// Exit code: non-zero when a test failed, a part did not run, a secret was found or a token was lost.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LEDGER_ENV, readLedger } from '../support/reliability/ledger';
import { summarise } from './resultTable';

const ROOT = path.resolve(__dirname, '..', '..');

function runPart(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; passed: number; failed: number; counted: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    child.once('close', (code) => {
      const passing = [...output.matchAll(/^\s*(\d+) passing\b/gm)].at(-1);
      const failing = [...output.matchAll(/^\s*(\d+) failing\b/gm)].at(-1);
      resolve({
        code: code ?? 1,
        passed: Number(passing?.[1] ?? 0),
        failed: Number(failing?.[1] ?? 0),
        counted: passing !== undefined,
      });
    });
  });
}

/** The harness is there when provisioning finished (its marker file); asked of scripts/lib/paths.mjs itself. */
function harnessProvisioned(): boolean {
  const probe =
    "import fs from 'node:fs'; import { toolPaths } from './scripts/lib/paths.mjs'; process.exit(fs.existsSync(toolPaths().marker) ? 0 : 1);";
  return spawnSync(process.execPath, ['--input-type=module', '-e', probe], { cwd: ROOT }).status === 0;
}

async function main(): Promise<number> {
  const ledger = path.join(os.tmpdir(), `c2m-reliability-${process.pid}.jsonl`);
  fs.writeFileSync(ledger, '');
  const env = { ...process.env, [LEDGER_ENV]: ledger };
  const skipHost = process.argv.includes('--no-host');
  try {
    const build = spawnSync(process.execPath, ['esbuild.mjs', ...(skipHost ? [] : ['--tests'])], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    if (build.status !== 0) return 1;
    console.log('\n=== reliability: node (sandbox, engine, language server) ===');
    const node = await runPart(
      [path.join(ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js'), '--config', 'test/.mocharc.reliability.json'],
      env,
    );
    const hostRan = !skipHost && harnessProvisioned();
    let host = { code: 0, passed: 0, failed: 0, counted: true };
    if (hostRan) {
      console.log('\n=== reliability: in the extension host (code-server) ===');
      host = await runPart(
        ['scripts/testIntegration.mjs', '--no-build', '--grep', 'reliability: in the extension host'],
        env,
      );
    } else {
      console.log(
        `\nin-host reliability cases skipped: ${skipHost ? '--no-host' : 'the code-server harness is not provisioned (npm run provision)'}`,
      );
    }
    const { text, totals } = summarise(readLedger(ledger), { hostRan });
    console.log(`\n=== reliability table ===\n${text}\n`);
    const passed = node.passed + host.passed;
    const failed = node.failed + host.failed;
    console.log(`  ${passed} passing`);
    if (failed > 0) console.log(`  ${failed} failing`);
    const ok =
      node.code === 0 &&
      host.code === 0 &&
      node.counted &&
      host.counted &&
      failed === 0 &&
      totals.secretsFound === 0 &&
      totals.tokensLost === 0;
    return ok ? 0 : 1;
  } finally {
    fs.rmSync(ledger, { force: true });
  }
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
