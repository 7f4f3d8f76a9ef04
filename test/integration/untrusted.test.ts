// Restricted Mode for real: `node scripts/testIntegration.mjs --untrusted` (the `untrusted` part of `npm test`) opens
// test/fixtures/untrusted-workspace with workspace trust on and never granted. Its settings point a profile's base URL
// at a server this suite starts and counts requests on: nothing may reach it, nothing may be issued or inserted, and
// the .env sync writes nothing. Every other run trusts its workspace, and this suite skips itself there.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { C2mTestApi } from '../../client/src/integrations/extensionApi';
import type { Profile } from '../../client/src/core/profile';
import type { EnvSyncOutcome } from '../../client/src/integrations/envSync';
import { REQUEST_TOOL_NAME } from '../../client/src/integrations/agentTools/requestTool';
import { STATUS_TOOL_NAME } from '../../client/src/integrations/agentTools/statusTool';
import { TOKEN_PLACEHOLDER } from '@shared/protocol/clientCommands';
import {
  acceptTokenCompletion,
  addProfile,
  c2mApi,
  config,
  exchangesOf,
  profileFor,
  run,
  setProfiles,
  startTestSandbox,
  testClients,
} from '../support/inHost/extension';

const PROFILE_ID = 'ws-elsewhere';
const USER_PROFILE_ID = 'user-untrusted';

/** A loopback server on `port` that answers 500 to everything and counts what it received. */
async function countingServer(port: number): Promise<{ count(): number; close(): Promise<void> }> {
  let received = 0;
  const server: Server = createServer((req, res) => {
    received++;
    req.resume();
    res.writeHead(500).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    count: () => received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Resolves once the placeholder has left the document (on its change events; the suite's timeout bounds the wait). */
function placeholderGone(doc: vscode.TextDocument): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (doc.getText().includes(TOKEN_PLACEHOLDER)) return;
      sub.dispose();
      resolve();
    };
    const sub = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === doc) check();
    });
    check();
  });
}

/** Clears notification toasts (re-checking on a short poll) until `work` has settled. */
async function dismissToastsUntil(work: Thenable<unknown>): Promise<void> {
  let settled = false;
  const finished = Promise.resolve(work).finally(() => {
    settled = true;
  });
  while (!settled) {
    await vscode.commands.executeCommand('notifications.clearAll');
    await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, 50))]);
  }
  await finished;
}

describe('untrusted workspace (Restricted Mode, real workspace trust)', function () {
  let api: C2mTestApi;
  let folder: string;
  let server: Awaited<ReturnType<typeof countingServer>>;

  before(async function () {
    // Only the --untrusted run opens an untrusted workspace; in the trusted runs this suite has nothing to prove.
    if (vscode.workspace.isTrusted !== false) return this.skip();
    api = await c2mApi();
    const root = vscode.workspace.workspaceFolders?.[0];
    assert.ok(root, 'the untrusted fixture is open');
    folder = root.uri.fsPath;
    // The runner gave the fixture's base URL a free port; the workspace settings on disk say which.
    const settings = JSON.parse(fs.readFileSync(path.join(folder, '.vscode', 'settings.json'), 'utf8')) as {
      'c2m.profiles': { baseUrl: string }[];
    };
    server = await countingServer(Number(new URL(settings['c2m.profiles'][0]!.baseUrl).port));
  });

  after(async () => {
    await server?.close();
  });

  it('the workspace is not trusted', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('VS Code withholds the workspace profile (c2m.profiles is a restricted configuration): the extension never sees it', () => {
    const onDisk = fs.readFileSync(path.join(folder, '.vscode', 'settings.json'), 'utf8');
    assert.ok(onDisk.includes(PROFILE_ID), 'the workspace settings on disk define the profile');
    assert.equal(
      config().inspect('profiles')?.workspaceValue,
      undefined,
      'no workspace value reaches the extension host',
    );
    assert.equal(
      api.tokens.profiles().some((p) => p.id === PROFILE_ID),
      false,
      'the engine has no such profile',
    );
  });

  it('issuing a long-term token or a short-term token for the workspace profile sends nothing and tells the user', async () => {
    const before = api.testing.noticeMark();
    assert.equal(await run('c2m.issueLongTermToken', PROFILE_ID), undefined, 'nothing issued');
    const told = api.testing.noticesSince(before).map((n) => n.message);
    assert.ok(
      told.some((m) => m.includes(`no profile "${PROFILE_ID}"`) && m.includes('Restricted Mode')),
      `the user is told why: ${JSON.stringify(told)}`,
    );
    await assert.rejects(api.testing.getShortTermToken(PROFILE_ID), /no C2M profile "ws-elsewhere"/);
    assert.equal(server.count(), 0, 'no request reached the base URL from workspace settings');
    assert.deepEqual(
      api.tokens.tokens().filter((t) => t.profileId === PROFILE_ID),
      [],
      'no token of the workspace profile',
    );
  });

  it('the insert-token command (completion) inserts nothing into a .http file, even for a User-settings profile with a token', async () => {
    // A User profile may use the network in Restricted Mode, so a long-term token is issued for it here: the only
    // thing that can then keep a token out of the file is the trust check, and the sandbox shows no exchange.
    const clients = testClients(`untrusted-${randomBytes(12).toString('hex')}`);
    const sandbox = await startTestSandbox(clients);
    try {
      await addProfile(api, profileFor(USER_PROFILE_ID, sandbox.baseUrl, clients.secret, 'client_secret'));
      await api.testing.engine.setClientSecret(USER_PROFILE_ID, clients.secret.clientSecret!);
      assert.ok(
        await run('c2m.issueLongTermToken', USER_PROFILE_ID),
        'a User-settings profile works in Restricted Mode',
      );
      const exchanges = exchangesOf(sandbox);

      // A request to the profile's own origin: a request to another host is offered no token at all.
      const file = path.join(folder, 'requests-user.http');
      fs.writeFileSync(file, `GET ${sandbox.baseUrl}/jobs\nAuthorization: \n`);
      const doc = await vscode.workspace.openTextDocument(file);
      // Accepting the completion: the placeholder goes in, then the command is to fill it.
      const { command } = await acceptTokenCompletion(
        doc,
        new vscode.Position(1, 'Authorization:'.length),
        `IT ${USER_PROFILE_ID}`,
      );
      // The command awaits its Restricted Mode warning, a toast nobody answers here: once the edit is seen, toasts are
      // cleared until the command has finished (the warning may not have been shown yet on the first try).
      await placeholderGone(doc);
      await dismissToastsUntil(command);
      // Only the placeholder the completion put in is taken out again: no token, and the rest of the line is the completion's.
      assert.equal(doc.lineAt(1).text, 'Authorization: Bearer ', 'no token inserted');
      assert.equal(doc.getText(), fs.readFileSync(file, 'utf8').replace('Authorization: ', 'Authorization: Bearer '));
      assert.equal(exchangesOf(sandbox), exchanges, 'no short-term token was fetched to insert');
      assert.ok(
        !api.testing.logLines().some((l) => l.includes('inserted a short-term token')),
        'nothing logged as inserted',
      );
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    } finally {
      fs.rmSync(path.join(folder, 'requests-user.http'), { force: true });
      await api.testing.engine.forgetProfile(USER_PROFILE_ID).catch(() => undefined);
      await setProfiles(api, []);
      await sandbox.stop();
    }
    assert.equal(server.count(), 0);
  });

  it('no terminal gets the token in Restricted Mode, even with terminal.injectToken on in User settings', async () => {
    const clients = testClients(`untrusted-term-${randomBytes(12).toString('hex')}`);
    const sandbox = await startTestSandbox(clients);
    const id = `${USER_PROFILE_ID}-terminal`;
    try {
      await addProfile(api, profileFor(id, sandbox.baseUrl, clients.secret, 'client_secret'));
      await setProfiles(api, config().inspect<Profile[]>('profiles')?.globalValue ?? [], id);
      await api.testing.engine.setClientSecret(id, clients.secret.clientSecret!);
      assert.ok(await run('c2m.issueLongTermToken', id), 'a User-settings profile works in Restricted Mode');
      await api.testing.getShortTermToken(id);
      assert.equal(
        api.tokens.tokens().find((t) => t.profileId === id && t.kind === 'short')?.status,
        'valid',
        'a token a trusted window would inject',
      );
      await config().update('terminal.injectToken', true, vscode.ConfigurationTarget.Global);
      assert.equal(await api.testing.terminalTokenFingerprint(), undefined, 'the terminal environment holds no token');
    } finally {
      await config().update('terminal.injectToken', undefined, vscode.ConfigurationTarget.Global);
      await api.testing.engine.forgetProfile(id).catch(() => undefined);
      await setProfiles(api, []);
      await sandbox.stop();
    }
  });

  it('the agent request tool refuses in Restricted Mode, even for a User-settings profile with a token; the status tool still reads', async () => {
    const clients = testClients(`untrusted-agent-${randomBytes(12).toString('hex')}`);
    const sandbox = await startTestSandbox(clients);
    const id = `${USER_PROFILE_ID}-agent`;
    try {
      await addProfile(api, profileFor(id, sandbox.baseUrl, clients.secret, 'client_secret'));
      await setProfiles(api, config().inspect<Profile[]>('profiles')?.globalValue ?? [], id);
      await api.testing.engine.setClientSecret(id, clients.secret.clientSecret!);
      assert.ok(await run('c2m.issueLongTermToken', id), 'a User-settings profile works in Restricted Mode');
      const before = JSON.stringify(sandbox.stats().byRoute);
      const input = { method: 'GET', path: '/jobs' };
      assert.equal(
        api.testing.agentTools()?.request.prepareInvocation({ input }).confirmationMessages,
        undefined,
        'nothing to confirm: nothing will be sent',
      );
      const result = await vscode.lm.invokeTool(REQUEST_TOOL_NAME, { input, toolInvocationToken: undefined });
      const text = result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
      assert.match(text, /^Refused, nothing was sent: .*Restricted Mode/);
      assert.equal(JSON.stringify(sandbox.stats().byRoute), before, 'the sandbox received nothing');
      const status = await vscode.lm.invokeTool(STATUS_TOOL_NAME, { input: {}, toolInvocationToken: undefined });
      const report = status.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
      assert.equal((JSON.parse(report) as { activeProfile: string }).activeProfile, id);
    } finally {
      await api.testing.engine.forgetProfile(id).catch(() => undefined);
      await setProfiles(api, []);
      await sandbox.stop();
    }
    assert.equal(server.count(), 0);
  });

  it('.env sync writes nothing', async () => {
    // The workspace's own c2m.envSync.* are withheld like c2m.profiles: the sync is switched on in User settings.
    assert.equal(
      config().inspect('envSync.enabled')?.workspaceValue,
      undefined,
      'the fixture turns it on, VS Code withholds that',
    );
    await config().update('envSync.enabled', true, vscode.ConfigurationTarget.Global);
    await config().update(
      'envSync.targets',
      [{ file: '.env', variable: 'C2M_ACCESS_TOKEN' }],
      vscode.ConfigurationTarget.Global,
    );
    try {
      const outcomes = await run<EnvSyncOutcome[]>('c2m.syncEnv');
      assert.ok(outcomes && outcomes.length > 0, 'the sync ran over its targets');
      assert.deepEqual([...new Set(outcomes.map((o) => o.result))], ['restricted']);
      assert.equal(fs.existsSync(path.join(folder, '.env')), false, 'no .env was written');
      assert.equal(server.count(), 0);
    } finally {
      await config().update('envSync.enabled', undefined, vscode.ConfigurationTarget.Global);
      await config().update('envSync.targets', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
