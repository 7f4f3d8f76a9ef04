// Figure 3: completion and hover latency over a real LSP connection to the spawned server, on the 10,000-request file,
// beside the bare round trip of an empty request on the same connection.
import { CompletionRequest, HoverRequest } from 'vscode-languageserver-protocol/node';
import { sessionWithFile } from './benchSession';
import { lspSize, type BenchContext } from './benchContext';
import { emptyRequest } from './lsp';
import { locateRequest } from './requestLayout';
import type { Row } from './results';
import { percentile } from './stats';

const REQUESTS = 200;
const WARM_UP = 20;

async function latencies(count: number, fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < WARM_UP; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await fn();
    out.push(performance.now() - start);
  }
  return out;
}

export async function figure3(ctx: BenchContext): Promise<Row[]> {
  const n = lspSize(ctx);
  const input = ctx.inputs.requests.get(n);
  if (!input) return [];
  ctx.log(`figure 3: hover and completion on ${n} requests`);
  const { session, uri } = await sessionWithFile(ctx.devServer, ctx.runDir, input.file, input.text);
  try {
    const { authLine, tokenColumn } = locateRequest(input.text, Math.floor(n / 2));
    const textDocument = { uri };
    const empty = await latencies(REQUESTS, () => emptyRequest(session));
    const hover = await latencies(REQUESTS, () =>
      session.connection.sendRequest(HoverRequest.type, {
        textDocument,
        position: { line: authLine, character: tokenColumn + 10 },
      }),
    );
    // At the start of the bearer value: where a completion offers a token.
    const completion = await latencies(REQUESTS, () =>
      session.connection.sendRequest(CompletionRequest.type, {
        textDocument,
        position: { line: authLine, character: tokenColumn },
      }),
    );
    const hoverResult = await session.connection.sendRequest(HoverRequest.type, {
      textDocument,
      position: { line: authLine, character: tokenColumn + 10 },
    });
    const completionResult = await session.connection.sendRequest(CompletionRequest.type, {
      textDocument,
      position: { line: authLine, character: tokenColumn },
    });
    const items = Array.isArray(completionResult) ? completionResult.length : (completionResult?.items.length ?? 0);
    const answered = {
      hover: hoverResult ? 'hover answered with content' : 'hover answered null',
      completion: `${items} completion items`,
    };
    const emptyP95 = percentile(empty, 95);
    const rows: Row[] = [
      { figure: '3 empty request p50', unit: 'ms', median: percentile(empty, 50), runs: REQUESTS },
      { figure: '3 empty request p95', unit: 'ms', median: emptyP95, runs: REQUESTS },
    ];
    for (const [name, values] of [
      ['hover', hover],
      ['completion', completion],
    ] as const) {
      const p95 = percentile(values, 95);
      rows.push({ figure: `3 ${name} p50`, unit: 'ms', median: percentile(values, 50), runs: REQUESTS });
      rows.push({
        figure: `3 ${name} p95`,
        unit: 'ms',
        median: p95,
        runs: REQUESTS,
        reference: `empty p95 ${emptyP95.toFixed(2)} ms`,
        ratio: p95 / emptyP95,
        goal: '< 5 ms beyond empty',
        met: p95 - emptyP95 < 5,
        note: answered[name],
      });
    }
    return rows;
  } finally {
    await session.dispose();
  }
}
