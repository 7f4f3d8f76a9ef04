// Every language feature, over the real built bundle (dist/server.js) spawned with --stdio.
// The suite builds it first. Time is fixed through c2m/tokenState's `now`.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  CodeActionRequest,
  CodeLensRequest,
  CompletionRequest,
  HoverRequest,
  type CompletionItem,
  type MarkupContent,
  type Range,
} from 'vscode-languageserver-protocol/node';
import { ClientCommands, TOKEN_PLACEHOLDER } from '@shared/protocol/clientCommands';
import { DiagnosticCodes } from '@shared/protocol/diagnosticCodes';
import { loadFixture, rangeOf } from './fixtures';
import { SERVER_BUNDLE, TestClient } from '../support/lsp/testClient';
import { NOW, state, tokens } from '../support/lsp/tokenScenario';
import { makeJwt, makeLongTerm } from '../support/jwt';
import { GitIgnoreChangedNotification, StaleTokensRequest } from '../../server/src/messages';

const HTTP = 'file:///ws/requests.http';
const ENV = 'file:///ws/.env';

function completionItems(result: unknown): CompletionItem[] {
  if (Array.isArray(result)) return result as CompletionItem[];
  return (result as { items: CompletionItem[] } | null)?.items ?? [];
}

function messageOf(d: { message: string | MarkupContent }): string {
  return typeof d.message === 'string' ? d.message : d.message.value;
}

/** Applies an item's single-line textEdit to a line of text. */
function applyEdit(line: string, item: CompletionItem): string {
  const edit = item.textEdit as { range: Range; newText: string };
  return line.slice(0, edit.range.start.character) + edit.newText + line.slice(edit.range.end.character);
}

describe('language server over the built bundle (stdio)', function () {
  let client: TestClient;

  before(async function () {
    // The suite drives the shipped bundle, so build it first (npm test runs this part before anything else builds).
    this.timeout(120_000);
    execFileSync(process.execPath, ['esbuild.mjs'], { cwd: path.join(__dirname, '..', '..'), stdio: 'ignore' });
    assert.ok(existsSync(SERVER_BUNDLE), 'dist/server.js missing after the build');
    client = TestClient.spawnBundle();
    const init = await client.initialize();
    assert.ok(init.capabilities.codeActionProvider, 'code actions offered with codeActionLiteralSupport');
    assert.ok(init.capabilities.diagnosticProvider, 'pull diagnostics');
    await client.tokenState(state());
  });

  after(() => {
    // The last check: nothing the server sent during the whole suite holds a token value.
    const traffic = client.traffic();
    assert.ok(traffic.length > 1000, 'traffic was recorded');
    for (const [name, value] of Object.entries(tokens)) {
      assert.ok(!traffic.includes(value), `token value "${name}" crossed the LSP connection`);
      const signature = value.split('.')[2];
      if (signature) assert.ok(!traffic.includes(signature), `signature of "${name}" crossed the LSP connection`);
    }
    client.dispose();
  });

  describe('completion', () => {
    it('offers `Bearer <token: …>` per usable profile after Authorization:, active profile first, with no token value', async () => {
      const f = loadFixture('completion-auth.http');
      const uri = 'file:///ws/auth.http';
      await client.open(uri, 'http', f.text);
      const items = completionItems(
        await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: f.cursor! }),
      );
      const fresh = items.filter((i) => i.command?.command === ClientCommands.insertToken);
      // Staging has no live long-term token: no fresh token of it is offered (and Dev, the active one, is usable).
      assert.deepEqual(
        fresh.map((i) => i.label),
        ['Bearer <token: Dev>'],
      );
      assert.ok(!items.some((i) => i.command?.command === 'c2m.issueLongTermToken'));
      const args = fresh[0]!.command!.arguments![0] as ClientCommands.InsertTokenArgs;
      assert.equal(args.profileId, 'dev');
      assert.equal(args.uri, uri);
      // After the edit, the command's range holds exactly the placeholder the client will swap.
      const line = applyEdit('Authorization:', fresh[0]!);
      assert.equal(line, `Authorization: Bearer ${TOKEN_PLACEHOLDER}`);
      assert.equal(line.slice(args.range.start.character, args.range.end.character), TOKEN_PLACEHOLDER);
      assert.ok(
        items.some((i) => (i.textEdit as { newText: string }).newText === ' Bearer {{$dotenv C2M_ACCESS_TOKEN}}'),
      );
    });

    it('offers profiles that have no token only as one "issue a token first" item, which changes no byte', async () => {
      const f = loadFixture('completion-auth.http');
      const uri = 'file:///ws/auth-unusable.http';
      await client.open(uri, 'http', f.text);
      const ask = async () =>
        completionItems(
          await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: f.cursor! }),
        );
      const both = state();
      // The active profile lost its long-term token; another profile has one.
      await client.tokenState({
        ...both,
        profiles: [
          { id: 'staging', name: 'Staging', active: false, usable: true },
          { id: 'dev', name: 'Dev', active: true, usable: false },
        ],
      });
      let items = await ask();
      assert.deepEqual(
        items.filter((i) => i.command?.command === ClientCommands.insertToken).map((i) => i.label),
        ['Bearer <token: Staging>'],
      );
      let issue = items.filter((i) => i.command?.command === 'c2m.issueLongTermToken');
      assert.equal(issue.length, 1);
      assert.equal(issue[0]!.label, 'Bearer … issue a token for Dev first');
      assert.deepEqual(issue[0]!.command!.arguments, ['dev']);
      assert.equal((issue[0]!.textEdit as { newText: string }).newText, '');
      const r = (issue[0]!.textEdit as { range: { start: unknown; end: unknown } }).range;
      assert.deepEqual(r.start, r.end, 'an empty edit: the line stays as it is');
      // No profile can have a token: still one item, not one per profile.
      await client.tokenState({
        ...both,
        profiles: [
          { id: 'staging', name: 'Staging', active: false, usable: false },
          { id: 'dead', name: 'Dead Port', active: false, usable: false },
        ],
      });
      items = await ask();
      assert.equal(items.filter((i) => i.command?.command === ClientCommands.insertToken).length, 0);
      issue = items.filter((i) => i.command?.command === 'c2m.issueLongTermToken');
      assert.deepEqual(
        issue.map((i) => i.label),
        ['Bearer … issue a token for Staging first'],
      );
      await client.tokenState(both);
    });

    it('offers the whole header on a new header line', async () => {
      const f = loadFixture('completion-header.http');
      const uri = 'file:///ws/header.http';
      await client.open(uri, 'http', f.text);
      const items = completionItems(
        await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: f.cursor! }),
      );
      const first = items.find((i) => i.command?.command === ClientCommands.insertToken)!;
      assert.equal(applyEdit('', first), `Authorization: Bearer ${TOKEN_PLACEHOLDER}`);
      const args = first.command!.arguments![0] as ClientCommands.InsertTokenArgs;
      assert.deepEqual(args.range, {
        start: { line: f.cursor!.line, character: 'Authorization: Bearer '.length },
        end: { line: f.cursor!.line, character: 'Authorization: Bearer '.length + TOKEN_PLACEHOLDER.length },
      });
    });

    it('offers {{$dotenv C2M_ACCESS_TOKEN}} after {{ in a request file', async () => {
      const f = loadFixture('completion-braces.http');
      const uri = 'file:///ws/braces.http';
      await client.open(uri, 'http', f.text);
      const items = completionItems(
        await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: f.cursor! }),
      );
      assert.deepEqual(
        items.map((i) => i.label),
        ['{{$dotenv C2M_ACCESS_TOKEN}}'],
      );
    });

    it('offers nothing in a request body', async () => {
      const f = loadFixture('completion-body.http');
      const uri = 'file:///ws/body.http';
      await client.open(uri, 'http', f.text);
      const items = completionItems(
        await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: f.cursor! }),
      );
      assert.deepEqual(items, []);
    });

    it('offers C2M_ACCESS_TOKEN=<token> on a new .env line and the value after =', async () => {
      const key = loadFixture('completion-key.env');
      await client.open('file:///ws/key/.env', 'dotenv', key.text);
      const keyItems = completionItems(
        await client.connection.sendRequest(CompletionRequest.type, {
          textDocument: { uri: 'file:///ws/key/.env' },
          position: key.cursor!,
        }),
      );
      assert.equal(applyEdit('', keyItems[0]!), `C2M_ACCESS_TOKEN=${TOKEN_PLACEHOLDER}`);
      assert.equal(keyItems.length, 1, 'one per usable profile (Staging has no long-term token)');

      const value = loadFixture('completion-value.env');
      // Matched by file name even when another extension claims the language.
      await client.open('file:///ws/value/.env.local', 'properties', value.text);
      const valueItems = completionItems(
        await client.connection.sendRequest(CompletionRequest.type, {
          textDocument: { uri: 'file:///ws/value/.env.local' },
          position: value.cursor!,
        }),
      );
      assert.equal(applyEdit('C2M_ACCESS_TOKEN=', valueItems[0]!), `C2M_ACCESS_TOKEN=${TOKEN_PLACEHOLDER}`);
    });
  });

  describe('on a request file with tokens', () => {
    let text: string;
    before(async () => {
      text = loadFixture('requests.http', tokens).text;
      await client.open(HTTP, 'http', text);
    });

    it('hovers a known token: masked value, profile, kind, id, scopes, times, status, unverified claims', async () => {
      const at = rangeOf(text, tokens.valid).start;
      const hover = await client.connection.sendRequest(HoverRequest.type, {
        textDocument: { uri: HTTP },
        position: { line: at.line, character: at.character + 5 },
      });
      const md = (hover!.contents as MarkupContent).value;
      assert.match(md, /Profile \*\*Dev\*\* · short-term token/);
      assert.match(md, /Token id: `tok_st_valid`/);
      assert.match(md, /Scopes: `jobs:submit`/);
      assert.match(md, /Expires: in 12 min \(2026-01-15T12:12:04/);
      assert.match(md, /Issued: 1 min ago/);
      assert.match(md, /Status: valid/);
      assert.match(md, /not verified/);
      assert.match(md, new RegExp(`\`${tokens.valid.slice(0, 6)}… #${state().tokens[0]!.fingerprint.slice(0, 8)}\``));
      assert.deepEqual(hover!.range, rangeOf(text, tokens.valid));
    });

    it('hovers an unknown token as "not a known C2M token" with its claims marked unverified and no status', async () => {
      const at = rangeOf(text, tokens.unknown).start;
      const hover = await client.connection.sendRequest(HoverRequest.type, {
        textDocument: { uri: HTTP },
        position: at,
      });
      const md = (hover!.contents as MarkupContent).value;
      // Its claims are anyone's to write: no "Status: valid" from an unverified exp.
      assert.match(md, /Not a known C2M token \(JWT\) — claims unverified: exp in 1 h/);
      assert.match(md, /Expires \(claimed\): in 1 h/);
      assert.match(md, /Status: unknown \(not a token of this extension\)/);
      assert.doesNotMatch(md, /Status: valid/);
      assert.match(md, /Token id: `foreign-1`/);
      assert.match(md, /Scopes: `read`, `write`/);
      assert.match(md, /"sub": "someone-else"/);
    });

    it('returns no hover away from tokens', async () => {
      const hover = await client.connection.sendRequest(HoverRequest.type, {
        textDocument: { uri: HTTP },
        position: { line: 0, character: 2 },
      });
      assert.equal(hover, null);
    });

    it('shows a code lens above each request holding a token, and "Replace all stale tokens"; a token not ours gets a lens with no action', async () => {
      const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: HTTP } });
      const titles = lenses!.map((l) => `${l.range.start.line}: ${l.command!.title}`);
      const line = (needle: string) => rangeOf(text, needle).start.line;
      assert.deepEqual(titles, [
        '0: Replace all stale tokens (3)',
        `${line('POST {{host}}/jobs')}: expires in 12 min · Refresh`,
        `${line('GET {{host}}/jobs/1')}: expired 3 min ago · Replace`,
        `${line('GET {{host}}/templates')}: long-term token, expires in 90 days · Replace with short-term`,
        `${line('GET {{host}}/jobs/2')}: expires in <1 min · Refresh`,
        `${line('GET {{host}}/jobs/3')}: unknown token · claims to expire in 1 h 0 min`,
      ]);
      assert.equal(lenses!.at(-1)!.command!.command, '', 'drawn as text: nothing to click');
      assert.equal(lenses!.at(-1)!.command!.arguments, undefined);
      const replace = lenses![2]!.command!;
      assert.equal(replace.command, ClientCommands.replaceToken);
      assert.deepEqual(replace.arguments![0], {
        uri: HTTP,
        range: rangeOf(text, tokens.expired),
        fingerprint: state().tokens[1]!.fingerprint,
      });
    });

    it('reports expired, long-term and expiring tokens', async () => {
      const items = await client.diagnostics(HTTP);
      const summary = items.map((d) => [d.code, d.severity, d.range]);
      assert.deepEqual(summary, [
        [DiagnosticCodes.expired, 2, rangeOf(text, tokens.expired)],
        [DiagnosticCodes.longTerm, 2, rangeOf(text, tokens.longTerm)],
        [DiagnosticCodes.expiring, 3, rangeOf(text, tokens.expiring)],
      ]);
      assert.match(messageOf(items[0]!), /expired at 2026-01-15T11:57:00Z \(profile Dev\)/);
      assert.match(messageOf(items[1]!), /leaked long-lived secret/);
    });

    it('offers the quick fixes on a stale token', async () => {
      const range = rangeOf(text, tokens.expired);
      const diagnostics = (await client.diagnostics(HTTP)).filter((d) => d.code === DiagnosticCodes.expired);
      const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri: HTTP },
        range,
        context: { diagnostics },
      })) as {
        title: string;
        kind: string;
        command: { command: string; arguments: unknown[] };
        diagnostics?: unknown[];
      }[];
      assert.deepEqual(
        actions.map((a) => [a.title, a.command.command]),
        [
          ['Replace with a fresh short-term token', ClientCommands.replaceToken],
          [
            'Move token to .env as C2M_ACCESS_TOKEN and use {{$dotenv C2M_ACCESS_TOKEN}}',
            ClientCommands.moveTokenToEnv,
          ],
          ['Revoke this token', ClientCommands.revokeTokenByFingerprint],
          ['Replace all stale tokens in this file (3)', ClientCommands.replaceStaleTokens],
        ],
      );
      assert.ok(actions.every((a) => a.kind === 'quickfix'));
      assert.deepEqual(actions[0]!.diagnostics, diagnostics);
      assert.deepEqual(actions[1]!.command.arguments[0], { uri: HTTP, range });
    });

    it("offers neither replace nor revoke for a token that is not ours (a fresh token is no fix for anyone's string); moving it stays", async () => {
      const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri: HTTP },
        range: rangeOf(text, tokens.unknown),
        context: { diagnostics: [] },
      })) as { title: string; command: { command: string } }[];
      assert.ok(!actions.some((a) => a.command.command === ClientCommands.revokeTokenByFingerprint));
      assert.ok(!actions.some((a) => a.command.command === ClientCommands.replaceToken));
      assert.ok(actions.some((a) => a.command.command === ClientCommands.moveTokenToEnv));
      // The file has stale tokens of ours: "replace all" is still offered on this one, and replaces only those.
      assert.ok(actions.some((a) => a.title === 'Replace all stale tokens in this file (3)'));
    });

    it('lists only stale tokens of ours for "replace all": an unknown expired token or lt_ string is not among them', async () => {
      const uri = 'file:///ws/foreign-stale.http';
      const past = makeJwt({ sub: 'someone-else', exp: Math.floor((NOW - 600_000) / 1000) });
      const foreignLong = makeLongTerm('someone-elses-long');
      await client.open(
        uri,
        'http',
        `GET http://x/a\nAuthorization: Bearer ${past}\n\n###\nGET http://x/b\nX-Key: ${foreignLong}\n\n###\nGET http://x/c\nAuthorization: Bearer ${tokens.expired}\n`,
      );
      const stale = await client.connection.sendRequest(StaleTokensRequest, { uri });
      assert.deepEqual(
        stale.map((t) => t.fingerprint),
        [state().tokens[1]!.fingerprint],
      );
      const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } });
      assert.deepEqual(
        lenses!.map((l) => l.command!.title),
        [
          'Replace all stale tokens (1)',
          'unknown token · claims it expired 10 min ago',
          'unknown token',
          'expired 3 min ago · Replace',
        ],
      );
    });

    it('follows edits: a token typed into another request is found, one removed is gone', async () => {
      const uri = 'file:///ws/edit.http';
      await client.open(uri, 'http', text);
      const line = rangeOf(text, 'GET {{host}}/jobs/3').start.line;
      // Insert an Authorization header with the revoked-later token in the last request.
      await client.change(uri, [
        {
          range: { start: { line: line + 1, character: 0 }, end: { line: line + 1, character: 0 } },
          text: `X-Other: ${tokens.expired}\n`,
        },
      ]);
      let items = await client.diagnostics(uri);
      assert.equal(items.filter((d) => d.code === DiagnosticCodes.expired).length, 2);
      assert.ok(
        items.some(
          (d) =>
            d.code === DiagnosticCodes.expired &&
            d.range.start.line === line + 1 &&
            d.range.start.character === 'X-Other: '.length,
        ),
      );
      // Delete the first expired token's line.
      const first = rangeOf(text, tokens.expired).start.line;
      await client.change(uri, [
        { range: { start: { line: first, character: 0 }, end: { line: first + 1, character: 0 } }, text: '' },
      ]);
      items = await client.diagnostics(uri);
      const expired = items.filter((d) => d.code === DiagnosticCodes.expired);
      assert.equal(expired.length, 1);
      assert.equal(expired[0]!.range.start.line, line, 'the later token moved up one line');
    });

    // Last of this file's tests: the valid token is revoked from here on.
    it('turns a revoke into an error after c2m/tokenState, asking the client to pull again', async () => {
      const refreshed = client.nextRefresh();
      await client.tokenState(state({ valid: { status: 'revoked' } }));
      await refreshed;
      const items = await client.diagnostics(HTTP);
      const revoked = items.find((d) => d.code === DiagnosticCodes.revoked);
      assert.ok(revoked, 'revoked diagnostic');
      assert.equal(revoked.severity, 1);
      assert.deepEqual(revoked.range, rangeOf(text, tokens.valid));
    });
  });

  describe('on an env file', () => {
    let text: string;
    before(async () => {
      text = loadFixture('tokens.env', tokens).text;
    });

    it('warns when git does not ignore an env file holding tokens', async () => {
      client.ignoredAnswer = false;
      await client.open(ENV, 'dotenv', text);
      const items = await client.diagnostics(ENV);
      assert.deepEqual(
        items.map((d) => d.code),
        [DiagnosticCodes.envNotIgnored, DiagnosticCodes.expired, DiagnosticCodes.longTerm],
      );
      assert.deepEqual(items[1]!.range, rangeOf(text, tokens.expired));
    });

    it('does not warn when git ignores it (asked once per document)', async () => {
      client.ignoredAnswer = true;
      const uri = 'file:///ws/ignored/.env';
      const asked = client.ignoredAsked;
      await client.open(uri, 'dotenv', text);
      const items = await client.diagnostics(uri);
      await client.diagnostics(uri);
      assert.ok(!items.some((d) => d.code === DiagnosticCodes.envNotIgnored));
      assert.equal(client.ignoredAsked, asked + 1);
    });

    it('asks again after the client says what git ignores changed, and the warning goes', async () => {
      const uri = 'file:///ws/changing/.env';
      client.ignoredAnswer = false;
      await client.open(uri, 'dotenv', text);
      assert.ok((await client.diagnostics(uri)).some((d) => d.code === DiagnosticCodes.envNotIgnored));
      const asked = client.ignoredAsked;
      client.ignoredAnswer = true; // the user added the file to .gitignore
      const refreshed = client.nextRefresh();
      await client.connection.sendNotification(GitIgnoreChangedNotification, {});
      await refreshed;
      assert.ok(!(await client.diagnostics(uri)).some((d) => d.code === DiagnosticCodes.envNotIgnored));
      assert.equal(client.ignoredAsked, asked + 1);
    });

    it('offers "Add this file to .gitignore" for the warning', async () => {
      client.ignoredAnswer = false;
      const uri = 'file:///ws/fixable/.env';
      await client.open(uri, 'dotenv', text);
      const warning = (await client.diagnostics(uri)).find((d) => d.code === DiagnosticCodes.envNotIgnored)!;
      const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri },
        range: warning.range,
        context: { diagnostics: [warning] },
      })) as { title: string; command: { command: string; arguments: unknown[] } }[];
      const fix = actions.find((a) => a.command.command === ClientCommands.addToGitIgnore);
      assert.ok(fix, actions.map((a) => a.title).join(', '));
      assert.equal(fix.title, 'Add this file to .gitignore');
      assert.deepEqual(fix.command.arguments, [{ uri }]);
    });

    it('puts a code lens on each token line, and offers no "move to .env" in an env file', async () => {
      const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: ENV } });
      assert.deepEqual(
        lenses!.map((l) => `${l.range.start.line}: ${l.command!.title}`),
        [
          '0: Replace all stale tokens (2)',
          '1: expired 3 min ago · Replace',
          '3: long-term token, expires in 90 days · Replace with short-term',
        ],
      );
      const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri: ENV },
        range: rangeOf(text, tokens.expired),
        context: { diagnostics: [] },
      })) as { command: { command: string } }[];
      assert.ok(!actions.some((a) => a.command.command === ClientCommands.moveTokenToEnv));
    });
  });
});
