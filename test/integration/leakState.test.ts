// A Leak Scan finding shows its token's state as it is now, not as it was when the scan ran: a token found in a
// workspace file and then revoked from the Tokens view, or rotated away, is shown revoked in the Leak Scan view
// without scanning again (the Tokens view and the editor already say so). Real sandbox, real engine, real view.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { C2mTestApi } from '../../client/src/integrations/extensionApi';
import type { LeakScanResult } from '../../client/src/integrations/leakScan';
import type { Sandbox } from '../../sandbox/src/types';
import { tokenFingerprint } from '@shared/tokens/fingerprint';
import { run, tokenOf, until } from '../support/inHost/extension';
import { signInDemoProfile, type SignedInDemo } from '../support/inHost/suiteSetup';

const PROFILE = 'leakstate';
const PROFILE_NAME = 'Leak State (C2M API test)';
const DIR = 'leakstate';

function root(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the integration run opens a workspace folder');
  return folder.uri.fsPath;
}

function write(relative: string, text: string): void {
  const file = path.join(root(), DIR, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

async function protectedStatus(sandbox: Sandbox, token: string): Promise<number> {
  return (await fetch(`${sandbox.baseUrl}/jobs`, { headers: { Authorization: `Bearer ${token}` } })).status;
}

describe('leak scan: a finding shows the state its token has now (revoke, rotate)', function () {
  this.timeout(120_000);
  let api: C2mTestApi;
  let sandbox: Sandbox;
  let demo: SignedInDemo | undefined;
  let madeRepository = false;

  /** The row in the Leak Scan view of the one finding in this file (as VS Code draws it). */
  const row = (relative: string) =>
    api.testing.leakView().findings.find((r) => vscode.Uri.parse(r.uri).fsPath === path.join(root(), DIR, relative));
  const shown = (relative: string): string => row(relative)?.description ?? '(no row)';
  /** Waits (on token changes and a short poll) until every file's finding is shown revoked; says what it shows else. */
  const shownRevoked = async (...relatives: string[]): Promise<void> => {
    const all = (): boolean => relatives.every((r) => shown(r).startsWith('revoked'));
    await until(api, all, 'the findings shown revoked').catch(() => undefined);
    assert.ok(all(), `shown revoked: ${JSON.stringify(relatives.map((r) => [r, shown(r)]))}`);
  };

  before(async () => {
    demo = await signInDemoProfile(PROFILE, PROFILE_NAME);
    ({ api, sandbox } = demo);
    // Its own repository: the run folder lies inside a git-ignored folder of the checkout, whose git would ignore it.
    if (!fs.existsSync(path.join(root(), '.git'))) {
      execFileSync('git', ['init', '-q'], { cwd: root() });
      madeRepository = true;
    }
  });

  after(async () => {
    await demo?.end();
    fs.rmSync(path.join(root(), DIR), { recursive: true, force: true });
    if (madeRepository) fs.rmSync(path.join(root(), '.git'), { recursive: true, force: true });
  });

  it('revoked in the Tokens view: the finding of the short-term token turns from active to revoked, no new scan', async () => {
    const short = await api.testing.getShortTermToken(PROFILE);
    write('revoke.http', `GET {{$dotenv C2M_BASE_URL}}/jobs\nAuthorization: Bearer ${short}\n`);
    const scan = await run<LeakScanResult>('c2m.scanWorkspace');
    assert.ok(scan, 'the scan ran');
    assert.match(shown('revoke.http'), /^active · /, 'found active');

    // Revoked where the user sees the token: the Tokens view's menu (asked in a modal: `run` answers yes).
    assert.equal(await run('c2m.revokeToken', api.testing.tokenNode(PROFILE, 'short')), 'short');
    assert.equal(api.testing.pendingAnswers(), 0, 'asked, and no answer left over');
    assert.equal(await protectedStatus(sandbox, short), 401, 'revoked at the server');
    await shownRevoked('revoke.http');
    assert.equal(api.testing.leakView().result?.at, scan.at, 'shown from the same scan: nothing was scanned again');
    const finding = api.testing.leakView().result?.findings.find((f) => f.fingerprint === tokenFingerprint(short));
    assert.equal(finding?.status, 'revoked', "the scan's result says so too");
    assert.doesNotMatch(row('revoke.http')?.contextValue ?? '', /\.ours$/, 'Revoke is no longer offered');
  });

  it('rotated: the findings of the old long-term token and of a short-term token made from it turn revoked', async () => {
    const long = await api.testing.engine.getTokenValue(PROFILE, 'long');
    const short = await api.testing.getShortTermToken(PROFILE);
    write('rotate-long.txt', `pasted by mistake:\n  key = ${long}\n`);
    write('rotate-short.http', `GET {{$dotenv C2M_BASE_URL}}/jobs\nAuthorization: Bearer ${short}\n`);
    const scan = await run<LeakScanResult>('c2m.scanWorkspace');
    assert.ok(scan, 'the scan ran');
    assert.match(shown('rotate-long.txt'), /^long-term · /, 'the long-term token, live');
    assert.match(shown('rotate-short.http'), /^active · /, 'the short-term token, live');

    assert.ok(await run('c2m.rotateLongTermToken', PROFILE), 'rotated (asked: `run` answers yes)');
    assert.equal(api.testing.pendingAnswers(), 0, 'no answer left over');
    assert.notEqual(tokenOf(api, PROFILE, 'long')?.fingerprint, tokenFingerprint(long), 'a new long-term token');
    assert.equal(await protectedStatus(sandbox, short), 401, 'the old tokens are dead at the server');
    await shownRevoked('rotate-long.txt', 'rotate-short.http');
    assert.equal(api.testing.leakView().result?.at, scan.at, 'shown from the same scan: nothing was scanned again');
  });
});
