// The language features inside real VS Code (code-server), against a sandbox started here: accept the completion
// in a .http file, send the inserted token to the sandbox's protected resource (200); revoke it, see the
// diagnostic, apply the quick fix, and get 200 again with the replacement.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { C2mTestApi } from '../../client/src/integrations/extensionApi';
import type { Sandbox } from '../../sandbox/src/types';
import { gitIgnoreStatus } from '../../client/src/integrations/gitIgnore';
import { ClientCommands, TOKEN_PLACEHOLDER } from '@shared/protocol/clientCommands';
import { DiagnosticCodes } from '@shared/protocol/diagnosticCodes';
import { tokenFingerprint } from '@shared/tokens/fingerprint';
import {
  addProfile,
  config,
  cursorAt,
  quickFixesAt,
  eventually,
  profileFor,
  run,
  userProfiles,
  type TestClients,
  workspaceFile,
} from '../support/inHost/extension';
import { endSuiteSandbox, startSuiteSandbox } from '../support/inHost/suiteSetup';

const SECRET = 'it-lsp-client-secret-77b2';
const PROFILE = 'it-lsp';

const BEARER = /Bearer (eyJ[\w-]+\.[\w-]+\.[\w-]+)/;

function tokenIn(doc: vscode.TextDocument): { value: string; range: vscode.Range } | undefined {
  for (let i = 0; i < doc.lineCount; i++) {
    const m = BEARER.exec(doc.lineAt(i).text);
    if (m?.[1]) {
      const start = m.index + 'Bearer '.length;
      return { value: m[1], range: new vscode.Range(i, start, i, start + m[1].length) };
    }
  }
  return undefined;
}

async function callEcho(
  baseUrl: string,
  token: string,
): Promise<{ status: number; body: { token?: { token_id?: string } } }> {
  const response = await fetch(`${baseUrl}/jobs/echo`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: '{}',
  });
  return { status: response.status, body: (await response.json()) as { token?: { token_id?: string } } };
}

/** The title of the (first) token lens of a document: its countdown or state. */
async function tokenLensTitle(d: vscode.TextDocument): Promise<string | undefined> {
  const all = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', d.uri);
  return all.find((l) => l.command?.command === ClientCommands.replaceToken)?.command?.title;
}

describe('language features in real VS Code', () => {
  let api: C2mTestApi;
  let sandbox: Sandbox;
  let clients: TestClients;
  let doc: vscode.TextDocument;

  before(async () => {
    ({ api, clients, sandbox } = await startSuiteSandbox(SECRET));
    await addProfile(api, profileFor(PROFILE, sandbox.baseUrl, clients.secret, 'client_secret'));
    await config().update('activeProfile', PROFILE, vscode.ConfigurationTarget.Global);
    api.testing.syncProfiles();
    await api.testing.engine.setClientSecret(PROFILE, SECRET);
    assert.ok(await run('c2m.issueLongTermToken', PROFILE), 'long-term token issued');

    const file = workspaceFile('lsp-it.http');
    fs.writeFileSync(
      file,
      `### Echo\nPOST ${sandbox.baseUrl}/jobs/echo\nAuthorization:\nContent-Type: application/json\n\n{}\n`,
    );
    doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'http');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await endSuiteSandbox(
      api,
      sandbox,
      userProfiles().map((p) => p.id),
    );
  });

  it('completes a fresh token after Authorization:, and the sandbox accepts it (200)', async () => {
    const position = new vscode.Position(2, 'Authorization:'.length);
    // The first request also waits for the lazily started language server.
    const item = await eventually(async () => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        doc.uri,
        position,
      );
      return list.items.find((i) => i.command?.command === ClientCommands.insertToken);
    }, 'the fresh-token completion');
    assert.match(typeof item.label === 'string' ? item.label : item.label.label, /^Bearer <token: IT it-lsp>$/);

    // Accept it as the suggest widget does: apply the item's edit, the cursor after it, then run its command.
    const range = item.range instanceof vscode.Range ? item.range : item.range!.replacing;
    const edit = new vscode.WorkspaceEdit();
    const text = typeof item.insertText === 'string' ? item.insertText : item.insertText!.value;
    edit.replace(doc.uri, range, text);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(doc.lineAt(2).text.includes(TOKEN_PLACEHOLDER));
    await cursorAt(doc, range.start.translate(0, text.length));
    await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []));

    const inserted = await eventually(() => tokenIn(doc), 'the inserted token');
    assert.ok(!doc.getText().includes(TOKEN_PLACEHOLDER));
    const short = api.tokens.tokens().find((t) => t.profileId === PROFILE && t.kind === 'short');
    assert.equal(
      tokenFingerprint(inserted.value),
      short?.fingerprint,
      'the profile’s current short-term token was inserted',
    );
    const echo = await callEcho(sandbox.baseUrl, inserted.value);
    assert.equal(echo.status, 200);
    assert.equal(echo.body.token?.token_id, short?.tokenId);
  });

  it('revoked: the diagnostic appears; the quick fix replaces the token and the sandbox accepts the new one (200)', async () => {
    const old = tokenIn(doc)!;
    // The same token in a second file, which nobody fixes: it must stay revoked once a newer token exists.
    const otherFile = workspaceFile('lsp-it-other.http');
    fs.writeFileSync(otherFile, `GET ${sandbox.baseUrl}/jobs\nAuthorization: Bearer ${old.value}\n`);
    const otherDoc = await vscode.workspace.openTextDocument(otherFile);
    await api.testing.engine.revokeByFingerprint(tokenFingerprint(old.value));
    assert.equal((await callEcho(sandbox.baseUrl, old.value)).status, 401);

    const diagnostic = await eventually(
      () =>
        vscode.languages
          .getDiagnostics(doc.uri)
          .find((d) => String(typeof d.code === 'object' ? d.code.value : d.code) === DiagnosticCodes.revoked),
      'the revoked-token diagnostic',
    );
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.ok(diagnostic.range.isEqual(old.range));

    // Ctrl+. with the cursor on the token: the quick fixes are asked for (and run) there.
    const onToken = old.range.start.translate(0, 5);
    const actions = await quickFixesAt(doc, onToken);
    const fix = actions.find((a) => a.title === 'Replace with a fresh short-term token');
    assert.ok(fix?.command, 'quick fix offered');
    assert.ok(
      !actions.some((a) => a.title === 'Revoke this token'),
      'an already revoked token is not offered for revocation',
    );
    await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));

    const replaced = await eventually(() => {
      const now = tokenIn(doc);
      return now && now.value !== old.value ? now : undefined;
    }, 'the replacement token');
    const echo = await callEcho(sandbox.baseUrl, replaced.value);
    assert.equal(echo.status, 200);
    await eventually(
      () =>
        vscode.languages
          .getDiagnostics(doc.uri)
          .some((d) => String(typeof d.code === 'object' ? d.code.value : d.code) === DiagnosticCodes.revoked)
          ? undefined
          : true,
      'the diagnostic to clear',
    );
    // The trial's bug: the revoked token elsewhere read "valid" with a countdown once the fix issued a newer one.
    assert.equal(await tokenLensTitle(otherDoc), 'revoked · Replace');
    assert.match((await tokenLensTitle(doc)) ?? '', /^expires in (\d+ min|<1 min) · Refresh$/, 'minute granularity');
  });

  it('moves a literal token into .env behind {{$dotenv C2M_ACCESS_TOKEN}}, and replaces every stale token of ours at once (the lens asks first)', async () => {
    // Tokens that look expired (fake signatures: nobody will send them anywhere).
    const past = Math.floor(Date.now() / 1000) - 600;
    const fake = (sub: string): string =>
      `${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub, exp: past })).toString('base64url')}.c2lnbmF0dXJlLW5vdC1jaGVja2Vk`;
    const dir = path.join(path.dirname(workspaceFile('x')), 'lsp-move');
    fs.mkdirSync(dir, { recursive: true });
    const movable = fake('move-me');
    const file = path.join(dir, 'move.http');
    fs.writeFileSync(file, `GET ${sandbox.baseUrl}/jobs\nAuthorization: Bearer ${movable}\n`);
    const moveDoc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(moveDoc);
    const range = new vscode.Range(
      1,
      'Authorization: Bearer '.length,
      1,
      'Authorization: Bearer '.length + movable.length,
    );
    await eventually(
      () =>
        vscode.languages
          .getDiagnostics(moveDoc.uri)
          .some((d) => String(typeof d.code === 'object' ? d.code.value : d.code) === DiagnosticCodes.expired)
          ? true
          : undefined,
      'the expired-token diagnostic',
    );
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      moveDoc.uri,
      range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const move = actions.find((a) => a.command?.command === ClientCommands.moveTokenToEnv);
    assert.ok(move?.command, 'move-to-.env offered');
    // Unless git says it ignores the .env (the run folder may sit in an ignored folder of a repository), the user is
    // asked once whether to write to it.
    const envStatus = await gitIgnoreStatus(path.join(dir, '.env'), {
      trusted: true,
      workspaceDirs: [path.dirname(workspaceFile('x'))],
    });
    if (envStatus !== 'ignored') api.testing.answer('Write to This File');
    await vscode.commands.executeCommand(move.command.command, ...(move.command.arguments ?? []));
    assert.equal(api.testing.pendingAnswers(), 0, 'asked whether to write to a file git may not ignore');
    await eventually(
      () => (moveDoc.getText().includes('Bearer {{$dotenv C2M_ACCESS_TOKEN}}') ? true : undefined),
      'the reference in place of the token',
    );
    assert.equal(fs.readFileSync(path.join(dir, '.env'), 'utf8'), `C2M_ACCESS_TOKEN=${movable}\n`);

    // Two stale tokens of ours in one file (both revoked), and one that is not ours: the lens counts and replaces ours
    // only, with the profile's fresh token, once the user said yes in the dialog a lens click opens.
    const one = await api.testing.getShortTermToken(PROFILE);
    await api.testing.engine.revokeByFingerprint(tokenFingerprint(one));
    const two = await api.testing.getShortTermToken(PROFILE);
    await api.testing.engine.revokeByFingerprint(tokenFingerprint(two));
    const foreign = fake('not-ours');
    const staleFile = path.join(dir, 'stale.http');
    fs.writeFileSync(
      staleFile,
      `### a\nGET ${sandbox.baseUrl}/a\nAuthorization: Bearer ${one}\n\n### b\nGET ${sandbox.baseUrl}/b\nAuthorization: Bearer ${two}\n\n### c\nGET ${sandbox.baseUrl}/c\nAuthorization: Bearer ${foreign}\n`,
    );
    const staleDoc = await vscode.workspace.openTextDocument(staleFile);
    await vscode.window.showTextDocument(staleDoc);
    const lenses = await eventually(async () => {
      const all = await vscode.commands.executeCommand<vscode.CodeLens[]>(
        'vscode.executeCodeLensProvider',
        staleDoc.uri,
      );
      return all.find((l) => l.command?.command === ClientCommands.replaceStaleTokens);
    }, 'the "Replace all stale tokens" lens');
    assert.equal(lenses.command!.title, 'Replace all stale tokens (2)');
    api.testing.answer('Replace');
    await vscode.commands.executeCommand(lenses.command!.command, ...(lenses.command!.arguments ?? []));
    assert.equal(api.testing.pendingAnswers(), 0, 'the lens asked before replacing');
    const fresh = await eventually(() => {
      const values = [...staleDoc.getText().matchAll(/Bearer (eyJ\S+)/g)].map((m) => m[1]!);
      return values.length === 3 && values[0] !== one && values[1] !== two ? values : undefined;
    }, 'both stale tokens of ours replaced');
    assert.equal(fresh[0], fresh[1]);
    assert.equal(fresh[2], foreign, 'the token that is not ours is left as it was');
    assert.equal((await callEcho(sandbox.baseUrl, fresh[0]!)).status, 200);
  });

  it('hovers the inserted token with its profile, never showing the value', async () => {
    const t = tokenIn(doc)!;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      doc.uri,
      t.range.start.translate(0, 3),
    );
    const text = hovers
      .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : '')))
      .join('\n');
    assert.match(text, /Profile \*\*IT it-lsp\*\* · short-term token/);
    assert.ok(!text.includes(t.value));
  });

  it('after sign-out (which revokes every token) the file shows the token revoked, with no countdown', async () => {
    await api.testing.engine.signOut(PROFILE);
    const t = tokenIn(doc)!;
    await eventually(
      () =>
        vscode.languages
          .getDiagnostics(doc.uri)
          .some((d) => String(typeof d.code === 'object' ? d.code.value : d.code) === DiagnosticCodes.revoked)
          ? true
          : undefined,
      'the revoked diagnostic after sign-out',
    );
    assert.equal(await tokenLensTitle(doc), 'revoked · Replace');
    assert.equal((await callEcho(sandbox.baseUrl, t.value)).status, 401);
  });
});
