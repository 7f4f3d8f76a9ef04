// The client's vscode-jsonrpc message types for the custom messages server/src/protocol.ts declares. Made here, in the
// lazily loaded language-features bundle, so protocol.ts (imported by the activation bundle too) needs no LSP package.
import { NotificationType, RequestType } from 'vscode-languageclient/node';
import * as protocol from '../../../server/src/protocol';

function request<P, R>(spec: protocol.RequestSpec<P, R>): RequestType<P, R, void> {
  return new RequestType<P, R, void>(spec.method);
}

export const TokenStateNotification = new NotificationType<protocol.TokenStateParams>(protocol.TokenStateNotification.method);
export const IsIgnoredRequest = request(protocol.IsIgnoredRequest);
export const StaleTokensRequest = request(protocol.StaleTokensRequest);
export const ScanFilesRequest = request(protocol.ScanFilesRequest);
