// No product source file grows past about 600 lines: a module that long keeps more than one concern, and the next
// change to it is harder to review. The test lists every file over the limit, so a failure says what to split.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const SOURCE_ROOTS = ['client/src', 'server/src', 'shared/src', 'sandbox/src'];
/** "About 600": a little room so a comment added to a file near the line is not a failure by itself. */
const MAX_LINES = 620;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return /\.(ts|mts|cts)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

function lineCount(file: string): number {
  const text = fs.readFileSync(file, 'utf8');
  return text.length === 0 ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

describe('source file size', () => {
  it(`no product source file is over ${MAX_LINES} lines`, () => {
    const files = SOURCE_ROOTS.flatMap((root) => sourceFiles(path.join(ROOT, root)));
    assert.ok(files.length > 100, `the source folders were found (${files.length} files)`);
    const over = files
      .map((f) => ({ file: path.relative(ROOT, f), lines: lineCount(f) }))
      .filter((f) => f.lines > MAX_LINES)
      .map((f) => `${f.file}: ${f.lines} lines`);
    assert.deepEqual(over, []);
  });

  it('counts lines as an editor does', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'c2m-size-'));
    try {
      const write = (name: string, text: string): string => {
        const f = path.join(dir, name);
        fs.writeFileSync(f, text);
        return f;
      };
      assert.equal(lineCount(write('a.ts', '')), 0);
      assert.equal(lineCount(write('b.ts', 'one\n')), 1);
      assert.equal(lineCount(write('c.ts', 'one\ntwo')), 2);
      assert.equal(lineCount(write('d.ts', 'one\ntwo\n')), 2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
