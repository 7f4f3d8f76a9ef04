// The atomic replace behind the env writer, on real files in a temporary folder: the original is replaced only when it
// is still the regular file that was read (same inode, same bytes); a save in between, a swap for a symlink or for
// another file leaves it as it is. No temporary file is left behind either way.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NotRegularFileError, readSnapshot, replaceIfUnchanged } from '../../client/src/core/fileReplace';

const MAX = 1024 * 1024;

describe('fileReplace: replaceIfUnchanged', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'c2m-replace-'));
    file = path.join(dir, '.env');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const leftovers = (): string[] => fs.readdirSync(dir).filter((n) => n.includes('c2m-tmp'));

  it('replaces an unchanged file, keeping its mode, and leaves no temporary file', async () => {
    fs.writeFileSync(file, 'A=1\n', { mode: 0o640 });
    fs.chmodSync(file, 0o640);
    const snapshot = await readSnapshot(file, MAX);
    assert.equal(await replaceIfUnchanged(file, snapshot, Buffer.from('A=2\n'), MAX), 'written');
    assert.equal(fs.readFileSync(file, 'utf8'), 'A=2\n');
    assert.equal(fs.statSync(file).mode & 0o777, 0o640);
    assert.deepEqual(leftovers(), []);
  });

  it('with ownerOnly (the content holds a token) a file others could read ends up readable by its owner only', async () => {
    fs.writeFileSync(file, 'C2M_ACCESS_TOKEN=\n', { mode: 0o644 });
    fs.chmodSync(file, 0o664);
    const snapshot = await readSnapshot(file, MAX);
    assert.equal(
      await replaceIfUnchanged(file, snapshot, Buffer.from('C2M_ACCESS_TOKEN=eyJ.x.y\n'), MAX, {}, { ownerOnly: true }),
      'written',
    );
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  });

  it('a save made between reading and writing wins: nothing is written, the save is kept', async () => {
    fs.writeFileSync(file, 'A=1\n');
    const snapshot = await readSnapshot(file, MAX);
    const result = await replaceIfUnchanged(file, snapshot, Buffer.from('A=2\n'), MAX, {
      beforeCommit: async () => fs.writeFileSync(file, 'A=1\nMINE=saved\n'),
    });
    assert.equal(result, 'changed');
    assert.equal(fs.readFileSync(file, 'utf8'), 'A=1\nMINE=saved\n');
    assert.deepEqual(leftovers(), []);
  });

  it('a file swapped for a symlink or for another file with the same bytes is not replaced', async () => {
    const outside = path.join(dir, 'outside.env');
    fs.writeFileSync(outside, 'A=1\n');
    fs.writeFileSync(file, 'A=1\n');
    let snapshot = await readSnapshot(file, MAX);
    const swapped = await replaceIfUnchanged(file, snapshot, Buffer.from('A=2\n'), MAX, {
      beforeCommit: async () => {
        fs.rmSync(file);
        fs.symlinkSync(outside, file);
      },
    });
    assert.equal(swapped, 'changed');
    assert.equal(fs.readFileSync(outside, 'utf8'), 'A=1\n', 'the link target is untouched');
    assert.ok(fs.lstatSync(file).isSymbolicLink());

    fs.rmSync(file);
    fs.writeFileSync(file, 'A=1\n');
    snapshot = await readSnapshot(file, MAX);
    const replaced = await replaceIfUnchanged(file, snapshot, Buffer.from('A=2\n'), MAX, {
      beforeCommit: async () => {
        fs.renameSync(file, path.join(dir, 'moved.env'));
        fs.writeFileSync(file, 'A=1\n'); // same bytes, another file (another inode)
      },
    });
    assert.equal(replaced, 'changed');
    assert.equal(fs.readFileSync(file, 'utf8'), 'A=1\n');
    assert.deepEqual(leftovers(), []);
  });

  it('a new file is created readable by its owner only, unless one appeared meanwhile', async () => {
    const snapshot = await readSnapshot(file, MAX);
    assert.equal(snapshot.bytes, undefined);
    assert.equal(await replaceIfUnchanged(file, snapshot, Buffer.from('T=v\n'), MAX), 'written');
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    const other = path.join(dir, 'sub', '.env');
    const none = await readSnapshot(other, MAX);
    const raced = await replaceIfUnchanged(other, none, Buffer.from('T=v\n'), MAX, {
      beforeCommit: async () => fs.writeFileSync(other, 'USER=first\n'),
    });
    assert.equal(raced, 'changed');
    assert.equal(fs.readFileSync(other, 'utf8'), 'USER=first\n');
  });

  it('never reads through a symlink', async () => {
    fs.writeFileSync(path.join(dir, 'target'), 'A=1\n');
    fs.symlinkSync(path.join(dir, 'target'), file);
    await assert.rejects(
      readSnapshot(file, MAX),
      (e: unknown) => e instanceof NotRegularFileError && e.kind === 'symlink',
    );
  });
});
