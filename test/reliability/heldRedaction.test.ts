// What the extension holds, as an attacker would probe the sync with it: an opaque long-term token (no shape the
// grammar knows), a JWT of ours with its dots percent-encoded in a URL, a client secret URL-encoded, JSON-escaped and
// inside `Basic base64(id:secret)`, opened and edited with the server tracing verbosely. The client syncs what
// serverText() makes of the document (didOpen) and of the changed lines (didChange), see client/src/lsp/documentStandIns.ts;
// both directions of the real connection are searched, decoded too.
import { strict as assert } from 'node:assert';
import { DiagnosticCodes } from '@shared/protocol/diagnosticCodes';
import type { TokenStateParams } from '@shared/protocol/tokenState';
import { tokenFingerprint } from '@shared/tokens/fingerprint';
import { heldSpans } from '../../client/src/api/heldSecrets';
import { serverText, type Held } from '../../client/src/lsp/serverText';
import { makeJwt } from '../support/jwt';
import { TestClient } from '../support/lsp/testClient';
import { NOW, state } from '../support/lsp/tokenScenario';
import { note } from '../support/reliability/ledger';
import { holdsAny } from '../support/reliability/pieces';

/** The text as any reader could decode it: %XX and \uXXXX undone. */
function decoded(text: string): string {
  return text
    .replace(/%([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/\\u([0-9A-Fa-f]{4})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}

describe('reliability: values the extension holds, before the language server', () => {
  it('[A11] held values (an opaque long-term token, a JWT with %2E dots, a client secret in four spellings) never cross the LSP connection, offsets kept; the server knows the opaque token by fingerprint', async () => {
    const opaque = '7f3a9c1e5b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a';
    const jwt = makeJwt({ sub: 'c2m_it', jti: 'tok_st_held', exp: Math.floor(NOW / 1000) + 600 });
    const secret = 'Cl1ent/Secret"with&odd=chars';
    const held: Held = { tokens: [opaque, jwt], secrets: [secret] };
    const lines = [
      'GET http://127.0.0.1/jobs?t=' + jwt.replaceAll('.', '%2E'),
      'X-Api-Key: ' + opaque,
      'X-Encoded: ' + [...opaque].map((c) => `%${c.charCodeAt(0).toString(16)}`).join(''),
      'Authorization: Basic ' + Buffer.from(`c2m_it:${secret}`).toString('base64'),
      '',
      `{"client_secret": ${JSON.stringify(secret)}, "form": "client_secret=${encodeURIComponent(secret)}"}`,
      '',
    ];
    const text = lines.join('\n');
    const params: TokenStateParams = state();
    params.tokens.push({
      ...params.tokens[3]!,
      tokenId: 'tok_lt_opaque',
      fingerprint: tokenFingerprint(opaque),
      kind: 'long',
    });
    const lsp = TestClient.spawnBundle();
    const n = note(
      'A11',
      'request file with held values: opaque long-term token (as is and %-encoded), JWT with %2E dots, client secret in Basic, JSON and form spellings; opened and edited, verbose trace',
    );
    try {
      await lsp.initialize();
      await lsp.connection.sendNotification('$/setTrace', { value: 'verbose' });
      await lsp.tokenState(params);
      const uri = 'file:///ws/held.http';
      const opened = serverText(text, held, heldSpans);
      assert.equal(opened.length, text.length, 'same length');
      await lsp.open(uri, 'http', opened);
      const typed = `X-Late: ${encodeURIComponent(secret)} ${opaque}`;
      const change = serverText(typed, held, heldSpans);
      assert.equal(change.length, typed.length);
      await lsp.change(uri, [
        { range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }, text: change },
      ]);
      n.badInput(8);

      const items = await lsp.diagnostics(uri);
      const traffic = `${lsp.sent()}\n${lsp.traffic()}`;
      const leaked = [opaque, jwt, secret].filter(
        (v) =>
          holdsAny(traffic, [v]) ||
          holdsAny(decoded(traffic), [v]) ||
          traffic.includes(Buffer.from(`c2m_it:${secret}`).toString('base64')),
      );
      n.secretsFound(leaked.length).done();
      assert.deepEqual(
        leaked.map((v) => v.slice(0, 6)),
        [],
        'no held value or piece of one crossed, in any spelling',
      );
      const onKey = items.filter((d) => d.range.start.line === 1);
      assert.deepEqual(
        onKey.map((d) => d.code),
        [DiagnosticCodes.longTerm],
        'the opaque token is found where it is',
      );
      assert.deepEqual(onKey[0]!.range, {
        start: { line: 1, character: 'X-Api-Key: '.length },
        end: { line: 1, character: 'X-Api-Key: '.length + opaque.length },
      });
      assert.match(
        typeof onKey[0]!.message === 'string' ? onKey[0]!.message : '',
        /profile Dev/,
        'and known as ours by the fingerprint its stand-in carries',
      );
    } finally {
      lsp.dispose();
    }
  });
});
