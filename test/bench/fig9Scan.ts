// Figure 9: the workspace leak scan on a generated repository of 100,000 files (about 1 GB; 10,000 with --quick),
// beside ripgrep with the same token patterns, one thread (`rg -j1`) and all threads, in the same run. Our side is
// the extension's own pipeline without the editor: the streamed listing (`git ls-files`, through the guarded git
// starter), batches to the language server's scanFiles (called in-process: no JSON-RPC between the two), the
// shared token scanner. Both sides must report the same findings (file, line, token fingerprint): checked here.
// Files/s and MB/s are of warm runs (the files in the page cache); the first run of each side is `cold`. The sides
// alternate round by round and the ratio is the median of the rounds' time ratios (ours / rg -j1).
import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scanRoots } from '../../client/src/integrations/leakScan/workspaceStream';
import { scanFiles } from '../../server/src/features/workspaceScan';
import { tokenFingerprint } from '@shared/tokens/fingerprint';
import type { BenchContext } from './benchContext';
import type { Row } from './results';
import { writeScanRepo } from './scanRepo';
import { median } from './stats';

/** The scanner's grammar as one regex for ripgrep: a JWT (header run of 8+, payload, signature) or `lt_` + 16+, at a word start. */
const RG_PATTERN = '(?:^|[^A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*|lt_[A-Za-z0-9_-]{16,})';
const RUNS = 3;

function run(command: string, args: readonly string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, maxBuffer: 256 * 1024 * 1024 }, (error, stdout) => {
      // rg exits 1 when nothing matched.
      if (error && (error as { code?: unknown }).code !== 1) reject(error);
      else resolve(stdout);
    });
  });
}

async function ours(root: string): Promise<Set<string>> {
  const result = await scanRoots([{ root, excluded: () => false }], (p) => scanFiles(p), {
    ctx: { trusted: true, workspaceDirs: [root] },
    batchSize: 500,
    maxFileBytes: 1024 * 1024,
    maxFindings: 1_000_000,
  });
  return new Set(
    result.findings.map(
      (f) => `${path.relative(root, fileURLToPath(f.uri))}:${f.range.start.line + 1}:${f.fingerprint}`,
    ),
  );
}

async function ripgrep(root: string, threads: number | undefined): Promise<Set<string>> {
  const args = [
    '--hidden',
    '-g',
    '!.git',
    '--max-filesize',
    '1M',
    '--no-heading',
    '--with-filename',
    '--line-number',
    '--only-matching',
    '--no-config',
    '-r',
    '$1',
  ];
  if (threads !== undefined) args.push('-j', String(threads));
  const out = await run('rg', [...args, '-e', RG_PATTERN, '.'], root);
  const set = new Set<string>();
  for (const lineText of out.split('\n')) {
    const m = /^(?:\.\/)?(.*?):(\d+):(.*)$/.exec(lineText);
    if (m) set.add(`${m[1]}:${m[2]}:${tokenFingerprint(m[3]!)}`);
  }
  return set;
}

function sameSet(a: Set<string>, b: Set<string>): string | undefined {
  const missing = [...a].filter((x) => !b.has(x));
  const extra = [...b].filter((x) => !a.has(x));
  return missing.length + extra.length === 0
    ? undefined
    : `${missing.length} only in ours (${missing.slice(0, 2).join(', ')}), ${extra.length} only in rg (${extra.slice(0, 2).join(', ')})`;
}

export async function figure9(ctx: BenchContext): Promise<Row[]> {
  const files = ctx.quick ? 10_000 : 100_000;
  ctx.log(`figure 9: generating a ${files}-file repository`);
  const repo = writeScanRepo(path.join(ctx.runDir, 'scan-repo'), files);
  const expected = new Set(
    repo.planted.map((p) => {
      const [file, line, token] = p.split(':') as [string, string, string];
      return `${file}:${line}:${tokenFingerprint(token)}`;
    }),
  );
  ctx.log(
    `figure 9: ${repo.files} files, ${(repo.bytes / 1e6).toFixed(0)} MB, ${expected.size} planted tokens; scanning`,
  );
  // The sides alternate, round after round (other work on the machine comes and goes: each round's ratio compares
  // runs made close together, and the ratio reported is the median of the warm rounds' ratios).
  const scan = { ms: [] as number[], value: new Set<string>() };
  const rg1 = { ms: [] as number[], value: new Set<string>() };
  const rgAll = { ms: [] as number[], value: new Set<string>() };
  for (let round = 0; round <= RUNS; round++) {
    for (const [side, fn] of [
      [scan, () => ours(repo.root)],
      [rg1, () => ripgrep(repo.root, 1)],
      [rgAll, () => ripgrep(repo.root, undefined)],
    ] as const) {
      const started = performance.now();
      side.value = await fn();
      side.ms.push(performance.now() - started);
    }
  }
  const mismatch = sameSet(expected, scan.value) ?? sameSet(scan.value, rg1.value) ?? sameSet(scan.value, rgAll.value);
  if (mismatch) throw new Error(`figure 9: the finding sets differ: ${mismatch}`);
  const mb = repo.bytes / 1e6;
  const warm = (t: { ms: number[] }): number => median(t.ms.slice(1));
  const row = (figure: string, t: { ms: number[] }, extra: Partial<Row> = {}): Row[] => [
    {
      figure: `${figure} files/s`,
      unit: 'files/s',
      median: repo.files / (warm(t) / 1000),
      cold: repo.files / (t.ms[0]! / 1000),
      runs: RUNS,
      ...extra,
    },
    { figure: `${figure} MB/s`, unit: 'MB/s', median: mb / (warm(t) / 1000), cold: mb / (t.ms[0]! / 1000), runs: RUNS },
  ];
  const ratio = median(scan.ms.slice(1).map((ms, i) => ms / rg1.ms[i + 1]!));
  return [
    ...row('9 leak scan', scan, {
      reference: `rg -j1 ${(repo.files / (warm(rg1) / 1000)).toFixed(0)} files/s (ratio: median of paired rounds)`,
      ratio,
      goal: 'time <= 2x rg -j1',
      met: ratio <= 2,
      note: `${repo.files} files, ${mb.toFixed(0)} MB, ${scan.value.size} findings, the same as both rg runs`,
    }),
    ...row('9 rg -j1', rg1),
    ...row(`9 rg (all ${os.cpus().length} threads)`, rgAll),
  ];
}
