// The server's connection in-process (two streams), where the clock and timers can be faked:
// expiry crossings schedule a refresh, capabilities are read from the client, handlers fail soft.
import assert from 'node:assert/strict';
import { CodeActionRequest, CompletionRequest, HoverRequest } from 'vscode-languageserver-protocol/node';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ScanFilesRequest } from '../../server/src/messages';
import { DiagnosticCodes } from '@shared/protocol/diagnosticCodes';
import { tokenFingerprint } from '@shared/tokens/fingerprint';
import { redactTokens } from '@shared/tokens/redactTokens';
import { FakeTimers } from './fakeTimers';
import { TestClient } from '../support/lsp/testClient';
import { MARGIN, NOW, state, tokens } from '../support/lsp/tokenScenario';

describe('language server in-process', () => {
  let timers: FakeTimers;
  let client: TestClient;

  beforeEach(() => {
    timers = new FakeTimers();
    client = TestClient.inProcess({ now: () => timers.now, timers });
  });
  afterEach(() => client.dispose());

  it('re-pulls diagnostics when a token enters the refresh margin and when it expires', async () => {
    await client.initialize();
    await client.tokenState(state());
    const uri = 'file:///ws/one.http';
    await client.open(uri, 'http', `GET http://127.0.0.1/jobs\nAuthorization: Bearer ${tokens.valid}\n`);
    assert.deepEqual(await client.diagnostics(uri), []);

    const expiresAt = state().tokens[0]!.expiresAt;
    // The earliest crossing of any known token: the "expiring" one is already inside the margin, so its expiry.
    assert.equal(timers.nextAt, NOW + 30_500);
    let refreshed = client.nextRefresh();
    timers.advanceTo(expiresAt - MARGIN);
    await refreshed;
    assert.deepEqual(
      (await client.diagnostics(uri)).map((d) => d.code),
      [DiagnosticCodes.expiring],
    );

    refreshed = client.nextRefresh();
    timers.advanceTo(expiresAt);
    await refreshed;
    const after = await client.diagnostics(uri);
    assert.deepEqual(
      after.map((d) => [d.code, d.severity]),
      [[DiagnosticCodes.expired, 2]],
    );
    assert.ok(client.codeLensRefreshes >= 2, 'code lenses are refreshed with diagnostics');
  });

  it('schedules from the token claims of an unknown token too', async () => {
    await client.initialize();
    const uri = 'file:///ws/two.http';
    await client.open(uri, 'http', `GET http://127.0.0.1/jobs\nAuthorization: Bearer ${tokens.unknown}\n`);
    assert.deepEqual(await client.diagnostics(uri), []);
    assert.equal(timers.nextAt, NOW + 3_600_500 - 60_000, 'next crossing: entering the default margin');
  });

  it('offers code actions only to clients with codeActionLiteralSupport, and never sends refresh without refreshSupport', async () => {
    const init = await client.initialize({ textDocument: {}, workspace: {} });
    assert.equal(init.capabilities.codeActionProvider, undefined);
    const uri = 'file:///ws/three.http';
    await client.open(uri, 'http', `GET http://127.0.0.1/jobs\nAuthorization: Bearer ${tokens.expired}\n`);
    const actions = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: { start: { line: 1, character: 25 }, end: { line: 1, character: 25 } },
      context: { diagnostics: [] },
    });
    assert.deepEqual(actions, []);
    await client.tokenState(state());
    assert.equal((await client.diagnostics(uri))[0]!.code, DiagnosticCodes.expired);
    assert.equal(client.refreshes, 0);
  });

  it('answers "unchanged" when the diagnostics are the same as the last report, and a full report when they differ', async () => {
    await client.initialize();
    await client.tokenState(state());
    const uri = 'file:///ws/report.http';
    await client.open(uri, 'http', `GET http://127.0.0.1/jobs\nAuthorization: Bearer ${tokens.expired}\n`);
    const first = await client.diagnosticReport(uri);
    assert.equal(first.kind, 'full');
    const id = (first as { resultId?: string }).resultId;
    assert.ok(id);
    // A one-character edit that leaves the token alone.
    await client.change(uri, [
      { range: { start: { line: 0, character: 4 }, end: { line: 0, character: 4 } }, text: 'x' },
    ]);
    assert.deepEqual(await client.diagnosticReport(uri, id), { kind: 'unchanged', resultId: id });
    // Removing the token changes the answer.
    await client.change(uri, [
      { range: { start: { line: 1, character: 0 }, end: { line: 2, character: 0 } }, text: '' },
    ]);
    const third = await client.diagnosticReport(uri, id);
    assert.equal(third.kind, 'full');
    assert.deepEqual((third as { items: unknown[] }).items, []);
  });

  it('recognises tokens in the redacted text the client syncs (stand-ins carry the fingerprint)', async () => {
    await client.initialize();
    await client.tokenState(state());
    const uri = 'file:///ws/redacted.http';
    const text = redactTokens(
      `GET http://127.0.0.1/jobs\nAuthorization: Bearer ${tokens.expired}\nX-Key: ${tokens.longTerm}\n`,
    );
    assert.ok(!text.includes(tokens.expired) && !text.includes(tokens.longTerm));
    await client.open(uri, 'http', text);
    const items = await client.diagnostics(uri);
    assert.deepEqual(
      items.map((d) => [d.code, d.range.start.line]),
      [
        [DiagnosticCodes.expired, 1],
        [DiagnosticCodes.longTerm, 2],
      ],
    );
    assert.match(items[0]!.message as string, /\(profile Dev\)/, 'known by the fingerprint its stand-in carries');
    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: { line: 1, character: 30 },
    });
    assert.match((hover!.contents as { value: string }).value, /Token id: `tok_st_old`/);
  });

  it('scans files it reads itself for the workspace leak scan, answering metadata only', async () => {
    await client.initialize();
    const dir = mkdtempSync(path.join(tmpdir(), 'c2m-scan-'));
    try {
      const file = path.join(dir, 'leak.txt');
      writeFileSync(file, `token=${tokens.longTerm}\nbearer ${tokens.valid}\n`);
      const result = await client.connection.sendRequest(ScanFilesRequest, {
        uris: [pathToFileURL(file).href],
        maxFileBytes: 1_000_000,
        maxFindings: 10,
      });
      assert.deepEqual(
        result.findings.map((f) => [f.shape, f.range.start.line, f.fingerprint]),
        [
          ['longTerm', 0, tokenFingerprint(tokens.longTerm)],
          ['jwt', 1, tokenFingerprint(tokens.valid)],
        ],
      );
      assert.ok(!client.traffic().includes(tokens.valid) && !client.traffic().includes(tokens.longTerm));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers empty for unknown documents and for files that are not request or env files', async () => {
    await client.initialize();
    await client.open('file:///ws/notes.md', 'markdown', `Authorization: Bearer ${tokens.valid}`);
    assert.deepEqual(await client.diagnostics('file:///ws/notes.md'), []);
    assert.equal(
      await client.connection.sendRequest(HoverRequest.type, {
        textDocument: { uri: 'file:///nope.http' },
        position: { line: 0, character: 0 },
      }),
      null,
    );
    assert.deepEqual(
      await client.connection.sendRequest(CompletionRequest.type, {
        textDocument: { uri: 'file:///nope.http' },
        position: { line: 0, character: 0 },
      }),
      [],
    );
  });

  it('survives a hostile document: no crash, a bounded answer, no token value sent', async () => {
    await client.initialize();
    await client.tokenState(state());
    const uri = 'file:///ws/hostile.http';
    const junk = `GET http://x\nAuthorization: Bearer ${'eyJ'.repeat(400_000)}\n\u0000\u0000${tokens.expired}\r\n${'x'.repeat(100)}`;
    await client.open(uri, 'http', junk);
    const items = await client.diagnostics(uri);
    assert.deepEqual(
      items.map((d) => d.code),
      [DiagnosticCodes.expired],
    );
    assert.deepEqual(items[0]!.range, {
      start: { line: 2, character: 2 },
      end: { line: 2, character: 2 + tokens.expired.length },
    });
    assert.ok(!client.traffic().includes(tokens.expired));
  });
});
