// Figure 5: the server's resident memory with the 10,000-request file open and analysed, above the idle server;
// and httpyac's memory after parsing the same file (its own process).
import { sessionWithFile } from './benchSession';
import { lspSize, TOKEN_STATE_SIZE, type BenchContext } from './context';
import { BENCH_NOW_MS } from './inputs';
import { emptyRequest, rssOf, sendTokenState, startSession } from './lsp';
import type { Row } from './results';
import { median } from './stats';
import { isWorkerError, runWorker } from './workerProcess';
import { pathToFileURL } from 'node:url';

const MB = 1e6;
const SESSIONS = 3;

/** RSS once the server has answered a request (so it is not mid-way through anything). */
async function settledRss(session: Awaited<ReturnType<typeof startSession>>): Promise<number> {
  await emptyRequest(session);
  return rssOf(session.child.pid as number);
}

async function serverAbove(ctx: BenchContext, file: string, text: string): Promise<{ above: number; idle: number }> {
  // Idle: a server that has started and received the token state, but no document.
  const idleSession = await startSession(ctx.devServer, pathToFileURL(ctx.runDir).href);
  await sendTokenState(idleSession, text, TOKEN_STATE_SIZE, BENCH_NOW_MS);
  const idle = await settledRss(idleSession);
  await idleSession.dispose();
  const { session } = await sessionWithFile(ctx.devServer, ctx.runDir, file, text);
  try {
    return { above: (await settledRss(session)) - idle, idle };
  } finally {
    await session.dispose();
  }
}

export async function figure5(ctx: BenchContext): Promise<Row[]> {
  const n = lspSize(ctx);
  const input = ctx.inputs.requests.get(n);
  if (!input) return [];
  ctx.log(`figure 5: memory with ${n} requests open`);
  const fileMb = Buffer.byteLength(input.text) / MB;
  const rows: Row[] = [];
  try {
    const samples: number[] = [];
    let idle = 0;
    for (let i = 0; i < SESSIONS; i++) {
      const result = await serverAbove(ctx, input.file, input.text);
      samples.push(result.above / MB);
      idle = result.idle / MB;
    }
    const above = median(samples);
    rows.push({
      figure: `5 server RSS above idle, ${n.toLocaleString('en')} req open`,
      unit: 'MB',
      median: above,
      runs: SESSIONS,
      reference: `file ${fileMb.toFixed(2)} MB (idle RSS ${idle.toFixed(1)} MB)`,
      ratio: above / fileMb,
      goal: '< 3x file size',
      met: above / fileMb < 3,
    });
  } catch (error) {
    rows.push({ figure: '5 server RSS above idle', unit: 'MB', median: null, runs: 0, note: String(error) });
  }
  const figures = {
    server: '5 server document model, in process after GC',
    'server-edited': '5 same after 20 one-char edits in different requests',
    httpyac: '5 httpyac HttpFile, in process after GC',
  } as const;
  for (const side of ['server', 'server-edited', 'httpyac'] as const) {
    const out = await runWorker<{ rssAbove: number; heapAbove: number }>(ctx.workers.memory, [side, input.file], ['--expose-gc']);
    const figure = figures[side];
    if (isWorkerError(out)) {
      rows.push({ figure, unit: 'MB heap', median: null, runs: 0, note: out.error });
      continue;
    }
    const heap = out.heapAbove / MB;
    rows.push({
      figure,
      unit: 'MB heap',
      median: heap,
      runs: 1,
      reference: `file ${fileMb.toFixed(2)} MB; RSS +${(out.rssAbove / MB).toFixed(1)} MB`,
      ratio: heap / fileMb,
      ...(side !== 'httpyac' ? { goal: '< 3x file size', met: heap / fileMb < 3 } : {}),
    });
  }
  return rows;
}
