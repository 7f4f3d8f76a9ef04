// Figure 5: the server's resident memory with the 10,000-request file open and analysed, above the idle server (right
// after the analysis and once V8 has settled); the heap its document model holds; httpyac's after parsing the same file.
import { sessionWithFile } from './benchSession';
import { lspSize, TOKEN_STATE_SIZE, type BenchContext } from './benchContext';
import { BENCH_NOW_MS } from './benchInputs';
import { emptyRequest, rssOf, sendTokenState, startSession } from './lsp';
import type { Row } from './results';
import { median } from './stats';
import { isWorkerError, runWorker } from './workerProcess';
import { pathToFileURL } from 'node:url';

const MB = 1e6;
const SESSIONS = 3;
/** V8's memory reducer gives back what the analysis left behind some seconds after the work stops. */
const SETTLE_MS = 12_000;
const SETTLE_POLL_MS = 1_000;

type Session = Awaited<ReturnType<typeof startSession>>;

/** RSS once the server has answered a request (so it is not mid-way through anything). */
async function answeredRss(session: Session): Promise<number> {
  await emptyRequest(session);
  return rssOf(session.child.pid as number);
}

/** The lowest RSS seen while the server sits idle for SETTLE_MS: what stays resident with the file open. */
async function settledRss(session: Session): Promise<number> {
  let lowest = await answeredRss(session);
  for (let waited = 0; waited < SETTLE_MS; waited += SETTLE_POLL_MS) {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
    lowest = Math.min(lowest, rssOf(session.child.pid as number));
  }
  return lowest;
}

interface Resident {
  idle: number;
  /** Right after the first diagnostics answer. */
  answered: number;
  /** After SETTLE_MS idle (measured in the first session only: it costs the wait). */
  settled?: number;
}

async function serverResident(ctx: BenchContext, file: string, text: string, settle: boolean): Promise<Resident> {
  // Idle: a server that has started and received the token state, but no document.
  const idleSession = await startSession(ctx.devServer, pathToFileURL(ctx.runDir).href);
  await sendTokenState(idleSession, text, TOKEN_STATE_SIZE, BENCH_NOW_MS);
  const idle = await answeredRss(idleSession);
  await idleSession.dispose();
  const { session } = await sessionWithFile(ctx.devServer, ctx.runDir, file, text);
  try {
    const answered = await answeredRss(session);
    return settle ? { idle, answered, settled: await settledRss(session) } : { idle, answered };
  } finally {
    await session.dispose();
  }
}

function residentRow(figure: string, aboveMb: number, runs: number, fileMb: number, idleMb: number): Row {
  return {
    figure,
    unit: 'MB',
    median: aboveMb,
    runs,
    reference: `file ${fileMb.toFixed(2)} MB (idle RSS ${idleMb.toFixed(1)} MB)`,
    ratio: aboveMb / fileMb,
    goal: '< 3x file size',
    met: aboveMb / fileMb < 3,
  };
}

export async function figure5(ctx: BenchContext): Promise<Row[]> {
  const n = lspSize(ctx);
  const input = ctx.inputs.requests.get(n);
  if (!input) return [];
  ctx.log(`figure 5: memory with ${n} requests open`);
  const fileMb = Buffer.byteLength(input.text) / MB;
  const label = `5 server RSS above idle, ${n.toLocaleString('en')} req open`;
  const rows: Row[] = [];
  try {
    const sessions: Resident[] = [];
    for (let i = 0; i < SESSIONS; i++) sessions.push(await serverResident(ctx, input.file, input.text, i === 0));
    const idleMb = median(sessions.map((s) => s.idle)) / MB;
    rows.push(
      residentRow(
        `${label}, just analysed`,
        median(sessions.map((s) => s.answered - s.idle)) / MB,
        SESSIONS,
        fileMb,
        idleMb,
      ),
    );
    const first = sessions[0] as Resident;
    if (first.settled !== undefined) {
      rows.push(
        residentRow(
          `${label}, ${SETTLE_MS / 1000} s later`,
          (first.settled - first.idle) / MB,
          1,
          fileMb,
          first.idle / MB,
        ),
      );
    }
  } catch (error) {
    rows.push({ figure: label, unit: 'MB', median: null, runs: 0, note: String(error) });
  }
  const figures = {
    server: '5 server document model, in process after GC',
    'server-edited': '5 same after 20 one-char edits in different requests',
    httpyac: '5 httpyac HttpFile, in process after GC',
  } as const;
  for (const side of ['server', 'server-edited', 'httpyac'] as const) {
    const out = await runWorker<{ rssAbove: number; heapAbove: number }>(
      ctx.workers.memory,
      [side, input.file],
      ['--expose-gc'],
    );
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
