// Figure 7: activation inside real VS Code (code-server), from the extension's own measurement (its API returns
// activationMs) and the Tokens view's first render (firstTreeRenderMs). Read through the project's harness: its in-host
// suite prints "activate() took N ms" and "first tree render N ms after activation began" in two tests, which the
// bench runs alone (--grep). Each run is a fresh code-server, so every activation is cold.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { REPO } from '../support/productionBuild';
import type { BenchContext } from './benchContext';
import type { Row } from './results';
import { median } from './stats';

const ACTIVATION_TESTS = 'activate\\(\\) returns the API|when it was first drawn';
const MEASUREMENT = /activate\(\) took ([\d.]+) ms/;
const RENDER = /first tree render ([\d.]+) ms after activation began(, view opened by the test)?/;

interface Activation {
  activationMs: number;
  /** Undefined when the harness printed no render time. */
  renderMs?: number;
  /** The view was not open at startup: the test opened it, so the render waited for the test. */
  openedByTest: boolean;
}

function activationOnce(): Promise<Activation | string> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(REPO, 'scripts', 'testIntegration.mjs'), '--grep', ACTIVATION_TESTS, '--timeout', '180'],
      { cwd: REPO, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        const match = MEASUREMENT.exec(stdout);
        const render = RENDER.exec(stdout);
        if (match) {
          resolve({
            activationMs: Number(match[1]),
            ...(render ? { renderMs: Number(render[1]) } : {}),
            openedByTest: render?.[2] !== undefined,
          });
        } else resolve(`harness gave no measurement: ${reason(`${stdout}\n${stderr}`, error)}`);
      },
    );
  });
}

/** The first assertion or error line of the harness output, else its last line. */
function reason(output: string, error: Error | null): string {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  return lines.find((l) => /Error\b/.test(l)) ?? lines.at(-1) ?? error?.message ?? 'no output';
}

export async function figure7(ctx: BenchContext): Promise<Row[]> {
  const runs = ctx.quick ? 1 : 3;
  const values: number[] = [];
  const renders: number[] = [];
  let openedByTest = false;
  for (let i = 0; i < runs; i++) {
    ctx.log(`figure 7: activation in code-server (${i + 1}/${runs})`);
    const value = await activationOnce();
    if (typeof value === 'string') {
      return [{ figure: '7 activate() in VS Code', unit: 'ms', median: null, runs: 0, note: `not measured: ${value}` }];
    }
    values.push(value.activationMs);
    if (value.renderMs !== undefined) renders.push(value.renderMs);
    openedByTest ||= value.openedByTest;
  }
  const ms = median(values);
  return [
    {
      figure: '7 activate() in VS Code (code-server)',
      unit: 'ms',
      median: ms,
      runs,
      reference: 'extension API activationMs, each run a cold host',
      goal: '< 10 ms',
      met: ms < 10,
    },
    renders.length === 0
      ? {
          figure: '7 activation -> first tree render',
          unit: 'ms',
          median: null,
          runs: 0,
          note: 'not measured: the harness printed no render time',
        }
      : {
          figure: '7 activation -> first tree render',
          unit: 'ms',
          median: median(renders),
          runs: renders.length,
          reference: 'extension API firstTreeRenderMs',
          // The view is drawn only when shown; a harness that starts with it closed makes the test open it.
          ...(openedByTest
            ? { note: 'view closed at startup: opened by the test, so this includes the wait for the test' }
            : {}),
        },
  ];
}
