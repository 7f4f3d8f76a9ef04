// What parsing produces: blocks (one per request, or one for a whole env file) holding token findings.
// Finding lines are relative to their block, so an edit above a block moves it by changing one number.
import type { DecodedJwt } from './jwtDecode';
import type { TokenKindFound } from './tokenScan';

export type TokenContext = 'authorization' | 'header' | 'variable' | 'requestLine' | 'body' | 'comment' | 'env';

export interface TokenFinding {
  /** Line relative to the owning block's startLine. */
  line: number;
  /** UTF-16 columns, as LSP positions count them. */
  start: number;
  end: number;
  kind: TokenKindFound;
  /** The token text. Stays in the server process: only masked forms and fingerprints leave it. */
  value: string;
  context: TokenContext;
  /** Memos filled on first use, kept while the block is reused. */
  fingerprint?: string;
  decoded?: DecodedJwt;
}

export interface Block {
  /** Absolute first line (the `###` line, or line 0). */
  startLine: number;
  lineCount: number;
  name?: string;
  /** Relative line of the request line, or -1 (env files, blocks of only comments/variables). */
  requestLine: number;
  /** Relative line where the header section ends (its blank line, or lineCount). */
  headersEnd: number;
  tokens: TokenFinding[];
}

export interface ParseResult {
  blocks: Block[];
  tokenCount: number;
  /** The region went past MAX_ANALYSED_CHARS or the finding cap; the rest was not analysed. */
  truncated: boolean;
}
