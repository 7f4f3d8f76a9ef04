// A window closing: the client sends shutdown, then VS Code still asks for code actions, hovers, lenses... for the
// editors it is closing. The built server, over a real connection: every such request is answered empty, none
// fails, nothing is logged as an error, and exit after shutdown ends the process cleanly.
import assert from 'node:assert/strict';
import {
  CodeActionRequest,
  CodeLensRequest,
  CompletionRequest,
  DocumentDiagnosticRequest,
  ExitNotification,
  HoverRequest,
  ShutdownRequest,
} from 'vscode-languageserver-protocol/node';
import { TestClient } from '../support/lsp/testClient';
import { state, tokens } from '../support/lsp/tokenScenario';

describe('language server: requests during shutdown', () => {
  it('answers what arrives after shutdown empty, without an error, and exits cleanly', async () => {
    const client = TestClient.spawnBundle();
    try {
      await client.initialize();
      await client.tokenState(state());
      const uri = 'file:///ws/closing.http';
      await client.open(uri, 'http', `GET http://127.0.0.1/jobs\nAuthorization: Bearer ${tokens.expired}\n`);
      const at = { line: 1, character: 30 };
      const textDocument = { uri };
      const diagnostics = await client.diagnostics(uri);
      const actionParams = { textDocument, range: { start: at, end: at }, context: { diagnostics } };
      assert.ok(
        (await client.connection.sendRequest(CodeActionRequest.type, actionParams))!.length > 0,
        'there are code actions while running',
      );

      await client.connection.sendRequest(ShutdownRequest.type);
      const answers = await Promise.allSettled([
        client.connection.sendRequest(CodeActionRequest.type, actionParams),
        client.connection.sendRequest(CodeActionRequest.type, actionParams),
        client.connection.sendRequest(HoverRequest.type, { textDocument, position: at }),
        client.connection.sendRequest(CompletionRequest.type, { textDocument, position: { line: 1, character: 22 } }),
        client.connection.sendRequest(CodeLensRequest.type, { textDocument }),
        client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument }),
      ]);
      assert.deepEqual(
        answers.map((a) => a.status),
        Array(6).fill('fulfilled'),
        'no request failed',
      );
      const values = answers.map((a) => (a as PromiseFulfilledResult<unknown>).value);
      assert.deepEqual(values, [[], [], null, [], [], { kind: 'full', items: [] }]);
      assert.doesNotMatch(client.traffic(), /failed/i, 'nothing logged as failed');
      const exited = new Promise<number | null>((resolve) => client.onExit(resolve));
      await client.connection.sendNotification(ExitNotification.type);
      assert.equal(await exited, 0, 'exit after shutdown: code 0');
    } finally {
      client.dispose();
    }
  });
});
