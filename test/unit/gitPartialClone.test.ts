// A hostile repository's `.git/config` that makes it a partial clone (extensions.partialClone) with a blob missing:
// `git log -p` then fetches the blob lazily from the promisor remote, and that fetch runs the repository's
// `remote.<name>.uploadpack` (or core.sshCommand, a credential helper…) as a shell command. Neither the history scan
// nor any other git the leak scan starts may run it.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scanGitHistory } from '../../client/src/integrations/leakScan/historyScan';

describe('git history scan and a partial clone', function () {
  if (process.platform === 'win32') return; // the hostile command below is a shell command
  this.timeout(60_000);
  let tmp: string;
  let repo: string;
  const git = (...args: string[]): string =>
    execFileSync('git', ['-c', 'user.email=t@example.invalid', '-c', 'user.name=t', ...args], {
      cwd: repo,
      encoding: 'utf8',
    }).trim();

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'c2m-lazyfetch-'));
    repo = path.join(tmp, 'repo');
    fs.mkdirSync(repo);
    git('init', '-q');
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("never runs a promisor remote's uploadpack (lazy fetch of a missing blob)", async () => {
    fs.writeFileSync(path.join(repo, 'a.txt'), 'one\n');
    git('add', '.');
    git('commit', '-qm', 'one');
    fs.writeFileSync(path.join(repo, 'a.txt'), 'one\ntwo\n');
    git('commit', '-qam', 'two');
    const blob = git('rev-parse', 'HEAD:a.txt');
    fs.rmSync(path.join(repo, '.git', 'objects', blob.slice(0, 2), blob.slice(2)));
    const marker = path.join(tmp, 'ran');
    git('config', 'core.repositoryformatversion', '1');
    git('config', 'extensions.partialClone', 'origin');
    git('config', 'remote.origin.url', repo);
    git('config', 'remote.origin.promisor', 'true');
    git('config', 'protocol.file.allow', 'always');
    git('config', 'remote.origin.uploadpack', `echo ran >> '${marker}'; false`);

    await scanGitHistory(repo, { ctx: { trusted: true, workspaceDirs: [repo] }, maxFindings: 100 });
    assert.equal(fs.existsSync(marker), false, "the repository's uploadpack command ran during the history scan");
  });
});
