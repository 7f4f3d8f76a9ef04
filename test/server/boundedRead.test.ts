// A hostile repository's `.env` that is a symlink to a file whose size stat reports as 0 but which reads without end
// (/proc/self/pagemap: 8 bytes per page of the language server's address space), and a FIFO. The readers must hold
// their bound: at most what fstat says, checked on the open file, and no wait for a writer.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { readBounded } from '../../server/src/boundedRead';
import { EnvFileCache } from '../../server/src/features/envFiles';

describe('env files the destination guard reads, and files the leak scan reads', function () {
  if (process.platform !== 'linux') return; // /proc
  this.timeout(60_000);
  let tmp: string;
  beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'c2m-envread-'))));
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('reads no more than its bound from a .env that is a symlink to /proc/self/pagemap', async () => {
    const env = path.join(tmp, '.env');
    fs.symlinkSync('/proc/self/pagemap', env);
    const calls: number[] = [];
    const original = fs.promises.readFile;
    // Counts what the reader asks the file system to read in full (fs.readFile ignores stat's size of 0).
    (fs.promises as { readFile: unknown }).readFile = async (...args: Parameters<typeof original>) => {
      const out = await original(...args).catch((error: unknown) => {
        calls.push(Number.POSITIVE_INFINITY);
        throw error;
      });
      calls.push(out.length);
      return out;
    };
    try {
      const values = await new EnvFileCache().read(env);
      assert.ok(values === undefined || values.size === 0, 'nothing is read from it');
    } finally {
      (fs.promises as { readFile: unknown }).readFile = original;
    }
    assert.ok(
      calls.every((n) => n <= 1024 * 1024),
      `the reader read ${calls.map((n) => (n === Number.POSITIVE_INFINITY ? 'until it failed (string too long: about 512 MB read)' : String(n))).join(', ')} from a file stat says is empty`,
    );
  });

  it('reads at most what fstat says of a /proc file, and never waits on a FIFO', () => {
    const proc = readBounded('/proc/self/pagemap', 1024 * 1024);
    assert.ok(!('bytes' in proc) || proc.bytes.length === 0, 'no bytes past the size fstat gave (0)');
    const fifo = path.join(tmp, 'fifo.env');
    execFileSync('mkfifo', [fifo]);
    // Opened blocking, this would wait for a writer forever (the test would time out).
    assert.deepEqual(readBounded(fifo, 1024 * 1024), { skipped: 'not a file' });
  });
});
