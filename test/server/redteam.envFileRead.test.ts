// A hostile repository's `.env` that is a symlink to a file whose size stat reports as 0 but which reads without end
// (/proc/self/pagemap: 8 bytes per page of the language server's address space). The env-file reader checks the size
// with stat and then reads the whole file, so the bound does not hold: the server reads hundreds of megabytes.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EnvFileCache } from '../../server/src/features/envFiles';

describe('redteam: env files the destination guard reads', function () {
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
      assert.equal(await new EnvFileCache().read(env), undefined);
    } finally {
      (fs.promises as { readFile: unknown }).readFile = original;
    }
    assert.ok(calls.every((n) => n <= 1024 * 1024), `the reader read ${calls.map((n) => (n === Number.POSITIVE_INFINITY ? 'until it failed (string too long: about 512 MB read)' : String(n))).join(', ')} from a file stat says is empty`);
  });
});
