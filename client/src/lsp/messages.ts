// The client's message types for the custom messages (declared in shared/src/protocol/messages.ts, made here with the
// language client's classes, in the lazily loaded bundle: the shared declarations carry no LSP package into
// dist/client.js).
import { NotificationType, RequestType } from 'vscode-languageclient/node';
import { messageTypes } from '@shared/protocol/messages';

export const {
  TokenStateNotification,
  IsIgnoredRequest,
  GitIgnoreChangedNotification,
  StaleTokensRequest,
  ScanFilesRequest,
  RequestContextNotification,
} = messageTypes({ NotificationType, RequestType });
