// Secrets stay secret: plant a canary client secret, run every flow (including a server error that echoes the
// secret back), then search what VS Code keeps on disk (user data: settings, state databases, logs), the
// extension's output channel, notifications and settings for the canary and for every token value seen.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { C2mTestApi } from '../../client/src/integrations/extensionApi';
import type { TokenInfo } from '../../client/src/core/tokenService';
import { startSandbox } from '../../sandbox/src/server';
import type { Sandbox } from '../../sandbox/src/types';
import { c2mApi, config, eventually, run, setProfiles, userProfiles } from '../support/inHost/extension';

const CANARY = `canary-secret-${randomBytes(12).toString('hex')}`;
const CLIENT_ID = 'c2m_canary';
const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** Every file under `root` (no symlinks followed) whose bytes contain one of `needles`. */
function filesContaining(root: string, needles: readonly string[]): { file: string; needle: string }[] {
  const found: { file: string; needle: string }[] = [];
  const patterns = needles.map((n) => ({ needle: n, bytes: Buffer.from(n, 'utf8'), utf16: Buffer.from(n, 'utf16le') }));
  const walk = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        let data: Buffer;
        try {
          if (fs.statSync(full).size > MAX_FILE_BYTES) continue;
          data = fs.readFileSync(full);
        } catch {
          continue;
        }
        for (const p of patterns)
          if (data.includes(p.bytes) || data.includes(p.utf16))
            found.push({ file: full, needle: p.needle.slice(0, 12) + '…' });
      }
    }
  };
  walk(root);
  return found;
}

/** The user-data folder: the ancestor of globalStorage that holds `User/`. */
function userDataRoot(globalStorage: string): string {
  let dir = globalStorage;
  while (path.dirname(dir) !== dir) {
    if (path.basename(dir) === 'User') return path.dirname(dir);
    dir = path.dirname(dir);
  }
  throw new Error(`no User folder above ${globalStorage}`);
}

/** Waits (on the condition, not on time) until the extension's log file on disk has `text`. */
async function logFileWith(logsDir: string, text: string): Promise<string> {
  return eventually(
    () => {
      const files = fs.existsSync(logsDir) ? fs.readdirSync(logsDir).map((f) => path.join(logsDir, f)) : [];
      return files.find((f) => fs.statSync(f).isFile() && fs.readFileSync(f, 'utf8').includes(text));
    },
    `a log file in ${logsDir} containing "${text}"`,
    10_000,
  );
}

describe('extension: canary secrets never leak', () => {
  let api: C2mTestApi;
  let sandbox: Sandbox;
  const tokenValues: string[] = [];

  before(async () => {
    api = await c2mApi();
    sandbox = await startSandbox({
      clients: [{ clientId: CLIENT_ID, clientSecret: CANARY, allowedScopes: ['jobs:*', 'tokens:*'] }],
    });
  });

  after(async () => {
    await setProfiles(
      api,
      userProfiles().filter((p) => p.id !== 'canary'),
      config().get<string>('activeProfile') || undefined,
    );
    await sandbox.stop();
  });

  it('runs every flow with the canary secret', async () => {
    // The secret is typed into the masked box of "Add Profile", like a user would.
    api.testing.answer('Canary', sandbox.baseUrl, CLIENT_ID, 'Client secret', 'jobs:* tokens:*', '', '', CANARY);
    assert.equal(await run('c2m.addProfile'), 'canary');
    assert.equal(await run('c2m.switchProfile', 'canary'), 'canary');
    const long = await run<TokenInfo>('c2m.issueLongTermToken', 'canary');
    assert.ok(long);
    tokenValues.push(await api.testing.engine.getTokenValue('canary', 'long'));
    tokenValues.push(await api.testing.getShortTermToken('canary'));
    await run('c2m.refreshShortTermToken', 'canary');
    tokenValues.push(await api.testing.getShortTermToken('canary'));
    api.testing.answer('Copy');
    await run('c2m.copyShortTermToken', api.testing.tokenNode('canary', 'short'));
    await vscode.env.clipboard.writeText('');
    await run('c2m.rotateLongTermToken', 'canary');
    tokenValues.push(await api.testing.engine.getTokenValue('canary', 'long'));
    tokenValues.push(await api.testing.getShortTermToken('canary'));
    await run('c2m.revokeToken', api.testing.tokenNode('canary', 'short'));

    // A server that echoes the request (secret included) in its error: the user sees code and message, redacted
    // (behind Details: the notification itself says which credential the server refused).
    sandbox.faults.forceStatus({
      route: 'POST /auth/tokens/long',
      status: 400,
      times: 1,
      body: {
        code: 'invalid_grant',
        message: `client_secret ${CANARY} is not valid`,
        details: { client_secret: CANARY },
      },
    });
    assert.equal(await run('c2m.rotateLongTermToken', 'canary'), undefined);
    const notice = api.testing.notices().at(-1);
    assert.match(notice?.message ?? '', /refused the client secret/);
    assert.match(notice?.detail ?? '', /invalid|not valid/i);

    api.testing.answer('Sign Out');
    assert.equal(await run('c2m.signOut', 'canary'), 'canary');
    await api.testing.engine.idle();
    assert.equal(new Set(tokenValues).size, tokenValues.length);
  });

  it('finds neither the canary nor any token value in notifications, the output channel or settings', () => {
    const needles = [CANARY, ...tokenValues];
    const shown = JSON.stringify(api.testing.notices());
    const logged = api.testing.logLines().join('\n');
    const settings =
      JSON.stringify(config().inspect('profiles')) + JSON.stringify(vscode.workspace.getConfiguration().inspect('c2m'));
    assert.ok(logged.includes('audit issue long-term profile=canary'), 'the log has the audit trail');
    for (const needle of needles) {
      assert.ok(!shown.includes(needle), 'a secret reached a notification');
      assert.ok(!logged.includes(needle), 'a secret reached the output channel');
      assert.ok(!settings.includes(needle), 'a secret reached settings');
    }
  });

  it('finds neither in the user-data folder (settings.json, state databases, logs) nor in the workspace', async () => {
    const { globalStorage, logs } = api.testing.storagePaths();
    // Proves the search looks where the output channel is written: its file holds the audit lines.
    const logFile = await logFileWith(logs, 'audit issue long-term profile=canary');
    const root = userDataRoot(globalStorage);
    assert.ok(logFile.startsWith(root), `${logFile} is inside ${root}`);
    const needles = [CANARY, ...tokenValues];
    assert.deepEqual(filesContaining(root, needles), []);
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme === 'file') assert.deepEqual(filesContaining(folder.uri.fsPath, needles), []);
    }
  });
});
