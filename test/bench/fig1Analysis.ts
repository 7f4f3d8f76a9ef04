// Figure 1: full analysis of a file by the server's own code vs httpyac's parser vs the floor, in fresh processes.
import { statSync } from 'node:fs';
import type { BenchContext } from './benchContext';
import type { Row } from './results';
import { median } from './stats';
import { isWorkerError, runWorker, type WorkerOutput } from './workerProcess';
import { SERVER_EXEC_ARGV } from '../../client/src/lsp/serverProcess';

interface SideResult {
  cold: number;
  warm: number[];
  count: number;
}
type Sides = Record<string, SideResult>;

function side(output: WorkerOutput<Sides>, name: string): SideResult | string {
  if (isWorkerError(output)) return output.error;
  return output[name] ?? `no ${name} result`;
}

/**
 * Floor and server runs are cheap: at least 11 (and more for small files, where a 0.1 ms median from 5 runs is noise),
 * at most 50.
 */
function runsFor(file: string, warmRuns: number): number {
  return Math.max(warmRuns, 11, Math.min(50, Math.ceil(5e6 / statSync(file).size)));
}

function measured(figure: string, result: SideResult | string, runs: number): Row {
  if (typeof result === 'string') return { figure, unit: 'ms', median: null, runs: 0, note: result };
  return { figure, unit: 'ms', median: median(result.warm), cold: result.cold, runs };
}

/** The server's row: its median against the floor's. */
function serverRow(label: string, server: SideResult | string, floor: SideResult | string, runs: number): Row {
  const row = measured(`${label} server`, server, runs);
  if (typeof server === 'string' || typeof floor === 'string' || row.median === null) return row;
  const floorMs = median(floor.warm);
  row.reference = `floor ${floorMs.toFixed(2)} ms`;
  // Runs alternate floor, server, floor, server...: the median of each pair's ratio holds up when the machine's load
  // changes during the run better than a ratio of medians does.
  row.ratio = median(server.warm.map((ms, i) => ms / (floor.warm[i] as number)));
  row.goal = '<= 1.5x floor';
  row.met = row.ratio <= 1.5;
  // The floor finds only Bearer JWTs; the server finds every token shape anywhere (an `lt_…` request id counts), and
  // past its size cap it stops.
  if (server.count !== floor.count)
    row.note = `server found ${server.count} tokens, floor ${floor.count} (other token shapes, or the size cap)`;
  return row;
}

export async function figure1(ctx: BenchContext): Promise<Row[]> {
  const rows: Row[] = [];
  const serverPerRequest = new Map<number, number>();
  for (const [n, input] of ctx.inputs.requests) {
    ctx.log(`figure 1: ${n} requests`);
    const label = `1 analysis ${n.toLocaleString('en')} req`;
    const runs = runsFor(input.file, ctx.warmRuns);
    // The floor and the server run in a process started as the extension starts the server (its V8 flags: a small
    // young generation costs the analysis more collections); httpyac runs as its CLI does, with Node's defaults.
    const pair = await runWorker<Sides>(
      ctx.workers.analysis,
      ['floor,server', input.file, String(runs)],
      SERVER_EXEC_ARGV,
    );
    const httpyacOut = await runWorker<Sides>(ctx.workers.analysis, ['httpyac', input.file, String(ctx.warmRuns)]);
    const floor = side(pair, 'floor');
    const serverSide = side(pair, 'server');
    const server = serverRow(label, serverSide, floor, runs);
    const httpyac = measured(`${label} httpyac`, side(httpyacOut, 'httpyac'), ctx.warmRuns);
    const complete = typeof floor !== 'string' && typeof serverSide !== 'string' && serverSide.count === floor.count;
    // Growth is judged on sizes the server analysed whole (past its size cap it analyses less, which looks cheaper).
    if (server.median !== null && complete) serverPerRequest.set(n, server.median / n);
    if (httpyac.median !== null && server.median !== null) {
      httpyac.reference = `server ${server.median.toFixed(2)} ms`;
      httpyac.ratio = httpyac.median / server.median;
      httpyac.goal = 'server >= 50x faster';
      httpyac.met = httpyac.ratio >= 50;
    }
    rows.push(measured(`${label} floor`, floor, runs), server, httpyac);
  }
  rows.push(growthRow(serverPerRequest));
  for (const [n, input] of ctx.inputs.envs) {
    ctx.log(`figure 1: ${n}-line env`);
    const label = `1 analysis ${n.toLocaleString('en')}-line env`;
    const runs = runsFor(input.file, ctx.warmRuns);
    const pair = await runWorker<Sides>(
      ctx.workers.analysis,
      ['floor,server', input.file, String(runs)],
      SERVER_EXEC_ARGV,
    );
    const floor = side(pair, 'floor');
    rows.push(measured(`${label} floor`, floor, runs), serverRow(label, side(pair, 'server'), floor, runs));
  }
  return rows;
}

/**
 * Linear growth: cost per request at the largest size the server analysed whole vs at 1,000 requests (small sizes
 * are dominated by fixed costs).
 */
function growthRow(perRequest: Map<number, number>): Row {
  const sizes = [...perRequest.keys()].sort((a, b) => a - b);
  const base = sizes.find((n) => n >= 1000);
  const largest = sizes.at(-1);
  if (base === undefined || largest === undefined || largest === base) {
    return { figure: '1 growth server', unit: 'µs/req', median: null, runs: 0, note: 'needs two sizes >= 1,000' };
  }
  const top = (perRequest.get(largest) as number) * 1000;
  const bottom = (perRequest.get(base) as number) * 1000;
  return {
    figure: `1 growth server ${base.toLocaleString('en')}->${largest.toLocaleString('en')}`,
    unit: 'µs/req',
    median: top,
    runs: 1,
    reference: `${bottom.toFixed(2)} µs/req at ${base.toLocaleString('en')}`,
    ratio: top / bottom,
    goal: '<= 1.5 (linear)',
    met: top / bottom <= 1.5,
  };
}
