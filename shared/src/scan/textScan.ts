// The token scan of one whole text (a file the server read, a request-history entry): findings by line and character,
// with facts but never the value. Lines without a candidate (`eyJ` / `lt_`) are skipped, not scanned one by one.
import type { ScanFinding } from '../protocol/scan';
import { releaseScannedText, TokenScanner, type TokenSpan } from '../tokens/grammar';
import { MAX_LINE_SCAN } from './limits';
import { tokenFacts } from './tokenFacts';

/** The line starting at `start`: its end (before `\r\n` / `\n`) and where the next one starts. */
function lineAt(text: string, start: number): { start: number; end: number; next: number } {
  let nl = text.indexOf('\n', start);
  if (nl === -1) nl = text.length;
  const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
  return { start, end, next: nl + 1 };
}

/** The findings of one file's text, at most `budget`. */
export function scanText(uri: string, text: string, budget: number): ScanFinding[] {
  const out: ScanFinding[] = [];
  const scanner = new TokenScanner(text);
  const hits: TokenSpan[] = [];
  let line = 0;
  for (let start = 0; start <= text.length && out.length < budget; line++) {
    // Most lines hold no token: jump to the line of the next candidate (counting the lines skipped).
    const candidate = scanner.candidate(start);
    if (candidate === -1) break;
    for (let nl = text.indexOf('\n', start); nl !== -1 && nl < candidate; nl = text.indexOf('\n', start)) {
      start = nl + 1;
      line++;
    }
    const span = lineAt(text, start);
    hits.length = 0;
    scanner.scanLine(span.start, span.end, MAX_LINE_SCAN, budget - out.length, hits);
    for (const hit of hits) {
      out.push({
        uri,
        range: { start: { line, character: hit.start - span.start }, end: { line, character: hit.end - span.start } },
        ...tokenFacts(text.slice(hit.start, hit.end), hit.kind),
      });
    }
    start = span.next;
  }
  releaseScannedText();
  return out;
}
