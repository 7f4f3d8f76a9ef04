// Floor for figure 6: an extension that only starts a LanguageClient on a server module.
import type { ExtensionContext } from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

export function activate(context: ExtensionContext): void {
  const module = context.asAbsolutePath('dist/server.js');
  client = new LanguageClient(
    'minimal',
    'Minimal',
    { run: { module, transport: TransportKind.ipc }, debug: { module, transport: TransportKind.ipc } },
    { documentSelector: [{ scheme: 'file', language: 'http' }] },
  );
  client.start().catch((error: unknown) => console.error(error));
}

export function deactivate(): Promise<void> | undefined {
  return client?.stop();
}
