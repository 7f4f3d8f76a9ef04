// `npm run bench`: the product's speed and size beside httpyac and the physical floors.
// Prints a table and writes bench-results.json at the repo root. `--quick` runs a smaller subset;
// `--only 1,3` runs some figures. Inputs go to a temp run folder, removed at the end (`--keep` keeps it).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildProductionShadow, REPO } from '../support/productionBuild';
import { buildFloors, buildWorkers } from './bundles';
import type { BenchContext } from './benchContext';
import { figure1 } from './fig1Analysis';
import { figure2 } from './fig2Edit';
import { figure3 } from './fig3Latency';
import { figure4 } from './fig4Start';
import { figure5 } from './fig5Memory';
import { figure6 } from './fig6Bundles';
import { figure7 } from './fig7Activation';
import { figure8 } from './fig8TokenEngine';
import { figure9 } from './fig9Scan';
import { writeInputs } from './benchInputs';
import { formatTable, writeResults, type Row } from './results';

const FULL = { requests: [100, 1_000, 10_000, 50_000], envs: [100, 10_000, 100_000] };
const QUICK = { requests: [100, 1_000, 10_000], envs: [100, 10_000] };
const WARM_RUNS = 5;

type Figure = (ctx: BenchContext) => Promise<Row[]> | Row[];
const FIGURES: ReadonlyArray<readonly [number, Figure]> = [
  [1, figure1],
  [2, figure2],
  [3, figure3],
  [4, figure4],
  [5, figure5],
  [6, figure6],
  [7, figure7],
  [8, figure8],
  [9, figure9],
];

function parseArgs(argv: readonly string[]): {
  quick: boolean;
  keep: boolean;
  only: Set<number> | undefined;
  out: string;
} {
  const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined;
  const out = argv.includes('--out') ? argv[argv.indexOf('--out') + 1] : undefined;
  return {
    quick: argv.includes('--quick'),
    keep: argv.includes('--keep'),
    only: only ? new Set(only.split(',').map(Number)) : undefined,
    out: path.resolve(out ?? path.join(REPO, 'bench-results.json')),
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const log = (message: string): void => {
    process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(1)}s] ${message}\n`);
  };
  const devServer = path.join(REPO, 'dist', 'server.js');
  if (!existsSync(devServer))
    throw new Error('dist/server.js is missing: run `npm run build` first (npm run bench does).');
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'c2m-bench-'));
  try {
    const sizes = args.quick ? QUICK : FULL;
    log(`generating inputs in ${runDir}`);
    const inputs = writeInputs(path.join(runDir, 'inputs'), sizes.requests, sizes.envs);
    log('bundling floors and the production build');
    const floors = await buildFloors(path.join(runDir, 'floors'));
    const workers = await buildWorkers(path.join(runDir, 'workers'));
    let production: BenchContext['production'];
    try {
      production = buildProductionShadow(path.join(runDir, 'shadow'));
    } catch (error) {
      production = { error: error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error) };
    }
    const ctx: BenchContext = {
      runDir,
      inputs,
      warmRuns: WARM_RUNS,
      quick: args.quick,
      requestSizes: sizes.requests,
      envSizes: sizes.envs,
      devServer,
      floors,
      workers,
      production,
      log,
    };
    const rows: Row[] = [];
    for (const [n, figure] of FIGURES) {
      if (args.only && !args.only.has(n)) continue;
      try {
        rows.push(...(await figure(ctx)));
      } catch (error) {
        rows.push({
          figure: `${n} (failed)`,
          unit: '-',
          median: null,
          runs: 0,
          note: error instanceof Error ? error.message : String(error),
        });
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const meta = {
      date: new Date().toISOString(),
      quick: args.quick,
      node: process.version,
      cpus: os.cpus().length,
      // Other work on the machine slows every side alike but widens the spread: keep it beside the figures.
      loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
      seconds: Number(seconds.toFixed(1)),
    };
    process.stdout.write(`\n${formatTable(rows)}\n\n${JSON.stringify(meta)}\n`);
    writeResults(args.out, rows, meta);
    log(`wrote ${path.relative(process.cwd(), args.out) || args.out} in ${seconds.toFixed(1)} s`);
  } finally {
    if (args.keep) log(`kept ${runDir}`);
    else rmSync(runDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
