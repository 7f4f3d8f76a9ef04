// Figure 2: re-analysis after a one-character edit in the middle of the 10,000-request file, measured over the real
// connection (didChange -> fresh diagnostics) with the bare round trip beside it, and in process where the server
// exposes its incremental model.
import { sessionWithFile } from './benchSession';
import { lspSize, type BenchContext } from './benchContext';
import { analyse, changeDocument, emptyRequest } from './lsp';
import { locateRequest } from './requestLayout';
import type { Row } from './results';
import { median, sample, type Samples } from './stats';
import { isWorkerError, runWorker } from './workerProcess';
import { SERVER_EXEC_ARGV } from '../../client/src/lsp/serverProcess';

export async function figure2(ctx: BenchContext): Promise<Row[]> {
  const n = lspSize(ctx);
  const input = ctx.inputs.requests.get(n);
  if (!input) return [];
  ctx.log(`figure 2: one-character edit in ${n} requests`);
  const { session, uri } = await sessionWithFile(ctx.devServer, ctx.runDir, input.file, input.text);
  try {
    const { requestLine } = locateRequest(input.text, Math.floor(n / 2));
    // `METHOD https://...`: insert a character into the URL, then take it out again; every edit is one character.
    const at = { line: requestLine, character: 12 };
    let version = 1;
    let answered = 0;
    const edit = async (): Promise<void> => {
      version++;
      const insert = version % 2 === 0;
      const change = insert
        ? { range: { start: at, end: at }, text: 'x' }
        : { range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: '' };
      const v = version;
      answered = (await analyse(session, uri, () => changeDocument(session, uri, v, [change]))).length;
    };
    const runs = Math.max(ctx.warmRuns, 20);
    const edits = await sample(runs, edit);
    const trips = await sample(runs, () => emptyRequest(session));
    const ms = median(edits.warm);
    const trip = median(trips.warm);
    return [
      ...(await inProcess(ctx, input.file, n, runs)),
      {
        figure: `2 edit -> diagnostics ${n.toLocaleString('en')} req (LSP)`,
        unit: 'ms',
        median: ms,
        cold: edits.cold,
        runs,
        reference: `round trip ${trip.toFixed(2)} ms`,
        ratio: ms / trip,
        goal: '< 5 ms beyond round trip',
        met: ms - trip < 5,
        note: `${session.init.capabilities.diagnosticProvider ? 'pull' : 'push'} diagnostics, ${answered} per answer${
          session.resultIds.size > 0
            ? `, result ids: ${session.unchangedReports} of ${runs + 1} answers "unchanged"`
            : ', no result ids (every answer is a full report)'
        }`,
      },
    ];
  } finally {
    await session.dispose();
  }
}

interface EditOutput {
  update: Samples;
  withDiagnostics: Samples;
  /** How the document model handled the edits: ['incremental'] is what the design promises. */
  updates: string[];
}

/** The document model alone, in a fresh process: the part of figure 2 the server's design controls. */
async function inProcess(ctx: BenchContext, file: string, n: number, runs: number): Promise<Row[]> {
  // With the server process's own V8 flags (client/src/lsp/serverProcess.ts): what the shipped server runs with.
  const out = await runWorker<EditOutput>(ctx.workers.edit, [file, String(runs)], SERVER_EXEC_ARGV);
  if (isWorkerError(out)) return [{ figure: '2 edit in process', unit: 'ms', median: null, runs: 0, note: out.error }];
  const note =
    out.updates.join(',') === 'incremental' ? undefined : `document model updates: ${out.updates.join(', ')}`;
  const label = `2 edit ${n.toLocaleString('en')} req`;
  const row = (figure: string, s: Samples): Row => {
    const ms = median(s.warm);
    return { figure, unit: 'ms', median: ms, cold: s.cold, runs, goal: '< 5 ms', met: ms < 5, note };
  };
  return [row(`${label}: document update`, out.update), row(`${label}: update + diagnostics`, out.withDiagnostics)];
}
