// The one file shared by the extension (client) and the language server. It declares the custom LSP messages
// and the token metadata they carry. Token *values* never appear here: LSP traces are logged verbatim.
// Each message is a namespace with `method`, `type` and `messageDirection` (the vscode-languageserver-node habit).
/* eslint-disable @typescript-eslint/no-namespace -- one namespace per message is the vscode-languageserver-node convention the brief asks for */
import * as crypto from 'node:crypto';
import { MessageDirection, NotificationType, RequestType, type Range } from 'vscode-languageserver-protocol';

/** First 16 hex chars of SHA-256 over the token value: lets the server recognise a token without holding it. */
export function tokenFingerprint(value: string): string {
  // crypto.hash (Node >= 20.12) is the one-shot form: no Hash object per token when a file holds thousands.
  const hex = typeof crypto.hash === 'function' ? crypto.hash('sha256', value, 'hex') : crypto.createHash('sha256').update(value, 'utf8').digest('hex');
  return hex.slice(0, 16);
}

/** Token metadata as the server sees it: everything but the value. */
export interface TokenMeta {
  profileId: string;
  profileName: string;
  kind: 'long' | 'short';
  tokenId: string;
  fingerprint: string;
  scopes: string[];
  /** Epoch ms on the client's clock. */
  issuedAt: number;
  expiresAt: number;
  status: 'none' | 'valid' | 'expiring' | 'expired' | 'revoked' | 'error';
}

export interface ProfileMeta {
  id: string;
  name: string;
  active: boolean;
}

export interface TokenStateParams {
  tokens: TokenMeta[];
  profiles: ProfileMeta[];
  /** A short-term token this close to its expiry is "expiring" (information diagnostic, "Refresh" lens). */
  refreshMarginMs: number;
  /** The client's clock when the state was sent; the server measures expiry against it (same clock as expiresAt). */
  now: number;
}

/** client -> server: everything the client knows about tokens, sent after start and on every change. No values. */
export namespace TokenStateNotification {
  export const method = 'c2m/tokenState' as const;
  export const messageDirection = MessageDirection.clientToServer;
  export const type = new NotificationType<TokenStateParams>(method);
}

/** server -> client: is this env file ignored by git? The client answers with `git check-ignore`. */
export namespace IsIgnoredRequest {
  export const method = 'c2m/isIgnored' as const;
  export const messageDirection = MessageDirection.serverToClient;
  export const type = new RequestType<{ uri: string }, boolean, void>(method);
}

export interface StaleToken {
  range: Range;
  fingerprint: string;
}

/** client -> server: the stale (expired, expiring, revoked or long-term) tokens of a document, for "replace all". */
export namespace StaleTokensRequest {
  export const method = 'c2m/staleTokens' as const;
  export const messageDirection = MessageDirection.clientToServer;
  export const type = new RequestType<{ uri: string }, StaleToken[], void>(method);
}

/** The text a completion inserts where the token will go; the client swaps it for the fresh token. */
export const TOKEN_PLACEHOLDER = '<c2m:token>';

/** The name of the env variable the extension writes and references. */
export const ENV_TOKEN_NAME = 'C2M_ACCESS_TOKEN';

/**
 * Commands the *client* registers and performs (they need token values, which never cross the connection).
 * The server only puts them in completion items, code lenses and code actions.
 */
export namespace ClientCommands {
  /** Replace `range` (holding TOKEN_PLACEHOLDER) with `template`, whose `{token}` becomes a fresh short-term token. */
  export const insertToken = 'c2m.lsp.insertToken';
  export interface InsertTokenArgs { uri: string; range: Range; profileId: string; template: string }
  /** Replace the token at `range` with a fresh short-term token of the profile that owns `fingerprint` (or the active one). */
  export const replaceToken = 'c2m.lsp.replaceToken';
  export interface ReplaceTokenArgs { uri: string; range: Range; fingerprint: string }
  /** Replace every stale token of the document (asks the server which with StaleTokensRequest). */
  export const replaceStaleTokens = 'c2m.lsp.replaceStaleTokens';
  export interface ReplaceStaleTokensArgs { uri: string }
  /** Move the literal token at `range` into the sibling `.env` and reference it with `{{$dotenv C2M_ACCESS_TOKEN}}`. */
  export const moveTokenToEnv = 'c2m.lsp.moveTokenToEnv';
  export interface MoveTokenToEnvArgs { uri: string; range: Range }
  /** Revoke the token with this fingerprint, if it is one of ours. */
  export const revokeTokenByFingerprint = 'c2m.lsp.revokeTokenByFingerprint';
  export interface RevokeTokenArgs { fingerprint: string }
}

/** Diagnostic codes, stable so code actions and tests can match on them. */
export const DiagnosticCodes = {
  expired: 'c2m.expired',
  revoked: 'c2m.revoked',
  longTerm: 'c2m.longTermLeak',
  expiring: 'c2m.expiring',
  envNotIgnored: 'c2m.envNotIgnored',
  tooLarge: 'c2m.tooLarge',
} as const;

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
}

/** client -> server: scan these files for tokens (the workspace leak scan). Answers metadata only. */
export namespace ScanFilesRequest {
  export const method = 'c2m/scanFiles' as const;
  export const messageDirection = MessageDirection.clientToServer;
  export const type = new RequestType<ScanFilesParams, ScanFilesResult, void>(method);
}
