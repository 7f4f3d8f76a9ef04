// The custom LSP messages. Each is a namespace with its method name (exported as a constant), its direction and its
// parameter and result types, as vscode-languageserver-node writes the protocol; messageTypes() makes the message
// objects with the caller's own classes, so this file imports no LSP package at run time and what imports it for a
// method name (the extension's activation bundle too) does not carry vscode-languageserver-protocol.
/* eslint-disable @typescript-eslint/no-namespace -- one namespace per message, as vscode-languageserver-node writes its protocol */
import type { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { ScanFilesParams, ScanFilesResult } from './scan';
import type { RequestContextParams } from './requestContext';
import type { StaleToken, TokenStateParams } from './tokenState';

/** Who sends a message: the same words as vscode-languageserver-protocol's MessageDirection. */
export type MessageDirection = 'clientToServer' | 'serverToClient';

/** Everything the client knows about tokens, sent after start and on every change. No values. */
export namespace TokenStateNotification {
  export const method = 'c2m/tokenState';
  export const messageDirection: MessageDirection = 'clientToServer';
  export type Params = TokenStateParams;
}

/** Is this env file ignored by git? The client answers with `git check-ignore`; null: git could not say. */
export namespace IsIgnoredRequest {
  export const method = 'c2m/isIgnored';
  export const messageDirection: MessageDirection = 'serverToClient';
  export type Params = { uri: string };
  export type Result = boolean | null;
}

/** A `.gitignore`, `info/exclude` or the git index changed: earlier IsIgnored answers are stale. */
export namespace GitIgnoreChangedNotification {
  export const method = 'c2m/gitIgnoreChanged';
  export const messageDirection: MessageDirection = 'clientToServer';
  export type Params = Record<string, never>;
}

/** The stale (expired, expiring, revoked or long-term) tokens of a document, for "replace all". */
export namespace StaleTokensRequest {
  export const method = 'c2m/staleTokens';
  export const messageDirection: MessageDirection = 'clientToServer';
  export type Params = { uri: string };
  export type Result = StaleToken[];
}

/** Scan these files for tokens (the workspace leak scan). Answers metadata only. */
export namespace ScanFilesRequest {
  export const method = 'c2m/scanFiles';
  export const messageDirection: MessageDirection = 'clientToServer';
  export type Params = ScanFilesParams;
  export type Result = ScanFilesResult;
}

/**
 * The env sync's targets and REST Client's environment, for the destination guard. Sent after start, when a setting
 * it is made of changes, and when an env file changes on disk.
 */
export namespace RequestContextNotification {
  export const method = 'c2m/requestContext';
  export const messageDirection: MessageDirection = 'clientToServer';
  export type Params = RequestContextParams;
}

/** The message classes of vscode-languageserver-protocol, as the server and the language client each import them. */
export interface MessageClasses {
  NotificationType: new <P>(method: string) => NotificationType<P>;
  RequestType: new <P, R, E>(method: string) => RequestType<P, R, E>;
}

/** Every custom message, made with the caller's classes. */
export function messageTypes(c: MessageClasses) {
  return {
    TokenStateNotification: new c.NotificationType<TokenStateNotification.Params>(TokenStateNotification.method),
    IsIgnoredRequest: new c.RequestType<IsIgnoredRequest.Params, IsIgnoredRequest.Result, void>(
      IsIgnoredRequest.method,
    ),
    GitIgnoreChangedNotification: new c.NotificationType<GitIgnoreChangedNotification.Params>(
      GitIgnoreChangedNotification.method,
    ),
    StaleTokensRequest: new c.RequestType<StaleTokensRequest.Params, StaleTokensRequest.Result, void>(
      StaleTokensRequest.method,
    ),
    ScanFilesRequest: new c.RequestType<ScanFilesRequest.Params, ScanFilesRequest.Result, void>(
      ScanFilesRequest.method,
    ),
    RequestContextNotification: new c.NotificationType<RequestContextNotification.Params>(
      RequestContextNotification.method,
    ),
  };
}
