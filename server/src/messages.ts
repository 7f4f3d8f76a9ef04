// The server's vscode-jsonrpc message types for the custom messages protocol.ts declares (the client makes its own in
// client/src/lsp/messages.ts: protocol.ts stays free of LSP packages at run time, see there).
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import * as protocol from './protocol';

function request<P, R>(spec: protocol.RequestSpec<P, R>): RequestType<P, R, void> {
  return new RequestType<P, R, void>(spec.method);
}

export const TokenStateNotification = new NotificationType<protocol.TokenStateParams>(protocol.TokenStateNotification.method);
export const IsIgnoredRequest = request(protocol.IsIgnoredRequest);
export const StaleTokensRequest = request(protocol.StaleTokensRequest);
export const ScanFilesRequest = request(protocol.ScanFilesRequest);
