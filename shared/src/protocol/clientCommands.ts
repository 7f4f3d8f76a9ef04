// The commands the server offers and the client performs.
/* eslint-disable @typescript-eslint/no-namespace -- one namespace per command group, as vscode-languageserver-node writes its protocol */
import type { Range } from 'vscode-languageserver-protocol';

/** The text a completion inserts where the token will go; the client swaps it for the fresh token. */
export const TOKEN_PLACEHOLDER = '<c2m:token>';

/**
 * Commands the *client* registers and performs (they need token values, which never cross the connection).
 * The server only puts them in completion items, code lenses and code actions; the client swaps these arguments for
 * ids of its own before VS Code sees them, and the commands take nothing else.
 */
export namespace ClientCommands {
  /** Replace `range` (holding TOKEN_PLACEHOLDER, where the completion put it) with a fresh short-term token. */
  export const insertToken = 'c2m.lsp.insertToken';
  export interface InsertTokenArgs {
    uri: string;
    range: Range;
    profileId: string;
  }
  /** Replace the token at `range` with a fresh short-term token of the profile that owns `fingerprint` (or the active one). */
  export const replaceToken = 'c2m.lsp.replaceToken';
  export interface ReplaceTokenArgs {
    uri: string;
    range: Range;
    fingerprint: string;
  }
  /** Replace every stale token of the document (asks the server which with StaleTokensRequest). */
  export const replaceStaleTokens = 'c2m.lsp.replaceStaleTokens';
  export interface ReplaceStaleTokensArgs {
    uri: string;
  }
  /** Move the literal token at `range` into the sibling `.env` and reference it with `{{$dotenv C2M_ACCESS_TOKEN}}`. */
  export const moveTokenToEnv = 'c2m.lsp.moveTokenToEnv';
  export interface MoveTokenToEnvArgs {
    uri: string;
    range: Range;
  }
  /** Revoke the token with this fingerprint, if it is one of ours. */
  export const revokeTokenByFingerprint = 'c2m.lsp.revokeTokenByFingerprint';
  export interface RevokeTokenArgs {
    fingerprint: string;
  }
  /** Add the env file `uri` (open, holding tokens, not ignored) to the `.gitignore` of its repository. */
  export const addToGitIgnore = 'c2m.lsp.addToGitIgnore';
  export interface AddToGitIgnoreArgs {
    uri: string;
  }
  /**
   * Replace what `range` holds (a token, or a reference such as `{{$dotenv C2M_ACCESS_TOKEN}}`) with a fresh short-term
   * token of `profileId`, whose origin is where the request goes. `fingerprint` when the range holds a token, `text`
   * when it holds a reference: the client checks the range still holds that before it writes.
   */
  export const useProfileToken = 'c2m.lsp.useProfileToken';
  export interface UseProfileTokenArgs {
    uri: string;
    range: Range;
    profileId: string;
    origin: string;
    fingerprint?: string;
    text?: string;
  }
  /**
   * Stop a request sending a token to another origin: delete `remove`, which is `range` itself or the whole line that
   * holds it (a header, with its line break). `range` holds the token (`fingerprint`) or the reference (`text`) the
   * server warned about: the client checks it still does before it deletes anything.
   */
  export const removeToken = 'c2m.lsp.removeToken';
  export interface RemoveTokenArgs {
    uri: string;
    range: Range;
    remove: Range;
    fingerprint?: string;
    text?: string;
  }
  /** Point the .env sync target that writes `variable` into `from` at `to` (file: URIs) instead. */
  export const syncEnvThere = 'c2m.lsp.syncEnvThere';
  export interface SyncEnvThereArgs {
    uri: string;
    variable: string;
    from: string;
    to: string;
  }
}
