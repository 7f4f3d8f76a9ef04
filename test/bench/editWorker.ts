// Figure 2 in process: the server's document model after a one-character edit in the middle of a request file,
// alone and followed by the diagnostics pass a pull request runs. Usage: edit-worker.js <file> <runs>; prints JSON.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { AnalysedDocument } from '../../server/src/analysis';
import { diagnostics } from '../../server/src/features/diagnostics';
import { TokenStateStore } from '../../server/src/tokenStateStore';
import { TOKEN_STATE_SIZE } from './benchContext';
import { BENCH_NOW_MS } from './benchInputs';
import { locateRequest } from './requestLayout';
import { sample } from './stats';
import { benchTokenState } from './tokenStateFixture';

async function main(): Promise<void> {
  const [file = '', runs = '20'] = process.argv.slice(2);
  const text = readFileSync(file, 'utf8');
  const requests = (text.match(/^### request /gm) ?? []).length;
  const state = new TokenStateStore(() => BENCH_NOW_MS);
  state.update(benchTokenState(text, TOKEN_STATE_SIZE, BENCH_NOW_MS));
  const doc = AnalysedDocument.open(pathToFileURL(file).href, 1, text, 'request');
  diagnostics(doc.analysis, state.snapshot, state.now(), true);
  const at = { line: locateRequest(text, Math.floor(requests / 2)).requestLine, character: 12 };
  let version = 1;
  const incremental = new Set<string>();
  // Insert a character, then delete it: every edit is one character and the text returns to where it was.
  const edit = (): void => {
    version++;
    const change =
      version % 2 === 0
        ? { range: { start: at, end: at }, text: 'x' }
        : { range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: '' };
    doc.update([change], version);
    incremental.add(doc.lastUpdate);
  };
  const update = await sample(Number(runs), edit);
  const withDiagnostics = await sample(Number(runs), () => {
    edit();
    diagnostics(doc.analysis, state.snapshot, state.now(), true);
  });
  process.stdout.write(`${JSON.stringify({ update, withDiagnostics, updates: [...incremental] })}\n`);
}

main().catch((error: unknown) => {
  process.stdout.write(`${JSON.stringify({ error: error instanceof Error ? error.message : String(error) })}\n`);
  process.exitCode = 1;
});
