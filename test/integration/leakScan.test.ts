// Leak Scan on a larger workspace in real code-server: more files than the old 5,000-file cap, findings in the view
// while the scan runs (with progress in its message), Cancel from the command the view's Stop button runs, and the
// git history scan finding a token that a later commit removed, by commit and path.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { C2mTestApi } from '../../client/src/integrations/extensionApi';
import type { LeakScanResult } from '../../client/src/integrations/leakScan';
import { tokenFingerprint } from '@shared/tokens/fingerprint';
import { c2mApi, run } from '../support/inHost/extension';

const BIG = 'leakscan-big';
const FILES = 6_000;
/** One file in this many holds a token. */
const EVERY = 200;

function root(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the integration run opens a workspace folder');
  return folder.uri.fsPath;
}

function forgedJwt(jti: string): string {
  const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'ES256', typ: 'JWT' })}.${b64({ jti, exp: 4_000_000_000 })}.c2lnbmF0dXJlLW5vdC1jaGVja2Vk`;
}

function inBig(result: LeakScanResult | undefined): number {
  return (result?.findings ?? []).filter((f) =>
    vscode.Uri.parse(f.uri).fsPath.startsWith(path.join(root(), BIG) + path.sep),
  ).length;
}

describe('leak scan: a larger workspace, results as they come, Cancel, git history', function () {
  this.timeout(180_000);
  let api: C2mTestApi;

  before(async () => {
    api = await c2mApi();
    // Its own repository: the run folder lies inside a git-ignored folder of the checkout, whose git would ignore it all.
    if (!fs.existsSync(path.join(root(), '.git'))) execFileSync('git', ['init', '-q'], { cwd: root() });
    for (let i = 0; i < FILES; i++) {
      const dir = path.join(root(), BIG, `d${i % 60}`);
      fs.mkdirSync(dir, { recursive: true });
      const body =
        i % EVERY === 0
          ? `GET https://example.invalid/jobs\nAuthorization: Bearer ${forgedJwt(`tok_st_big${i}`)}\n`
          : `# request ${i}\nGET https://example.invalid/jobs/${i}\n`;
      fs.writeFileSync(path.join(dir, `r${i}.http`), body);
    }
  });
  after(() => fs.rmSync(path.join(root(), BIG), { recursive: true, force: true }));

  it('scans past the old 5,000-file cap, showing findings and progress in the view while it runs', async () => {
    const during: { rows: number; message: string | undefined; running: boolean }[] = [];
    const listening = api.testing.onLeakScanProgress((result) => {
      const view = api.testing.leakView();
      during.push({ rows: view.rows.length, message: view.message, running: result.running });
    });
    let result: LeakScanResult | undefined;
    try {
      result = await run<LeakScanResult>('c2m.scanWorkspace');
    } finally {
      listening.dispose();
    }
    assert.ok(result && !result.running && !result.cancelled);
    assert.ok(result.filesSearched > FILES, `searched ${result.filesSearched}`);
    assert.equal(inBig(result), FILES / EVERY);
    assert.ok(during.length > 2, `progress after every batch: ${during.length}`);
    const mid = during.filter(
      (d) =>
        d.running &&
        d.rows > 0 &&
        /^Scanning: \d+ files \([\d.]+ (?:bytes|kB|MB)\) searched; \d+ tokens? found so far\.$/.test(d.message ?? ''),
    );
    assert.ok(mid.length > 0, `findings shown while the scan ran: ${JSON.stringify(during.slice(0, 3))}`);
    const view = api.testing.leakView();
    assert.match(view.message ?? '', /^\d+ tokens? in \d+ files?; \d+ files \([\d.]+ (?:kB|MB)\) searched\.$/);
    assert.ok(
      view.rows.filter((r) => r.label.startsWith(BIG)).length === FILES / EVERY,
      'one row per file with a token',
    );
  });

  it('Cancel stops the scan mid-way; what it found so far stays in the view', async () => {
    let cancelled = false;
    const listening = api.testing.onLeakScanProgress(() => {
      if (cancelled) return;
      cancelled = true;
      void vscode.commands.executeCommand('c2m.leak.cancelScan'); // what the view's Stop button runs
    });
    let result: LeakScanResult | undefined;
    try {
      result = await run<LeakScanResult>('c2m.scanWorkspace');
    } finally {
      listening.dispose();
    }
    assert.ok(result?.cancelled, 'cancelled');
    assert.ok(result.filesSearched < FILES, `stopped early: ${result.filesSearched} searched`);
    const view = api.testing.leakView();
    assert.match(view.message ?? '', /^Cancelled: \d+ tokens? in \d+ files? so far/);
    assert.equal(
      view.rows.filter((r) => !r.label.startsWith('Git')).length,
      new Set(result.findings.map((f) => f.uri)).size,
    );
  });

  it('git history: a token committed and then removed is shown by commit and path', async () => {
    const git = (...args: string[]): string =>
      execFileSync(
        'git',
        ['-c', 'user.email=t@example.invalid', '-c', 'user.name=t', '-c', 'core.hooksPath=/dev/null', ...args],
        { cwd: root(), encoding: 'utf8' },
      ).trim();
    const token = forgedJwt('tok_st_committed1');
    const file = path.join(root(), 'history-leak.http');
    fs.writeFileSync(file, `GET https://example.invalid/jobs\nAuthorization: Bearer ${token}\n`);
    git('add', 'history-leak.http');
    git('commit', '-qm', 'add a request', '--', 'history-leak.http');
    const commit = git('rev-parse', 'HEAD');
    fs.writeFileSync(file, 'GET https://example.invalid/jobs\nAuthorization: Bearer {{$dotenv C2M_ACCESS_TOKEN}}\n');
    git('commit', '-qm', 'use .env', '--', 'history-leak.http');
    try {
      const result = await run<LeakScanResult>('c2m.scanGitHistory');
      const found = (result?.history?.findings ?? []).filter((f) => f.fingerprint === tokenFingerprint(token));
      assert.deepEqual(
        found.map((f) => [f.origin, f.range.start.line, f.status]),
        [[{ kind: 'git', commit, path: 'history-leak.http' }, 1, 'unknown']],
      );
      const view = api.testing.leakView();
      assert.ok(
        view.rows.some((r) => r.label === 'Git history'),
        `a Git history group: ${JSON.stringify(view.rows.slice(-3))}`,
      );
      assert.match(view.message ?? '', /^Git history: \d+ tokens? found in \d+ commits?; \d+ commits? searched\.$/);
      assert.ok(!JSON.stringify(result).includes(token), 'no value in the result');
    } finally {
      fs.rmSync(file, { force: true });
    }
  });
});
