// The git wrapper (client/src/integrations/gitIgnore.ts) with real git on real repositories: a repository's fsmonitor hook
// never runs, git is never started in an untrusted workspace, and a `git` inside the workspace is never the one used.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findGit, gitIgnoredAmong, gitIgnoreStatus, type GitContext } from '../../client/src/integrations/gitIgnore';

const isWindows = process.platform === 'win32';

describe('gitIgnore: the one git wrapper', function () {
  if (isWindows) return; // the hooks and fake gits below are shell scripts
  let tmp: string;
  let repo: string;
  let marker: string;
  /** A folder on PATH holding a fake `git` that leaves a marker when run. */
  let fakeBin: string;
  let fakeMarker: string;
  const systemPath = process.env.PATH ?? '';

  const trusted = (extra: Partial<GitContext> = {}): GitContext => ({ trusted: true, workspaceDirs: [repo], ...extra });

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'c2m-git-'));
    repo = path.join(tmp, 'repo');
    fs.mkdirSync(repo);
    marker = path.join(tmp, 'fsmonitor-ran');
    execFileSync('git', ['init', '-q'], { cwd: repo });
    // The hostile repository: its fsmonitor "hook" is any command, run by git on index reads.
    const hook = path.join(tmp, 'hook.sh');
    fs.writeFileSync(hook, `#!/bin/sh\ntouch '${marker}'\n`, { mode: 0o755 });
    execFileSync('git', ['config', 'core.fsmonitor', hook], { cwd: repo });
    fs.writeFileSync(path.join(repo, '.gitignore'), '.env\n');
    fs.writeFileSync(path.join(repo, '.env'), 'A=1\n');
    fs.writeFileSync(path.join(repo, 'tracked.env'), 'A=1\n');
    fakeMarker = path.join(tmp, 'fake-git-ran');
    fakeBin = path.join(tmp, 'fakebin');
    fs.mkdirSync(fakeBin);
    fs.writeFileSync(path.join(fakeBin, 'git'), `#!/bin/sh\ntouch '${fakeMarker}'\nexit 0\n`, { mode: 0o755 });
  });

  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('the hostile hook is real: plain `git check-ignore` runs it (so the assertions below can fail)', () => {
    execFileSync('git', ['check-ignore', '-q', '.env'], { cwd: repo, stdio: 'ignore' });
    assert.ok(fs.existsSync(marker));
  });

  it("answers ignored / not_ignored without running the repository's core.fsmonitor command", async () => {
    assert.equal(await gitIgnoreStatus(path.join(repo, '.env'), trusted()), 'ignored');
    assert.equal(await gitIgnoreStatus(path.join(repo, 'tracked.env'), trusted()), 'not_ignored');
    const among = await gitIgnoredAmong(repo, [path.join(repo, '.env'), path.join(repo, 'tracked.env')], trusted());
    assert.deepEqual([...(among ?? [])], [path.join(repo, '.env')]);
    assert.equal(fs.existsSync(marker), false, 'the fsmonitor hook ran');
  });

  it('untrusted workspace: git is not started at all, the answer is unknown', async () => {
    const ctx: GitContext = {
      trusted: false,
      workspaceDirs: [repo],
      pathEnv: `${fakeBin}${path.delimiter}${systemPath}`,
    };
    assert.equal(await gitIgnoreStatus(path.join(repo, '.env'), ctx), 'unknown');
    assert.equal(await gitIgnoredAmong(repo, [path.join(repo, '.env')], ctx), undefined);
    assert.equal(fs.existsSync(fakeMarker), false, 'a git was started');
    assert.equal(fs.existsSync(marker), false);
  });

  it('outside a repository, or without git, the answer is unknown (never "ignored")', async () => {
    const loose = path.join(tmp, 'loose');
    fs.mkdirSync(loose);
    fs.writeFileSync(path.join(loose, '.env'), 'A=1\n');
    assert.equal(await gitIgnoreStatus(path.join(loose, '.env'), trusted({ workspaceDirs: [loose] })), 'unknown');
    assert.equal(
      await gitIgnoreStatus(path.join(repo, '.env'), trusted({ pathEnv: path.join(tmp, 'empty-bin') })),
      'unknown',
    );
    assert.equal(await gitIgnoredAmong(repo, [path.join(repo, '.env')], trusted({ pathEnv: '' })), undefined);
  });

  it('a git inside the workspace, or on a relative PATH entry, is never used; one outside is, by absolute path', async () => {
    const inside = path.join(repo, 'bin');
    fs.cpSync(fakeBin, inside, { recursive: true });
    const system = findGit({ workspaceDirs: [], pathEnv: systemPath });
    assert.ok(system && path.isAbsolute(system));
    assert.equal(
      findGit({ workspaceDirs: [repo], pathEnv: [inside, 'fakebin', systemPath].join(path.delimiter) }),
      system,
    );
    // Run from tmp so the relative entry would resolve to the fake git.
    const cwd = process.cwd();
    process.chdir(tmp);
    try {
      assert.equal(
        await gitIgnoreStatus(
          path.join(repo, '.env'),
          trusted({ pathEnv: [inside, 'fakebin', systemPath].join(path.delimiter) }),
        ),
        'ignored',
      );
    } finally {
      process.chdir(cwd);
    }
    assert.equal(fs.existsSync(fakeMarker), false, 'a workspace or relative git was started');
    // Outside the workspace the same script is an ordinary git on PATH: found first.
    assert.equal(
      findGit({ workspaceDirs: [repo], pathEnv: [fakeBin, systemPath].join(path.delimiter) }),
      path.join(fakeBin, 'git'),
    );
  });

  it('a symlink to a git inside the workspace is not used either', () => {
    const linkDir = path.join(tmp, 'linkbin');
    fs.mkdirSync(linkDir);
    const inside = path.join(repo, 'bin');
    fs.cpSync(fakeBin, inside, { recursive: true });
    fs.symlinkSync(path.join(inside, 'git'), path.join(linkDir, 'git'));
    assert.equal(findGit({ workspaceDirs: [repo], pathEnv: linkDir }), undefined);
  });
});
