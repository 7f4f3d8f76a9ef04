// The workspace leak scan's request and answer: where tokens are, never their values.
import type { Range } from 'vscode-languageserver-protocol';

/** One token the workspace scan found: where, and what it is. Never the value. */
export interface ScanFinding {
  uri: string;
  range: Range;
  /** jwt: three base64url segments starting `eyJ` (or a JWE); longTerm: the contract's `lt_…` long-term form. */
  shape: 'jwt' | 'longTerm';
  fingerprint: string;
  /** Unverified claims, when the token decodes: `jti` and `exp` (epoch ms). */
  tokenId?: string;
  expiresAt?: number;
}

export interface ScanFilesParams {
  /** file: URIs; the server reads them itself, so file contents never cross the connection either. */
  uris: string[];
  /** Files larger than this are skipped (reported in `skipped`). */
  maxFileBytes: number;
  /** Stop after this many findings in total. */
  maxFindings: number;
}

export interface ScanFilesResult {
  findings: ScanFinding[];
  /** Files not scanned (too large, unreadable, binary), with the reason. */
  skipped: { uri: string; reason: string }[];
  truncated: boolean;
  /** Bytes read and searched (progress). */
  bytes?: number;
}
