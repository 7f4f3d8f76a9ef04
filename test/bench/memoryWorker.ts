// Figure 5's in-process sides, each in its own process run with --expose-gc: memory held after analysing a file,
// above the same process idle (modules loaded, a tiny file analysed first so lazy parts count as idle).
// `server`: the language server's document model plus one diagnostics pass, kept alive as an open document is.
// `server-edited`: the same after 20 one-character edits, each in a different request (an afternoon of editing).
// `httpyac`: its parsed HttpFile. Usage: memory-worker.js <server|server-edited|httpyac> <file>; prints JSON.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { AnalysedDocument } from '../../server/src/analysis';
import { diagnostics } from '../../server/src/features/diagnostics';
import { releaseScannedText } from '@shared/tokens/grammar';
import { TokenStateStore } from '../../server/src/tokenStateStore';
import { TOKEN_STATE_SIZE } from './benchContext';
import { BENCH_NOW_MS } from './benchInputs';
import { locateRequest } from './requestLayout';
import { benchTokenState } from './tokenStateFixture';

function settle(): NodeJS.MemoryUsage {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  return process.memoryUsage();
}

type Hold = (file: string, text: string) => Promise<unknown>;

async function httpyacSide(): Promise<Hold> {
  const { cli, store } = createRequire(__filename)('httpyac') as typeof import('httpyac');
  cli.initFileProvider();
  await cli.initIOProvider();
  const fileStore = new store.HttpFileStore();
  return (file, text) => fileStore.parse(file, text, { workingDir: path.dirname(file), config: {} });
}

const EDITS = 20;

function serverSide(text: string, edits: number): Hold {
  const state = new TokenStateStore(() => BENCH_NOW_MS);
  state.update(benchTokenState(text, TOKEN_STATE_SIZE, BENCH_NOW_MS));
  // The harness's own regexes ran over the whole text: RegExp's last-match record would keep it alive (counted in the
  // idle baseline, or on top of the model), so point it away as the server's scans do.
  releaseScannedText();
  return async (file, fileText) => {
    const doc = AnalysedDocument.open(pathToFileURL(file).href, 1, fileText, 'request');
    diagnostics(doc.analysis, state.snapshot, state.now(), true);
    const requests = (fileText.match(/^### request /gm) ?? []).length;
    releaseScannedText();
    for (let k = 0; k < edits && requests > 0; k++) {
      // Spread over the file: each edit lands in a request no earlier edit touched.
      const at = {
        line: locateRequest(doc.document.getText(), Math.floor(((k + 0.5) * requests) / edits)).requestLine,
        character: 12,
      };
      doc.update([{ range: { start: at, end: at }, text: 'x' }], k + 2);
      diagnostics(doc.analysis, state.snapshot, state.now(), true);
    }
    return doc;
  };
}

async function main(): Promise<void> {
  const [side = '', file = ''] = process.argv.slice(2);
  // Read as the server receives it: a fresh string per analysis, so the idle baseline does not hold the text.
  const text = (): string => readFileSync(file, 'utf8');
  const hold = side === 'httpyac' ? await httpyacSide() : serverSide(text(), side === 'server-edited' ? EDITS : 0);
  await hold(
    path.join(path.dirname(file), 'warm.http'),
    'GET https://a.test\nAuthorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.c2ln\n',
  );
  const idle = settle();
  const held = await hold(file, text());
  const after = settle();
  process.stdout.write(
    `${JSON.stringify({ rssAbove: after.rss - idle.rss, heapAbove: after.heapUsed - idle.heapUsed, held: held !== undefined })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stdout.write(`${JSON.stringify({ error: error instanceof Error ? error.message : String(error) })}\n`);
  process.exitCode = 1;
});
