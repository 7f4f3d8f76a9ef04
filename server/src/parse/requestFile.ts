// Parses request files in the syntax REST Client and httpYac share:
//   ### name            separator
//   # comment, // comment
//   @var = value        file variable
//   GET https://…       request line, then `Name: value` headers up to a blank line, then the body.
// It parses a run of whole lines starting at a block boundary, so the document cache can re-parse only touched blocks.
// It records structure and token positions only: request names and values are read from the text when a feature asks.
import { MAX_ANALYSED_CHARS } from './limits';
import { scanLineInto } from './lineFindings';
import { skipBlanks } from './lines';
import type { Block, ParseResult, TokenContext } from './model';
import { releaseScannedText, TokenScanner } from '@shared/tokens/grammar';

type Section = 'preamble' | 'headers' | 'body';

/** `###` at `cs` before `end`: three char codes, no startsWith call (this runs for every line). Reads stay in bounds:
 *  a read past the text makes V8 drop the parser's optimized code and build it again. */
function isSeparator(text: string, cs: number, end: number): boolean {
  return (
    cs + 3 <= end && text.charCodeAt(cs) === 35 && text.charCodeAt(cs + 1) === 35 && text.charCodeAt(cs + 2) === 35
  );
}

const AUTHORIZATION = 'authorization';

/** `Authorization:` (any case, blanks before the colon) at `cs`, compared in place: no per-line strings. */
function isAuthorizationHeader(text: string, cs: number, end: number): boolean {
  if (end - cs < AUTHORIZATION.length + 1) return false;
  for (let k = 0; k < AUTHORIZATION.length; k++) {
    if ((text.charCodeAt(cs + k) | 0x20) !== AUTHORIZATION.charCodeAt(k)) return false;
  }
  const colon = skipBlanks(text, cs + AUTHORIZATION.length, end);
  return colon < end && text.charCodeAt(colon) === 58; /* : */
}

/** Closes `block` at absolute line `endLine`. A module function, not a closure: a closure made per call is a new call
 *  target each time, which makes V8 drop the parser's optimized code (--trace-deopt: "wrong call target"). */
function finish(blocks: Block[], block: Block, endLine: number, inBody: boolean): void {
  block.lineCount = endLine - block.startLine;
  // An exact-size copy: V8 gives an array 17 slots on its first push, and most requests hold one token (a 10,000-
  // request file: 1.4 MB of empty slots, bench figure 5). Blocks without tokens keep their empty array.
  if (block.tokens.length !== 0) block.tokens = block.tokens.slice();
  if (!inBody) block.headersEnd = block.lineCount;
  blocks.push(block);
}

function newBlock(startLine: number, startOffset: number): Block {
  return { startLine, startOffset, lineCount: 0, requestLine: -1, headersEnd: 0, tokens: [], cache: undefined };
}

/**
 * Parses `lineCount` lines of `text` (or to its end, whichever comes first) starting at offset `startOffset`, which is
 * the start of absolute line `firstLine` and of a block. At most `budget` token findings are kept.
 */
export function parseRequestLines(
  text: string,
  startOffset: number,
  firstLine: number,
  lineCount: number,
  budget: number,
): ParseResult {
  const blocks: Block[] = [];
  const scanner = new TokenScanner(text);
  let block = newBlock(firstLine, startOffset);
  let section: Section = 'preamble';
  let tokenCount = 0;
  let truncated = false;
  let pos = startOffset;
  /** The scanner's next candidate offset (MAX_SAFE_INTEGER: none left); refreshed only when a line reaches it. */
  let candidate = -1;

  let i = 0;
  for (; i < lineCount && pos <= text.length; i++) {
    if (pos >= MAX_ANALYSED_CHARS) {
      truncated = true;
      break;
    }
    // The line [pos, end), next line at `next`; inline rather than lineAt(): no object per line.
    let next = text.indexOf('\n', pos);
    if (next === -1) next = text.length;
    const end = next > pos && text.charCodeAt(next - 1) === 13 ? next - 1 : next;
    next++;
    const abs = firstLine + i;
    const cs = skipBlanks(text, pos, end);
    const separator = isSeparator(text, cs, end);

    if (separator && abs !== block.startLine) {
      finish(blocks, block, abs, section === 'body');
      block = newBlock(abs, pos);
    }

    let context: TokenContext;
    const rel = abs - block.startLine;
    const c0 = cs < end ? text.charCodeAt(cs) : -1;
    if (separator) {
      section = 'preamble';
      context = 'comment';
    } else if (section === 'body') {
      context = 'body';
    } else if (c0 === 35 /* # */ || (c0 === 47 /* / */ && cs + 1 < end && text.charCodeAt(cs + 1) === 47)) {
      context = 'comment';
    } else if (section === 'preamble') {
      if (cs === end) {
        context = 'body'; // blank line: nothing to find
      } else if (c0 === 64 /* @ */) {
        context = 'variable';
      } else {
        context = 'requestLine';
        block.requestLine = rel;
        section = 'headers';
      }
    } else if (cs === end) {
      // headers: a blank line ends them
      section = 'body';
      block.headersEnd = rel;
      context = 'body';
    } else {
      context = isAuthorizationHeader(text, cs, end) ? 'authorization' : 'header';
    }

    // Most lines hold no token: ask the scanner only when its next candidate lies on this line.
    if (tokenCount < budget && candidate < end) {
      candidate = scanner.candidate(pos);
      if (candidate !== -1 && candidate < end) {
        tokenCount += scanLineInto(
          scanner,
          pos,
          end,
          block.startOffset,
          rel,
          budget - tokenCount,
          block.tokens,
          context,
        );
        if (tokenCount >= budget) truncated = true;
        candidate = scanner.candidate(end);
      }
      if (candidate === -1) candidate = Number.MAX_SAFE_INTEGER;
    }
    pos = next;
  }
  // Lines past the size cap still belong to the last block; they are just not analysed.
  if (i < lineCount && pos <= text.length) {
    for (let p = text.indexOf('\n', pos); p !== -1 && i < lineCount; p = text.indexOf('\n', p + 1)) i++;
    i = Math.min(i + 1, lineCount);
  }
  finish(blocks, block, firstLine + i, section === 'body');
  releaseScannedText();
  return { blocks, tokenCount, truncated };
}
