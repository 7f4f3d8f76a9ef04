// Reliability cases that are only real inside VS Code (issue 6), run in code-server's extension host:
// redirects refused by the host's own fetch, a workspace-provided base URL under Restricted Mode rules, and a canary
// search of everything VS Code keeps (user data, output, notices, settings) plus every process's command line and
// environment. Rows of `npm run test:reliability` (tags like [D3]); outcomes and counters go to its ledger.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { C2mApi } from '../../client/src/extension';
import { TokenEngine } from '../../client/src/core/tokenEngine';
import { mayUseNetwork, readProfiles } from '../../client/src/vscode/config';
import { note, outcome, runningIn } from '../reliability/ledger';
import { reply, startStub, type Stub } from '../unit/apiStubServer';
import { addProfile, c2mApi, config, run, setProfiles, userProfiles } from './extensionSupport';

runningIn('vscode');

/** Files under `root` holding one of the needles (UTF-8 or UTF-16LE), skipping huge files. */
function filesWith(root: string, needles: readonly string[]): string[] {
  const hits: string[] = [];
  const forms = needles.flatMap((n) => [Buffer.from(n), Buffer.from(n, 'utf16le')]);
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
        if (needles.some((n) => data.includes(Buffer.from(n)))) hits.push(`${pid}/${part}`);
      } catch {
        // gone, or not ours to read
      }
    }
  }
  return hits;
}

describe('reliability: in the extension host', () => {
  let api: C2mApi;
  let target: Stub;
  let redirector: Stub;
  let status = 302;
  const canary = `canary-secret-${randomBytes(10).toString('hex')}`;

  before(async () => {
    api = await c2mApi();
    target = await startStub((_req, res) => reply(res, 201, {}));
    redirector = await startStub((_req, res) => reply(res, status, undefined, { location: `${target.baseUrl}/auth/tokens/long` }));
  });

  afterEach(function () {
    const test = this.currentTest;
    if (test) outcome(test.title, test.state === 'passed' ? 'passed' : test.state === 'failed' ? 'failed' : 'pending');
  });

  after(async () => {
    await setProfiles(api, userProfiles().filter((p) => !p.id.startsWith('rel-')), config().get<string>('activeProfile') || undefined);
    await target.close();
    await redirector.close();
  });

  it("[D3] the extension's own fetch refuses 302/303/307/308 on the token POST: the other server receives nothing", async () => {
    await addProfile(api, { id: 'rel-redirect', name: 'Redirect', baseUrl: redirector.baseUrl, clientId: 'c2m_rel', mechanism: 'client_secret', scopes: ['jobs:*'] });
    await api.testing.engine.setClientSecret('rel-redirect', canary);
    const n = note('D3', 'Issue Long-Term Token command against a server answering 302/303/307/308 (extension host fetch)');
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
    await config().update('profiles', [{ id: 'rel-ws', name: 'Workspace', baseUrl: target.baseUrl, clientId: 'c2m_rel', mechanism: 'client_secret', scopes: ['jobs:*'] }], vscode.ConfigurationTarget.Workspace);
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
        const n = note('U1', 'workspace settings point the base URL at another server; issue and getShortTermToken untrusted').badInput();
        await assert.rejects(engine.issueLongTermToken('rel-ws'), /not trusted: no request was sent/);
        await assert.rejects(engine.getShortTermToken('rel-ws'));
        n.tokensLost(0).done();
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

  it('[S2] with debug logging and verbose LSP tracing, no canary in user data, output, notices, settings, or any process command line/environment', async () => {
    await config().update('logLevel', 'debug', vscode.ConfigurationTarget.Global);
    await config().update('trace.server', 'verbose', vscode.ConfigurationTarget.Global);
    try {
      // The failing flows of D3 ran with the canary as client secret; add a server that echoes it.
      status = 400;
      await run('c2m.issueLongTermToken', 'rel-redirect');
      const { globalStorage, logs } = api.testing.storagePaths();
      let root = globalStorage;
      while (path.basename(root) !== 'User' && path.dirname(root) !== root) root = path.dirname(root);
      const userData = path.dirname(root);
      const places = {
        userData: filesWith(userData, [canary]),
        logs: filesWith(logs, [canary]),
        output: api.testing.logLines().filter((l) => l.includes(canary)),
        notices: api.testing.notices().filter((x) => JSON.stringify(x).includes(canary)),
        settings: JSON.stringify(vscode.workspace.getConfiguration().inspect('c2m')).includes(canary) ? ['c2m'] : [],
        processes: processesWith([canary]),
      };
      const found = Object.values(places).reduce((sum, list) => sum + list.length, 0);
      note('S2', `canary client secret through failing flows; searched the user-data folder (settings.json, state DBs, storage), logs, output channel, notices, settings, /proc/*/cmdline+environ`).secretsFound(found).done();
      assert.ok(api.testing.logLines().length > 0, 'the output channel had lines to search');
      assert.deepEqual(places, { userData: [], logs: [], output: [], notices: [], settings: [], processes: [] });
    } finally {
      await config().update('logLevel', undefined, vscode.ConfigurationTarget.Global);
      await config().update('trace.server', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
