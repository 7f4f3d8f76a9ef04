// The workspace `npm start` opens is laid out like a cloned project: its own repository with one commit, nothing
// changed in Source Control, and .env (which the sync writes) ignored.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

describe('demo workspace of npm start', () => {
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'c2m-demo-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('is a repository with one commit and a clean working tree; .env is ignored', async () => {
    // A path in a variable: the script is plain JavaScript, checked by its own tsconfig, not this one.
    const script = path.join(__dirname, '..', '..', 'scripts', 'lib', 'demoWorkspace.mjs');
    const { writeDemoWorkspace } = (await import(script)) as {
      writeDemoWorkspace(target: string, baseUrl: string): string;
    };
    const dir = writeDemoWorkspace(path.join(tmp, 'demo'), 'http://127.0.0.1:8787/v1');
    const git = (...args: string[]): string => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
    assert.equal(git('rev-list', '--count', 'HEAD').trim(), '1');
    assert.equal(git('status', '--porcelain'), '', 'Source Control shows no changes');
    assert.match(git('ls-files'), /demo\.http/);
    assert.doesNotMatch(git('ls-files'), /^\.env$/m);
    assert.equal(git('check-ignore', '.env').trim(), '.env');
  });
});
