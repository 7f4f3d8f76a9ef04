// Figure 1's sides in a fresh process: every side starts cold here, and the warm runs of the sides named together
// alternate, so a busy machine slows them alike. httpyac runs alone (its garbage must not land on another side's clock).
// Usage: analysis-worker.js <floor,server|httpyac> <file> <warmRuns>; prints { [side]: Samples & { count } } as JSON.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { floorEnv, floorRequests } from './floor';
import { BENCH_NOW_MS } from './benchInputs';
import { serverAnalysis } from './serverAnalysis';

type Analyse = (text: string) => Promise<number> | number;

async function httpyacAnalysis(file: string): Promise<Analyse> {
  // Loaded as its CLI is (CommonJS), from the repo's node_modules (NODE_PATH: this bundle runs from the run folder).
  const { cli, store } = createRequire(__filename)('httpyac') as typeof import('httpyac');
  // The CLI installs its file and IO providers before it parses anything.
  cli.initFileProvider();
  await cli.initIOProvider();
  return async (text) => {
    const fileStore = new store.HttpFileStore();
    const httpFile = await fileStore.parse(file, text, { workingDir: path.dirname(file), config: {} });
    return httpFile.httpRegions.length;
  };
}

async function pick(side: string, file: string, text: string): Promise<Analyse> {
  const env = file.endsWith('.env');
  if (side === 'floor')
    return (text) => (env ? floorEnv(text, BENCH_NOW_MS) : floorRequests(text, BENCH_NOW_MS)).length;
  if (side === 'httpyac') return httpyacAnalysis(file);
  if (side === 'server') {
    const analyse = serverAnalysis(env ? 'env' : 'http', text, BENCH_NOW_MS);
    return (text) => analyse(text, `file://${file}`, BENCH_NOW_MS);
  }
  throw new Error(`unknown side ${side}`);
}

interface SideResult {
  cold: number;
  warm: number[];
  count: number;
}

async function timed(analyse: Analyse, text: string): Promise<{ ms: number; count: number }> {
  const start = performance.now();
  const count = await analyse(text);
  return { ms: performance.now() - start, count };
}

async function main(): Promise<void> {
  const [sides = '', file = '', warmRuns = '5'] = process.argv.slice(2);
  const text = readFileSync(file, 'utf8');
  const names = sides.split(',');
  const analysers = await Promise.all(names.map((side) => pick(side, file, text)));
  const results: Record<string, SideResult> = {};
  for (const [i, side] of names.entries()) {
    const first = await timed(analysers[i] as Analyse, text);
    results[side] = { cold: first.ms, warm: [], count: first.count };
  }
  for (let run = 0; run < Number(warmRuns); run++) {
    for (const [i, side] of names.entries()) {
      (results[side] as SideResult).warm.push((await timed(analysers[i] as Analyse, text)).ms);
    }
  }
  process.stdout.write(`${JSON.stringify(results)}\n`);
}

main().catch((error: unknown) => {
  process.stdout.write(`${JSON.stringify({ error: error instanceof Error ? error.message : String(error) })}\n`);
  process.exitCode = 1;
});
