// Figure 9's input: a generated repository (git init, nothing committed: git lists the files as untracked) of
// `files` text files in nested folders, about 10 kB each on average, from a seeded PRNG so every run writes the same
// bytes. About 1% of the files get a planted token (a JWT or an `lt_` key) on a random line, some of them in `.env`
// files (hidden: ripgrep needs --hidden); a git-ignored folder holds tokens that neither side may report.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeJwt } from './benchInputs';
import { createRng, type Rng } from '../support/prng';

export interface ScanRepo {
  root: string;
  files: number;
  bytes: number;
  /** `relative/path:line(1-based):token` of every planted token outside the ignored folder. */
  planted: string[];
}

const WORDS = [
  'const',
  'value',
  'return',
  'request',
  'order',
  'customer',
  'import',
  'export',
  'function',
  'string',
  'number',
  'config',
  'handler',
  'status',
  'result',
  'items',
  'shipment',
  'invoice',
  'logger',
  'await',
];

function line(rng: Rng): string {
  const words: string[] = [];
  const n = 4 + rng.int(12);
  for (let i = 0; i < n; i++) words.push(WORDS[rng.int(WORDS.length)]!);
  return `${'  '.repeat(rng.int(4))}${words.join(rng.next() < 0.5 ? ' ' : '.')};`;
}

function longTerm(rng: Rng): string {
  const hex = '0123456789abcdef';
  let out = 'lt_';
  for (let i = 0; i < 48; i++) out += hex[rng.int(16)];
  return out;
}

export function writeScanRepo(root: string, files: number, seed = 9): ScanRepo {
  const rng = createRng(seed);
  mkdirSync(root, { recursive: true });
  // A pool of lines picked per line: one PRNG call per line keeps generating 1 GB to seconds.
  const pool = Array.from({ length: 4096 }, () => line(rng));
  const planted: string[] = [];
  let bytes = 0;
  const write = (relative: string, text: string): void => {
    const file = path.join(root, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    bytes += Buffer.byteLength(text);
  };
  for (let i = 0; i < files; i++) {
    const ext = ['ts', 'js', 'md', 'json', 'http', 'txt'][i % 6]!;
    const name = i % 250 === 7 ? `pkg${i % 100}/env${i}/.env` : `pkg${i % 100}/src/d${(i >> 3) % 50}/f${i}.${ext}`;
    const count = 10 + rng.int(240);
    const lines: string[] = [];
    for (let l = 0; l < count; l++) lines.push(pool[rng.int(pool.length)]!);
    if (i % 100 === 3 || name.endsWith('.env')) {
      const at = rng.int(count);
      const token = rng.next() < 0.7 ? makeJwt(rng) : longTerm(rng);
      lines[at] = name.endsWith('.env')
        ? `C2M_ACCESS_TOKEN=${token}`
        : rng.next() < 0.5
          ? `Authorization: Bearer ${token}`
          : `  "key": "${token}",`;
      planted.push(`${name}:${at + 1}:${token}`);
    }
    write(name, `${lines.join('\n')}\n`);
  }
  // Ignored by git: neither side reports these.
  write('.gitignore', '/ignored/\n');
  for (let i = 0; i < 20; i++) write(`ignored/secret${i}.http`, `Authorization: Bearer ${makeJwt(rng)}\n`);
  execFileSync('git', ['init', '-q'], { cwd: root });
  return { root, files: files + 21, bytes, planted: planted.sort() };
}
