// What parsing produces: blocks (one per request, or one for a whole env file) holding token findings.
// Finding lines are relative to their block, so an edit above a block moves it by changing one number.
import type { TokenShape } from '@shared/tokens/grammar';

export type TokenContext = 'authorization' | 'header' | 'variable' | 'requestLine' | 'body' | 'comment' | 'env';

export interface TokenFinding {
  /** Line relative to the owning block's startLine. */
  line: number;
  /** UTF-16 columns, as LSP positions count them. */
  start: number;
  end: number;
  /** Offset from the block's startOffset. The value is read from the text when needed, never stored:
   *  a stored slice would pin the whole document text in memory (see lines.ts detach()). */
  offset: number;
  kind: TokenShape;
  context: TokenContext;
  /** Memos filled on first use, kept while the block is reused: small values only. Present (undefined) from the
   *  start, so filling them changes no object's shape: a field added later costs V8 a separate property store. */
  fingerprint: string | undefined;
  claims: ClaimTimes | undefined;
}

/** What classification needs from a JWT's claims (null: the claim is absent or unusable). */
export interface ClaimTimes {
  expiresAt: number | null;
  issuedAt: number | null;
}

export interface Block {
  /** Absolute first line (the `###` line, or line 0), and the offset of its first character. */
  startLine: number;
  startOffset: number;
  lineCount: number;
  /** Relative line of the request line, or -1 (env files, blocks of only comments/variables). */
  requestLine: number;
  /** Relative line where the header section ends (its blank line, or lineCount). */
  headersEnd: number;
  tokens: TokenFinding[];
  /** Derived data a feature caches on the block while the block is reused (features/diagnostics.ts); undefined
   *  from the start for the same reason as a finding's memos. */
  cache: unknown;
}

export interface ParseResult {
  blocks: Block[];
  tokenCount: number;
  /** The region went past MAX_ANALYSED_CHARS or the finding cap; the rest was not analysed. */
  truncated: boolean;
}
