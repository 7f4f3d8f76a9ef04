// Reliability cases that are only real inside VS Code, run in code-server's extension host:
// redirects refused by the host's own fetch, a workspace-provided base URL under Restricted Mode rules, and a canary
// search of everything VS Code keeps (user data, output, notices, settings) plus every process's command line and
// environment. Rows of `npm run test:reliability` (tags like [D3]); outcomes and counters go to its ledger.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { C2mTestApi } from '../../client/src/integrations/extensionApi';
import { TokenEngine } from '../../client/src/core/tokenEngine';
import { startSandbox } from '../../sandbox/src/server';
import { mayUseNetwork, readProfiles } from '../../client/src/host/config';
import { note, outcome, runningIn } from '../support/reliability/ledger';
import { holdsAny, piecesOf } from '../support/reliability/pieces';
import { reply, startStub, type Stub } from '../support/apiStubServer';
import {
  acceptTokenCompletion,
  addProfile,
  c2mApi,
  config,
  eventually,
  run,
  setProfiles,
  userProfiles,
} from '../support/inHost/extension';

runningIn('vscode');

/** Files under `root` holding one of the needles or a piece of one (UTF-8 or UTF-16LE), skipping huge files. */
function filesWith(root: string, needles: readonly string[]): string[] {
  const hits: string[] = [];
  const forms = needles.flatMap(piecesOf).flatMap((n) => [Buffer.from(n), Buffer.from(n, 'utf16le')]);
  const walk = (dir: string): void => {
    for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && fs.statSync(full).size < 64 * 1024 * 1024) {
        const data = fs.readFileSync(full);
        if (forms.some((f) => data.includes(f))) hits.push(full);
      }
    }
  };
  walk(root);
  return hits;
}

/** Command lines and environments of every process we may read (the language server's included, once it runs). */
function processesWith(needles: readonly string[]): string[] {
  if (!fs.existsSync('/proc')) return [];
  const hits: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    for (const part of ['cmdline', 'environ']) {
      try {
        const data = fs.readFileSync(`/proc/${pid}/${part}`);
        if (holdsAny(data.toString('latin1'), needles)) hits.push(`${pid}/${part}`);
      } catch {
        // gone, or not ours to read
      }
    }
  }
  return hits;
}

/** Whether `file` is a Local History copy (User/History/<id>/...) of `original`: same bytes, in VS Code's history folder. */
function isHistoryCopyOf(file: string, original: string): boolean {
  return (
    file.includes(`${path.sep}User${path.sep}History${path.sep}`) &&
    fs.readFileSync(file).equals(fs.readFileSync(original))
  );
}

/** Waits (on the condition, polling, no fixed sleep) until a language-server log file under `logsRoot` holds `text`. */
async function traceLogWith(logsRoot: string, text: RegExp): Promise<string> {
  const find = (dir: string): string | undefined => {
    for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const full = path.join(dir, entry.name);
      const hit = entry.isDirectory()
        ? find(full)
        : /Language Server/.test(entry.name) && full.includes('c2m') && text.test(fs.readFileSync(full, 'utf8'))
          ? full
          : undefined;
      if (hit) return hit;
    }
    return undefined;
  };
  return eventually(
    () => find(logsRoot),
    `a C2M language server log under ${logsRoot} showing ${text.source} (the verbose trace on disk)`,
    15_000,
  );
}

/** Pids whose command line mentions `text` (to prove the language server's process was among those searched). */
function processesRunning(text: string): string[] {
  if (!fs.existsSync('/proc')) return [];
  return fs.readdirSync('/proc').filter((pid) => {
    try {
      return /^\d+$/.test(pid) && fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes(text);
    } catch {
      return false;
    }
  });
}

describe('reliability: in the extension host', () => {
  let api: C2mTestApi;
  let target: Stub;
  let redirector: Stub;
  let status = 302;
  /** S2's language-server trace log and what must not be in it, for the test after it. */
  let traced: { file: string; needles: string[] } | undefined;
  const canary = `canary-secret-${randomBytes(10).toString('hex')}`;

  before(async () => {
    api = await c2mApi();
    target = await startStub((_req, res) => reply(res, 201, {}));
    redirector = await startStub((_req, res) =>
      reply(res, status, undefined, { location: `${target.baseUrl}/auth/tokens/long` }),
    );
  });

  afterEach(function () {
    const test = this.currentTest;
    if (test) outcome(test.title, test.state === 'passed' ? 'passed' : test.state === 'failed' ? 'failed' : 'pending');
  });

  after(async () => {
    await setProfiles(
      api,
      userProfiles().filter((p) => !p.id.startsWith('rel-')),
      config().get<string>('activeProfile') || undefined,
    );
    await target.close();
    await redirector.close();
  });

  it("[D3] the extension's own fetch refuses 302/303/307/308 on the token POST: the other server receives nothing", async () => {
    await addProfile(api, {
      id: 'rel-redirect',
      name: 'Redirect',
      baseUrl: redirector.baseUrl,
      clientId: 'c2m_rel',
      mechanism: 'client_secret',
      scopes: ['jobs:*'],
    });
    await api.testing.engine.setClientSecret('rel-redirect', canary);
    const n = note(
      'D3',
      'Issue Long-Term Token command against a server answering 302/303/307/308 (extension host fetch)',
    );
    for (const code of [302, 303, 307, 308]) {
      status = code;
      assert.equal(await run('c2m.issueLongTermToken', 'rel-redirect'), undefined, `${code}: the command failed`);
      assert.match(api.testing.notices().at(-1)?.message ?? '', /redirect/i);
      n.fault();
    }
    n.done();
    assert.equal(target.requests.length, 0, 'the other server received nothing');
    assert.equal(redirector.requests.length, 4);
  });

  it('[U1] Restricted Mode rules: a base URL from workspace settings gets no network call, nothing is issued', async () => {
    // The harness trusts its workspace (--disable-workspace-trust), so the untrusted answer is given to the same rule
    // the extension uses (mayUseNetwork), on an engine over the extension's own secret storage.
    await config().update(
      'profiles',
      [
        {
          id: 'rel-ws',
          name: 'Workspace',
          baseUrl: target.baseUrl,
          clientId: 'c2m_rel',
          mechanism: 'client_secret',
          scopes: ['jobs:*'],
        },
      ],
      vscode.ConfigurationTarget.Workspace,
    );
    try {
      const entry = readProfiles().find((p) => p.profile.id === 'rel-ws');
      assert.equal(entry?.origin, 'workspace');
      const engine = new TokenEngine({
        store: api.testing.secretStore,
        profiles: [entry!.profile],
        prompts: { otpCode: async () => undefined },
        canUseNetwork: () => mayUseNetwork(entry, false),
      });
      try {
        await engine.setClientSecret('rel-ws', canary);
        const n = note(
          'U1',
          'workspace settings point the base URL at another server; issue and getShortTermToken untrusted',
        ).badInput();
        await assert.rejects(engine.issueLongTermToken('rel-ws'), /not trusted: no request was sent/);
        await assert.rejects(engine.getShortTermToken('rel-ws'));
        n.done();
        assert.equal(target.requests.length, 0, 'nothing was sent there');
        assert.deepEqual(engine.tokens(), [], 'nothing issued');
      } finally {
        await engine.forgetProfile('rel-ws').catch(() => undefined);
        engine.dispose();
      }
    } finally {
      await config().update('profiles', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('[S2] with debug logging and verbose LSP tracing, no canary or token value outside the file the user inserted into: user data, logs, output, notices, settings, process command lines and environments', async () => {
    await config().update('logLevel', 'debug', vscode.ConfigurationTarget.Global);
    await config().update('trace.server', 'verbose', vscode.ConfigurationTarget.Global);
    // languageclient 11 traces only when its output channel logs at Trace too (Developer: Set Log Level...).
    const logLevel = await vscode.commands.executeCommand<string>('_extensionTests.getLogLevel');
    await vscode.commands.executeCommand('_extensionTests.setLogLevel', 'trace');
    const sandbox = await startSandbox({
      clients: [{ clientId: 'c2m_rel_canary', clientSecret: canary, allowedScopes: ['jobs:*', 'tokens:*'] }],
    });
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const file = path.join(folder.uri.fsPath, 'reliability-canary.http');
    try {
      await addProfile(api, {
        id: 'rel-canary',
        name: 'Canary',
        baseUrl: sandbox.baseUrl,
        clientId: 'c2m_rel_canary',
        mechanism: 'client_secret',
        scopes: ['jobs:*', 'tokens:*'],
      });
      await api.testing.engine.setClientSecret('rel-canary', canary);
      assert.ok(await run('c2m.issueLongTermToken', 'rel-canary'));
      // A server that echoes the secret in its error, and the redirect flows of D3 (canary as their client secret too).
      sandbox.faults.forceStatus({
        route: 'POST /auth/tokens/long',
        status: 400,
        times: 1,
        body: { code: 'invalid_grant', message: `bad ${canary}`, details: { client_secret: canary } },
      });
      await run('c2m.rotateLongTermToken', 'rel-canary');
      const values = [await api.testing.engine.getTokenValue('rel-canary', 'long')];
      const needles = [canary, ...values];

      // The user asks for an insertion: the language server starts (verbose trace) and sees the document change.
      fs.writeFileSync(file, `GET ${sandbox.baseUrl}/jobs\nAuthorization:\n`);
      const doc = await vscode.workspace.openTextDocument(file);
      const start = 'Authorization: '.length;
      await (
        await acceptTokenCompletion(doc, new vscode.Position(1, 'Authorization:'.length), 'Canary')
      ).command;
      const short = await api.testing.getShortTermToken('rel-canary');
      needles.push(short);
      assert.ok(doc.getText().includes(short), 'the token was inserted where the user asked');
      await doc.save();
      const userData = path.dirname(path.dirname(path.dirname(api.testing.storagePaths().globalStorage)));
      const runRoot = path.dirname(userData);
      // A request after the insertion; once its answer is in the trace log (the language server's output channel,
      // on disk), everything before it is too, so the search covers the whole traffic.
      await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, new vscode.Position(1, start + 12));
      const trace = await traceLogWith(path.join(userData, 'logs'), /Received response 'textDocument\/hover/);
      traced = { file: trace, needles };
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');

      const places = {
        // The run folder minus the workspace (the file the user inserted into), the harness's own browser-console
        // capture (not VS Code's) and the trace log (next test).
        files: filesWith(runRoot, needles).filter(
          (f) => !f.startsWith(folder.uri.fsPath) && path.basename(f) !== 'browser-console.log' && f !== trace,
        ),
        output: api.testing.logLines().filter((l) => holdsAny(l, needles)),
        notices: api.testing.notices().filter((x) => holdsAny(JSON.stringify(x), needles)),
        settings: holdsAny(JSON.stringify(vscode.workspace.getConfiguration().inspect('c2m')), needles) ? ['c2m'] : [],
        processes: processesWith(needles),
      };
      // VS Code's Local History keeps copies of the saved file the user inserted into: the same file, by the user's choice.
      places.files = places.files.filter((f) => !isHistoryCopyOf(f, file));
      const found = Object.values(places).reduce((sum, list) => sum + list.length, 0);
      assert.ok(fs.statSync(trace).size > 0);
      note(
        'S2',
        'canary client secret and token values through issue, echoing 400, redirects, insertion with the language server on verbose trace; searched the run folder (user data, settings, state DBs, logs incl. output channels) but the inserted file, output, notices, settings, /proc/*/cmdline+environ',
      )
        .secretsFound(found)
        .done();
      assert.ok(
        path.basename(path.dirname(api.testing.storagePaths().globalStorage)) === 'globalStorage',
        'user-data folder located',
      );
      assert.ok(api.testing.logLines().length > 0, 'the output channel had lines to search');
      if (fs.existsSync('/proc'))
        assert.ok(
          processesRunning(path.join('dist', 'server.js')).length > 0,
          "the language server's process was among those searched",
        );
      assert.deepEqual(places, { files: [], output: [], notices: [], settings: [], processes: [] });
    } finally {
      fs.rmSync(file, { force: true });
      await api.testing.engine.forgetProfile('rel-canary').catch(() => undefined);
      await sandbox.stop();
      await config().update('logLevel', undefined, vscode.ConfigurationTarget.Global);
      await config().update('trace.server', undefined, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('_extensionTests.setLogLevel', logLevel ?? 'info');
    }
  });

  it("[S2] the language server's verbose trace log (on disk) holds no token value or secret, whole or in pieces", () => {
    assert.ok(traced, 'the previous test wrote the trace');
    const text = fs.readFileSync(traced.file, 'utf8');
    assert.match(text, /textDocument\/didChange/, 'the trace has the document traffic');
    const found = traced.needles.filter((n) => holdsAny(text, [n])).length;
    note('S2', "searched the language server's verbose trace log for the canary and the token values")
      .secretsFound(found)
      .done();
    assert.equal(found, 0, `${found} secret value(s) in ${traced.file}`);
  });
});
