// The server collects before building the model of a big text and after the message that brought or dropped it, and
// never for ordinary documents or typing (server/src/heapRelief.ts; the spawned server gets `gc` from --expose-gc).
import assert from 'node:assert/strict';
import { DidCloseTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { BIG_TEXT_CHARS } from '../../server/src/heapRelief';
import { TestClient } from '../support/lsp/testClient';

describe('language server: collection after a big document', () => {
  let collections: number;
  let client: TestClient;

  beforeEach(async () => {
    collections = 0;
    client = TestClient.inProcess({ gc: () => void collections++ });
    await client.initialize();
  });
  afterEach(() => client.dispose());

  const big = 'GET http://127.0.0.1/jobs\n'.repeat(Math.ceil(BIG_TEXT_CHARS / 26));
  /** The after-message collection runs on the next setImmediate turn: let it run whatever order the connection
   *  dispatches messages in (no timer, just one turn of the loop). */
  const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

  it('collects before and after opening a big document and after closing it, not for a small one or a keystroke', async () => {
    await client.open('file:///ws/small.http', 'http', 'GET http://127.0.0.1/jobs\n');
    await client.diagnostics('file:///ws/small.http');
    await turn();
    assert.equal(collections, 0);

    const uri = 'file:///ws/big.http';
    await client.open(uri, 'http', big);
    await client.diagnostics(uri);
    await turn();
    assert.equal(collections, 2);

    await client.change(uri, [
      { range: { start: { line: 3, character: 3 }, end: { line: 3, character: 3 } }, text: 'x' },
    ]);
    await client.diagnostics(uri);
    await turn();
    assert.equal(collections, 2);

    await client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    await client.diagnostics('file:///ws/small.http');
    await turn();
    assert.equal(collections, 3);
  });

  it('collects before and after a change that brings a big text, and after one that drops it', async () => {
    const uri = 'file:///ws/grown.http';
    await client.open(uri, 'http', 'GET http://127.0.0.1/jobs\n');
    await client.change(uri, [{ text: big }]);
    await client.diagnostics(uri);
    await turn();
    assert.equal(collections, 2);
    await client.change(uri, [{ text: 'GET http://127.0.0.1/jobs\n' }]);
    await client.diagnostics(uri);
    await turn();
    assert.equal(collections, 3);
  });

  it('collects after a ranged change that deletes a big text (how VS Code sends select-all, delete)', async () => {
    const uri = 'file:///ws/cut.http';
    await client.open(uri, 'http', big);
    await client.diagnostics(uri);
    await turn();
    assert.equal(collections, 2);
    const lines = big.split('\n').length - 1;
    await client.change(uri, [
      { range: { start: { line: 0, character: 0 }, end: { line: lines, character: 0 } }, text: '' },
    ]);
    await client.diagnostics(uri);
    await turn();
    assert.equal(collections, 3);
  });
});
