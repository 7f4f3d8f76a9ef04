// The destination guard inside real VS Code (code-server): two sandboxes, two origins, one profile each. A request to
// sandbox B that carries profile A's token (behind a file variable) gets the warning; the quick fix "Use the token of
// profile B" puts B's fresh short-term token in place of the reference, and sandbox B accepts it (200). A request to
// an origin no profile has gets only the fixes that stop the token going there ("Remove the Authorization header",
// which keeps every other byte of the file) and a completion hint instead of tokens.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { C2mTestApi } from '../../client/src/integrations/extensionApi';
import type { Sandbox } from '../../sandbox/src/types';
import { ClientCommands } from '@shared/protocol/clientCommands';
import { DiagnosticCodes } from '@shared/protocol/diagnosticCodes';
import { tokenFingerprint } from '@shared/tokens/fingerprint';
import {
  addProfile,
  config,
  quickFixesAt,
  eventually,
  profileFor,
  run,
  startTestSandbox,
  userProfiles,
  workspaceFile,
  type TestClients,
} from '../support/inHost/extension';
import { endSuiteSandbox, startSuiteSandbox } from '../support/inHost/suiteSetup';

const SECRET = 'it-dest-client-secret-41c9';
const A = 'it-dest-a';
const B = 'it-dest-b';

const codeOf = (d: vscode.Diagnostic): string => String(typeof d.code === 'object' ? d.code.value : d.code);

describe('destination guard in real VS Code', () => {
  let api: C2mTestApi;
  let clients: TestClients;
  let sandboxA: Sandbox;
  let sandboxB: Sandbox;

  before(async () => {
    ({ api, clients, sandbox: sandboxA } = await startSuiteSandbox(SECRET));
    sandboxB = await startTestSandbox(clients);
    await addProfile(api, profileFor(A, sandboxA.baseUrl, clients.secret, 'client_secret'));
    await addProfile(api, profileFor(B, sandboxB.baseUrl, clients.secret, 'client_secret'));
    await config().update('activeProfile', A, vscode.ConfigurationTarget.Global);
    api.testing.syncProfiles();
    for (const id of [A, B]) {
      await api.testing.engine.setClientSecret(id, SECRET);
      assert.ok(await run('c2m.issueLongTermToken', id), `long-term token of ${id} issued`);
    }
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await endSuiteSandbox(
      api,
      sandboxA,
      userProfiles().map((p) => p.id),
    );
    await sandboxB.stop();
  });

  it('at an origin no profile has: no Replace or Move, "Remove the Authorization header" keeps every other byte (CRLF), the warning goes, completion only hints', async () => {
    const tokenA = await api.testing.getShortTermToken(A);
    const file = workspaceFile('dest-foreign-it.http');
    const head = '# to a host without a profile\r\nGET https://no-profile.invalid/jobs HTTP/1.1\r\nAccept: */*\r\n';
    const tail = 'X-Trace: 1\r\n\r\n{"a": 1}\r\n';
    fs.writeFileSync(file, `${head}Authorization: Bearer ${tokenA}\r\n${tail}`);
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    const warning = await eventually(
      () => vscode.languages.getDiagnostics(doc.uri).find((d) => codeOf(d) === DiagnosticCodes.wrongDestination),
      'the destination warning',
      40_000,
    );
    assert.equal(warning.message, 'Token of profile "IT it-dest-a" sent to https://no-profile.invalid');
    const related = (warning.relatedInformation ?? []).map((r) => r.message).join('\n');
    assert.match(related, /No C2M profile has the origin https:\/\/no-profile\.invalid/);
    assert.ok(related.includes(`belongs to ${new URL(sandboxA.baseUrl).origin}`), related);

    const at = warning.range.start.translate(0, 3);
    const actions = await quickFixesAt(doc, at);
    const commands = actions.map((a) => a.command?.command);
    for (const keeps of [ClientCommands.replaceToken, ClientCommands.moveTokenToEnv, ClientCommands.useProfileToken])
      assert.ok(!commands.includes(keeps), `${keeps} offered: ${actions.map((a) => a.title).join(', ')}`);
    const remove = actions.find((a) => a.command?.command === ClientCommands.removeToken);
    assert.ok(remove?.command, `the remove fix (got ${actions.map((a) => a.title).join(', ')})`);
    assert.equal(remove.title, 'Remove the Authorization header');
    await vscode.commands.executeCommand(remove.command.command, ...(remove.command.arguments ?? []));
    await eventually(() => (doc.getText().includes('Authorization') ? undefined : true), 'the header removed');
    assert.equal(doc.getText(), `${head}${tail}`, 'every other byte kept, CRLF included');
    assert.ok(await doc.save());
    assert.equal(fs.readFileSync(file, 'utf8'), `${head}${tail}`);
    await eventually(
      () =>
        vscode.languages.getDiagnostics(doc.uri).some((d) => codeOf(d) === DiagnosticCodes.wrongDestination)
          ? undefined
          : true,
      'the warning to clear',
    );

    // Typing the header again: one hint says why nothing is offered, and accepting it would change nothing.
    const editor = await vscode.window.showTextDocument(doc);
    const line = 3;
    assert.ok(await editor.edit((e) => e.insert(new vscode.Position(line, 0), 'Authorization: \r\n')));
    const cursor = new vscode.Position(line, 'Authorization: '.length);
    editor.selection = new vscode.Selection(cursor, cursor);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      doc.uri,
      cursor,
    );
    const label = (i: vscode.CompletionItem): string => (typeof i.label === 'string' ? i.label : i.label.label);
    assert.ok(!list.items.some((i) => i.command?.command === ClientCommands.insertToken), 'no token offered');
    const hint = list.items.find((i) => label(i).startsWith('No C2M profile for https://no-profile.invalid'));
    assert.ok(hint, `the hint (got ${list.items.map(label).join(', ')})`);
    assert.equal(typeof hint.insertText === 'string' ? hint.insertText : hint.insertText?.value, '');
    assert.equal(hint.command, undefined);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it("warns on profile A's token sent to B's origin; \"Use the token of profile B\" puts B's token there and B accepts it (200)", async () => {
    const tokenA = await api.testing.getShortTermToken(A);
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const file = path.join(folder.uri.fsPath, 'dest-it.http');
    fs.writeFileSync(
      file,
      `@token = ${tokenA}\n@host = ${new URL(sandboxB.baseUrl).host}\n\n### Echo at B\nPOST http://{{host}}/jobs/echo\nAuthorization: Bearer {{token}}\nContent-Type: application/json\n\n{}\n`,
    );
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);

    const warning = await eventually(
      () => vscode.languages.getDiagnostics(doc.uri).find((d) => codeOf(d) === DiagnosticCodes.wrongDestination),
      'the destination warning',
      40_000,
    );
    assert.equal(warning.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(doc.getText(warning.range), '{{token}}');
    assert.match(warning.message, /profile "IT it-dest-a"/);
    assert.ok(warning.message.includes(new URL(sandboxB.baseUrl).hostname));
    assert.ok(!warning.message.includes(tokenA), 'no token value in the message');

    const at = warning.range.start.translate(0, 2);
    const actions = await quickFixesAt(doc, at);
    const fix = actions.find((a) => a.command?.command === ClientCommands.useProfileToken);
    assert.ok(fix?.command, `the fix is offered (got ${actions.map((a) => a.title).join(', ')})`);
    assert.equal(fix.title, 'Use the token of profile "IT it-dest-b"');
    assert.ok(
      !actions.some((a) => a.title.includes('it-dest-a') && a.command?.command === ClientCommands.useProfileToken),
      'no fix with the profile of another origin',
    );
    await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));

    const header = await eventually(() => {
      const line = doc.lineAt(warning.range.start.line).text;
      return line.includes('{{token}}') ? undefined : line;
    }, 'the reference replaced');
    const tokenB = /Bearer (\S+)/.exec(header)?.[1];
    assert.ok(tokenB);
    const short = api.tokens.tokens().find((t) => t.profileId === B && t.kind === 'short');
    assert.equal(tokenFingerprint(tokenB), short?.fingerprint, "profile B's current short-term token");
    const response = await fetch(`${sandboxB.baseUrl}/jobs/echo`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${tokenB}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    assert.equal(response.status, 200);
    await eventually(
      () =>
        vscode.languages.getDiagnostics(doc.uri).some((d) => codeOf(d) === DiagnosticCodes.wrongDestination)
          ? undefined
          : true,
      'the warning to clear',
    );
  });
});
