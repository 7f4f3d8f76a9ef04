// Parses env files: `KEY=VALUE`, `export KEY=VALUE`, quoted values, `#` comments. The whole file is one block.
import { MAX_ANALYSED_CHARS } from './limits';
import { scanLineInto } from './lineFindings';
import { indexOfBounded, lineAt, skipBlanks } from './lines';
import type { Block, ParseResult } from './model';
import { releaseScannedText, TokenScanner } from '@shared/tokens/grammar';

/** Keys are short: look for `=` only this far into a line. */
const KEY_WINDOW = 256;

export interface EnvLine {
  /** Offset (column) where the key starts, after blanks and `export `. */
  keyStart: number;
  key: string;
  /** Column just past `=`. */
  valueStart: number;
}

/** Splits one env line (given as a string) into key and value position, or undefined for comments and blank lines. */
export function parseEnvLine(line: string): EnvLine | undefined {
  let ks = skipBlanks(line, 0, line.length);
  if (ks === line.length || line.charCodeAt(ks) === 35) return undefined;
  if (line.startsWith('export ', ks)) ks = skipBlanks(line, ks + 7, line.length);
  const eq = indexOfBounded(line, 61 /* = */, ks, line.length, KEY_WINDOW);
  if (eq === -1) return undefined;
  return { keyStart: ks, key: line.slice(ks, eq).trim(), valueStart: eq + 1 };
}

export function parseEnvText(text: string, budget: number): ParseResult {
  const scanner = new TokenScanner(text);
  const block: Block = {
    startLine: 0,
    startOffset: 0,
    lineCount: 0,
    requestLine: -1,
    headersEnd: 0,
    tokens: [],
    cache: undefined,
  };
  let tokenCount = 0;
  let truncated = false;
  let pos = 0;
  let i = 0;
  /** The scanner's next candidate offset (MAX_SAFE_INTEGER: none left); lines before it are only counted. */
  let candidate = -1;
  for (; pos <= text.length; i++) {
    if (pos >= MAX_ANALYSED_CHARS || tokenCount >= budget) {
      truncated = true;
      break;
    }
    let next = text.indexOf('\n', pos);
    if (next === -1) next = text.length;
    if (candidate < next) candidate = scanner.candidate(pos);
    if (candidate !== -1 && candidate < next) {
      const line = lineAt(text, pos);
      const cs = skipBlanks(text, line.start, line.end);
      const comment = text.charCodeAt(cs) === 35;
      const eq = comment ? -1 : indexOfBounded(text, 61, cs, line.end, KEY_WINDOW);
      tokenCount += scanLineInto(scanner, line.start, line.end, 0, i, budget - tokenCount, block.tokens, (at) =>
        eq !== -1 && at > eq ? 'env' : 'comment',
      );
      candidate = scanner.candidate(line.end);
    }
    if (candidate === -1) candidate = Number.MAX_SAFE_INTEGER;
    pos = next + 1;
  }
  if (truncated) {
    // Count the remaining lines cheaply so the block still spans the document.
    for (let p = text.indexOf('\n', pos); p !== -1; p = text.indexOf('\n', p + 1)) i++;
    i++;
  }
  block.lineCount = i;
  releaseScannedText();
  return { blocks: [block], tokenCount, truncated };
}
