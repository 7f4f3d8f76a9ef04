// Entry of the in-host integration suite: VS Code's extension host (code-server's through the workbench
// payload, or desktop VS Code through @vscode/test-electron) loads this file and awaits run().
// Every test/integration/*.test.ts is bundled as its own file next to this one and found at run time.
// Suites use mocha's globals (describe/it/before...), never `import ... from 'mocha'`: that would bundle
// a second mocha into the suite, whose describe() is not the one running here.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';

/** Where the code-server runner reads results from; unset under @vscode/test-electron (stdout reaches the terminal there). */
const REPORT_DIR_ENV = 'C2M_TEST_REPORT_DIR';
const GREP_ENV = 'C2M_TEST_GREP';

interface RunResult {
  passed: number;
  failed: number;
  pending: number;
  files: string[];
}

export async function run(): Promise<void> {
  const reportDir = process.env[REPORT_DIR_ENV];
  const restoreLog = reportDir ? teeReporterOutput(path.join(reportDir, 'mocha.log')) : () => undefined;
  try {
    const result = await runSuites();
    if (reportDir) fs.writeFileSync(path.join(reportDir, 'result.json'), JSON.stringify(result));
    if (result.failed > 0) throw new Error(`${result.failed} integration test(s) failed`);
  } catch (error) {
    if (reportDir) fs.appendFileSync(path.join(reportDir, 'mocha.log'), `\nrun() failed: ${describeError(error)}\n`);
    throw error;
  } finally {
    restoreLog();
  }
}

function runSuites(): Promise<RunResult> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  const grep = process.env[GREP_ENV];
  if (grep) mocha.grep(grep);
  const files = fs
    .readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.js'))
    .sort();
  if (files.length === 0)
    throw new Error(`no *.test.js next to ${__filename}: build with \`node esbuild.mjs --tests\``);
  for (const name of files) mocha.addFile(path.join(__dirname, name));
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run(() => {
        const stats = runner.stats;
        resolve({ passed: stats?.passes ?? 0, failed: stats?.failures ?? 0, pending: stats?.pending ?? 0, files });
      });
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

/**
 * The extension host's stdout goes nowhere a runner can read in code-server; mocha's reporters all print
 * through Base.consoleLog, so copying that into a file gives the runner the normal spec output.
 */
function teeReporterOutput(file: string): () => void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '');
  const base = Mocha.reporters.Base;
  const original = base.consoleLog;
  base.consoleLog = (...data: unknown[]) => {
    fs.appendFileSync(file, `${format(...data)}\n`);
    original(...data);
  };
  return () => {
    base.consoleLog = original;
  };
}

function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
