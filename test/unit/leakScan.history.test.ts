// The git history scan on real repositories: a token committed and removed later is found by the commit that added
// it, its path and line; a repository's own diff commands (external diff, textconv, fsmonitor) never run; an abort
// stops git mid-history; an untrusted workspace starts no git at all.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scanGitHistory } from '../../client/src/integrations/leakScan/historyScan';
import { tokenFingerprint } from '@shared/tokens/fingerprint';
import { makeJwt } from '../support/jwt';

const JWT = makeJwt({ jti: 'tok_st_history1', exp: 2_000_000_000 }, { alg: 'ES256' });
const LONG = `lt_${'c0ffee'.repeat(6)}`;

describe('leak scan: git history', function () {
  if (process.platform === 'win32') return; // the hostile hooks below are shell scripts
  this.timeout(60_000);
  let tmp: string;
  let repo: string;
  const git = (...args: string[]): string =>
    execFileSync('git', ['-c', 'user.email=t@example.invalid', '-c', 'user.name=t', ...args], {
      cwd: repo,
      encoding: 'utf8',
    }).trim();
  const write = (name: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(repo, name)), { recursive: true });
    fs.writeFileSync(path.join(repo, name), text);
  };

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'c2m-history-'));
    repo = path.join(tmp, 'repo');
    fs.mkdirSync(repo);
    git('init', '-q');
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('finds a token committed and then removed, by commit, path and line', async () => {
    write('api/request.http', 'GET https://example.invalid/jobs\n');
    git('add', '.');
    git('commit', '-qm', 'first');
    write('api/request.http', `GET https://example.invalid/jobs\nAuthorization: Bearer ${JWT}\n`);
    write('dir with space/ké.txt', `key=${LONG}\n`);
    git('add', '.');
    git('commit', '-qm', 'oops');
    const added = git('rev-parse', 'HEAD');
    write('api/request.http', 'GET https://example.invalid/jobs\nAuthorization: Bearer {{$dotenv C2M_ACCESS_TOKEN}}\n');
    fs.rmSync(path.join(repo, 'dir with space'), { recursive: true });
    git('add', '-A');
    git('commit', '-qm', 'fix');
    assert.ok(
      !fs.readFileSync(path.join(repo, 'api/request.http'), 'utf8').includes(JWT),
      'gone from the working tree',
    );

    const result = await scanGitHistory(repo, { ctx: { trusted: true, workspaceDirs: [repo] }, maxFindings: 100 });
    assert.equal(result.commits, 3);
    assert.deepEqual(
      result.findings
        .map((f) => [f.commit, f.path, f.line, f.character, f.shape, f.fingerprint, f.tokenId ?? null])
        .sort(),
      [
        [added, 'api/request.http', 1, 22, 'jwt', tokenFingerprint(JWT), 'tok_st_history1'],
        [added, 'dir with space/ké.txt', 0, 4, 'longTerm', tokenFingerprint(LONG), null],
      ].sort(),
    );
    assert.ok(
      !JSON.stringify(result).includes(JWT) && !JSON.stringify(result).includes(LONG),
      'no value in the result',
    );
  });

  it("never runs the repository's external diff, textconv or fsmonitor commands", async () => {
    const marker = path.join(tmp, 'ran');
    const hook = path.join(tmp, 'hook.sh');
    fs.writeFileSync(hook, `#!/bin/sh\necho ran >> '${marker}'\ncat "$@" >/dev/null 2>&1\n`, { mode: 0o755 });
    git('config', 'diff.external', hook);
    git('config', 'diff.sneaky.textconv', hook);
    git('config', 'core.fsmonitor', hook);
    write('.gitattributes', '*.http diff=sneaky\n');
    write('a.http', `Authorization: Bearer ${JWT}\n`);
    git('add', '.');
    git('-c', 'core.fsmonitor=false', 'commit', '-qm', 'with attributes');
    fs.rmSync(marker, { force: true });
    const result = await scanGitHistory(repo, { ctx: { trusted: true, workspaceDirs: [repo] }, maxFindings: 100 });
    assert.deepEqual(
      result.findings.map((f) => f.path),
      ['a.http'],
      'the plain diff was read',
    );
    assert.equal(fs.existsSync(marker), false, 'no command of the repository ran');
  });

  it('an untrusted workspace starts no git', async () => {
    const result = await scanGitHistory(repo, { ctx: { trusted: false, workspaceDirs: [repo] }, maxFindings: 100 });
    assert.equal(result.unavailable, 'the workspace is not trusted');
    assert.equal(result.commits, 0);
  });

  it('cancel: an abort mid-history stops git, and what was found so far stays', async () => {
    // Enough history that git is still writing when the first findings arrive (its output is read chunk by chunk).
    for (let i = 0; i < 40; i++) {
      write(`f${i}.txt`, `${`line ${i}\n`.repeat(2000)}token ${makeJwt({ jti: `tok_${i}`, exp: 2_000_000_000 })}\n`);
      git('add', '.');
      git('commit', '-qm', `c${i}`);
    }
    const controller = new AbortController();
    const result = await scanGitHistory(repo, {
      ctx: { trusted: true, workspaceDirs: [repo] },
      maxFindings: 1000,
      signal: controller.signal,
      onFindings: (found) => {
        if (found.length > 0) controller.abort();
      },
    });
    assert.equal(result.cancelled, true);
    assert.ok(
      result.findings.length >= 1 && result.findings.length < 40,
      `stopped early: ${result.findings.length} of 40`,
    );
  });
});
