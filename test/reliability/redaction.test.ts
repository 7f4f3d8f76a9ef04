// Redaction before the language server, as an attacker would probe it: tokens glued to what precedes them
// (`Bearer%20eyJ…`, `tok_eyJ…`, `Bearer-eyJ…`, `-lt_…`, a JWT after a dotted run) in a request file opened and then
// edited, with the server tracing verbosely. The client syncs what redactTokens() makes of the document (didOpen) and
// of the changed lines (didChange), see client/src/lsp/documentStandIns.ts; both directions of the real connection are searched.
import { strict as assert } from 'node:assert';
import { HoverRequest } from 'vscode-languageserver-protocol/node';
import { DiagnosticCodes } from '@shared/protocol/diagnosticCodes';
import { redactTokens } from '@shared/tokens/redactTokens';
import { makeJwt, makeLongTerm } from '../support/jwt';
import { TestClient } from '../support/lsp/testClient';
import { NOW, state, tokens } from '../support/lsp/tokenScenario';
import { note } from '../support/reliability/ledger';
import { holdsAny } from '../support/reliability/pieces';

describe('reliability: redaction before the language server', () => {
  it('[A6] tokens glued to a base64url character or a dotted run never cross the LSP connection; the server still knows its own', async () => {
    const glued = Array.from({ length: 6 }, (_, i) =>
      makeJwt({ sub: `glued-${i}`, jti: `tok_st_g${i}`, exp: Math.floor(NOW / 1000) + 600 }),
    );
    const longTerm = makeLongTerm('glued-long');
    const lines = [
      'GET http://127.0.0.1/jobs?access_token=Bearer%20' + glued[0],
      'X-Token: tok_' + glued[1],
      'Authorization: Bearer-' + glued[2],
      'X-Key: -' + longTerm,
      'X-Chain: eyJhbGciOiJub25lIn0.' + glued[3],
      'X-Url: https://x/a?t=' + glued[4] + 'lt_0123456789abcdef',
      `Authorization: Bearer ${tokens.expired}`,
      '',
    ];
    const text = lines.join('\n');
    const lsp = TestClient.spawnBundle();
    const n = note(
      'A6',
      'request file with 6 glued tokens (JWT after %20, tok_, -, a dotted run; lt_ after -), opened and edited, verbose trace',
    );
    try {
      await lsp.initialize();
      await lsp.connection.sendNotification('$/setTrace', { value: 'verbose' });
      await lsp.tokenState(state());
      const uri = 'file:///ws/glued.http';
      await lsp.open(uri, 'http', redactTokens(text));
      // An edit that types the last glued token in (didChange sends the changed lines redacted).
      const typed = `X-Late: Bearer%20${glued[5]}`;
      await lsp.change(uri, [
        { range: { start: { line: 7, character: 0 }, end: { line: 7, character: 0 } }, text: redactTokens(typed) },
      ]);
      n.badInput(7);

      const items = await lsp.diagnostics(uri);
      const hover = await lsp.connection.sendRequest(HoverRequest.type, {
        textDocument: { uri },
        position: { line: 6, character: 30 },
      });
      const traffic = `${lsp.sent()}\n${lsp.traffic()}`;
      const leaked = [...glued, longTerm, tokens.expired].filter((t) => holdsAny(traffic, [t]));
      n.secretsFound(leaked.length).done();
      assert.ok(lsp.sent().includes('Bearer%20eyJ'), 'the glued text itself was synced');
      assert.deepEqual(
        leaked.map((t) => t.slice(0, 12)),
        [],
        'no token value or piece of one crossed',
      );
      assert.deepEqual(
        items.filter((d) => d.range.start.line === 6).map((d) => d.code),
        [DiagnosticCodes.expired],
        'the word-start token is still classified',
      );
      assert.match(
        (hover!.contents as { value: string }).value,
        /Token id: `tok_st_old`/,
        'and known by the fingerprint its stand-in carries',
      );
    } finally {
      lsp.dispose();
    }
  });
});
