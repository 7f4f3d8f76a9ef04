// Figure 4: language server start (spawn -> initialize result), the product's production bundle vs a minimal
// vscode-languageserver server bundled the same way; spawns alternate so both sides see the same machine state.
import type { BenchContext } from './benchContext';
import { startSession } from './lsp';
import type { Row } from './results';
import { median } from './stats';
import { pathToFileURL } from 'node:url';

async function startOnce(bundle: string, rootUri: string): Promise<number> {
  const session = await startSession(bundle, rootUri);
  await session.dispose();
  return session.startMs;
}

export async function figure4(ctx: BenchContext): Promise<Row[]> {
  if ('error' in ctx.production) {
    return [
      {
        figure: '4 server start',
        unit: 'ms',
        median: null,
        runs: 0,
        note: `production build failed: ${ctx.production.error}`,
      },
    ];
  }
  ctx.log('figure 4: server start');
  const rootUri = pathToFileURL(ctx.runDir).href;
  const product: number[] = [];
  const floor: number[] = [];
  const runs = ctx.warmRuns + 1; // the first of each is the cold run
  for (let i = 0; i < runs; i++) {
    floor.push(await startOnce(ctx.floors.server, rootUri));
    product.push(await startOnce(ctx.production.server, rootUri));
  }
  const floorMs = median(floor.slice(1));
  const ms = median(product.slice(1));
  return [
    { figure: '4 start minimal server', unit: 'ms', median: floorMs, cold: floor[0], runs: ctx.warmRuns },
    {
      figure: '4 start server (production)',
      unit: 'ms',
      median: ms,
      cold: product[0],
      runs: ctx.warmRuns,
      reference: `minimal ${floorMs.toFixed(1)} ms`,
      ratio: ms / floorMs,
      goal: '<= 1.15x minimal',
      met: ms / floorMs <= 1.15,
    },
  ];
}
