// The streamed workspace scan on real folders: batches never larger than asked, never more than two batches of paths
// listed ahead of what was searched (the memory bound, counted on the listing itself, not timed), git-ignored and
// excluded files left out (git's listing and the walk without git alike), and an abort stops it between batches.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { excludeMatcher } from '../../client/src/integrations/leakScan/glob';
import { scanRoots } from '../../client/src/integrations/leakScan/workspaceStream';
import { scanFiles } from '../../server/src/features/workspaceScan';
import type { ScanFilesParams } from '@shared/protocol/scan';
import { makeJwt } from '../support/jwt';

const JWT = makeJwt({ jti: 'tok_st_ws1', exp: 2_000_000_000 });
const FILES = 1_203;
const BATCH = 100;

describe('leak scan: the streamed workspace scan', function () {
  this.timeout(60_000);
  let root: string;

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'c2m-wsscan-'));
    for (let i = 0; i < FILES; i++) {
      const dir = path.join(root, `d${i % 7}`, `e${i % 5}`);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `f${i}.txt`), i % 100 === 0 ? `x\nBearer ${JWT}\n` : `nothing here ${i}\n`);
    }
    for (const dir of ['ignored', 'node_modules/pkg']) {
      fs.mkdirSync(path.join(root, dir), { recursive: true });
      fs.writeFileSync(path.join(root, dir, 'secret.http'), `Authorization: Bearer ${JWT}\n`);
    }
    fs.writeFileSync(path.join(root, '.gitignore'), '/ignored/\n');
    execFileSync('git', ['init', '-q'], { cwd: root });
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  for (const trusted of [true, false]) {
    it(`${trusted ? "git's listing" : 'the walk (untrusted: no git)'}: bounded batches, at most two batches listed ahead, excluded files skipped`, async () => {
      let listed = 0;
      let searched = 0;
      let mostAhead = 0;
      const sizes: number[] = [];
      const excluded = excludeMatcher(['**/node_modules', '**/.git']);
      const result = await scanRoots(
        [{ root, excluded: (rel) => (listed++, excluded(rel)) }],
        async (params: ScanFilesParams) => {
          sizes.push(params.uris.length);
          mostAhead = Math.max(mostAhead, listed - searched);
          const answer = await scanFiles(params);
          searched += params.uris.length;
          return answer;
        },
        { ctx: { trusted, workspaceDirs: [root] }, batchSize: BATCH, maxFileBytes: 1 << 20, maxFindings: 1000 },
      );
      const files = result.findings.map((f) => path.relative(root, fileURLToPath(f.uri)));
      assert.ok(
        sizes.every((n) => n <= BATCH),
        `batch sizes ${sizes.join(',')}`,
      );
      // The names asked about (files and, walking, folders) but not searched yet: this batch, the next one, and the
      // names of the folder or git output chunk being read, never the whole listing.
      assert.ok(mostAhead <= 3 * BATCH, `listed ahead: ${mostAhead}`);
      assert.ok(!files.some((f) => f.startsWith('node_modules')), 'search.exclude-style pattern honoured');
      if (trusted) assert.ok(!files.some((f) => f.startsWith('ignored')), 'git-ignored folder skipped');
      else
        assert.ok(
          files.some((f) => f.startsWith('ignored')),
          'without git nothing is subtracted',
        );
      assert.equal(files.filter((f) => f.startsWith('d')).length, Math.ceil(FILES / 100));
      assert.equal(result.cancelled, false);
    });
  }

  it('cancel: an abort after the first batch stops the scan; what it found stays', async () => {
    const controller = new AbortController();
    let batches = 0;
    const result = await scanRoots([{ root, excluded: () => false }], (p) => scanFiles(p), {
      ctx: { trusted: true, workspaceDirs: [root] },
      batchSize: BATCH,
      maxFileBytes: 1 << 20,
      maxFindings: 1000,
      signal: controller.signal,
      onBatch: () => {
        batches++;
        controller.abort();
      },
    });
    assert.equal(result.cancelled, true);
    assert.equal(batches, 1);
    assert.equal(result.filesSearched, BATCH);
  });

  it('glob: files.exclude / search.exclude patterns match a path or one of its folders', () => {
    const ex = excludeMatcher(['**/node_modules', '**/*.code-search', 'build/**', '**/{tmp,cache}', 'docs/[ab]?.md']);
    for (const p of [
      'node_modules/x/y.js',
      'a/node_modules/z',
      'q.code-search',
      'x/y/q.code-search',
      'build/out.js',
      'x/tmp/f',
      'cache',
      'docs/a1.md',
    ])
      assert.ok(ex(p), p);
    for (const p of ['src/node_modulesx/a', 'a/build/x', 'tmpx/f', 'docs/c1.md', 'docs/a12.md', 'src/app.ts'])
      assert.ok(!ex(p), p);
  });
});
