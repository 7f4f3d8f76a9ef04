// "Add this file to .gitignore" with real git on real repositories: one line appended beside the env file, every
// byte already in .gitignore kept (line endings, no final newline, bytes that are not UTF-8), and the places a
// hostile repository could steer the write (a symlinked .gitignore, a file outside the workspace) refused.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  addToGitIgnore,
  gitIgnoreAppendix,
  gitIgnoreStatus,
  lineEndingOf,
  type GitContext,
} from '../../client/src/integrations/gitIgnore';

describe('gitIgnore: Add this file to .gitignore', function () {
  if (process.platform === 'win32') return;
  let tmp: string;
  let repo: string;
  const ctx = (extra: Partial<GitContext> = {}): GitContext => ({ trusted: true, workspaceDirs: [repo], ...extra });
  const file = (rel: string, text = 'C2M_ACCESS_TOKEN=x\n'): string => {
    const p = path.join(repo, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
    return p;
  };

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'c2m-gitadd-'));
    repo = path.join(tmp, 'repo');
    fs.mkdirSync(repo);
    execFileSync('git', ['init', '-q'], { cwd: repo });
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('reads the line ending a file uses', () => {
    assert.equal(lineEndingOf(''), '\n');
    assert.equal(lineEndingOf('a\nb\r\n'), '\n');
    assert.equal(lineEndingOf('a\r\nb\n'), '\r\n');
    assert.equal(lineEndingOf('a\rb'), '\r');
  });

  it("appends in the file's own line ending, after a break only when the last line has none", () => {
    assert.equal(gitIgnoreAppendix('', '.env'), '/.env\n');
    assert.equal(gitIgnoreAppendix('node_modules\r\n', '.env'), '/.env\r\n');
    assert.equal(gitIgnoreAppendix('node_modules\rdist', '.env'), '\r/.env\r');
    assert.equal(gitIgnoreAppendix('dist', '.env.local'), '\n/.env.local\n');
    // Pattern characters are literal, a leading # or ! is not a comment or negation.
    assert.equal(gitIgnoreAppendix('', 'a[1]*.env'), '/a\\[1\\]\\*.env\n');
    assert.equal(gitIgnoreAppendix('', '#x.env'), '/\\#x.env\n');
  });

  it('creates .gitignore beside the file, and git then ignores it', async () => {
    const env = file('api/.env');
    assert.equal(await gitIgnoreStatus(env, ctx()), 'not_ignored');
    const result = await addToGitIgnore(env, ctx());
    assert.deepEqual(result, {
      outcome: 'added',
      gitIgnorePath: path.join(fs.realpathSync(repo), 'api', '.gitignore'),
    });
    assert.equal(fs.readFileSync(path.join(repo, 'api', '.gitignore'), 'utf8'), '/.env\n');
    assert.equal(await gitIgnoreStatus(env, ctx()), 'ignored');
    // A second time changes nothing.
    assert.equal((await addToGitIgnore(env, ctx())).outcome, 'already_ignored');
    assert.equal(fs.readFileSync(path.join(repo, 'api', '.gitignore'), 'utf8'), '/.env\n');
  });

  it('keeps every byte already in .gitignore: CRLF, no final newline, bytes that are not UTF-8', async () => {
    const before = Buffer.concat([
      Buffer.from('# caf'),
      Buffer.from([0xe9, 0xff]),
      Buffer.from('\r\nnode_modules\r\ndist'),
    ]);
    fs.writeFileSync(path.join(repo, '.gitignore'), before);
    const env = file('.env');
    assert.equal((await addToGitIgnore(env, ctx())).outcome, 'added');
    const after = fs.readFileSync(path.join(repo, '.gitignore'));
    assert.deepEqual(after.subarray(0, before.length), before);
    assert.equal(after.subarray(before.length).toString('latin1'), '\r\n/.env\r\n');
  });

  it('refuses a .gitignore that is a symlink, and writes nothing through it', async () => {
    const outside = path.join(tmp, 'outside.txt');
    fs.writeFileSync(outside, 'keep me\n');
    fs.symlinkSync(outside, path.join(repo, '.gitignore'));
    const env = file('.env');
    const result = await addToGitIgnore(env, ctx());
    assert.equal(result.outcome, 'refused');
    assert.equal(fs.readFileSync(outside, 'utf8'), 'keep me\n');
  });

  it('refuses in Restricted Mode and outside the workspace folders, without starting git or writing', async () => {
    const env = file('.env');
    assert.equal((await addToGitIgnore(env, ctx({ trusted: false }))).outcome, 'refused');
    assert.equal(
      (await addToGitIgnore(env, ctx({ workspaceDirs: [path.join(repo, 'elsewhere')] }))).outcome,
      'refused',
    );
    assert.equal(fs.existsSync(path.join(repo, '.gitignore')), false);
  });

  it('says so when git tracks the file: the line is added, but ignoring has no effect', async () => {
    const env = file('.env');
    execFileSync('git', ['add', '.env'], { cwd: repo });
    const result = await addToGitIgnore(env, ctx());
    assert.equal(result.outcome, 'tracked');
  });
});
