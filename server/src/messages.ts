// The server's message types for the custom messages (declared in shared/src/protocol/messages.ts, made here with
// this side's classes).
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import { messageTypes } from '@shared/protocol/messages';

export const {
  TokenStateNotification,
  IsIgnoredRequest,
  GitIgnoreChangedNotification,
  StaleTokensRequest,
  ScanFilesRequest,
  RequestContextNotification,
} = messageTypes({ NotificationType, RequestType });
