// The files of one workspace folder, streamed in batches, never the whole list at once: git's own listing
// (`ls-files --cached --others --exclude-standard`: what git does not ignore) when the folder is in a repository
// and git may run, else a walk of the folder. Excluded paths (files.exclude, search.exclude) are left out, and an
// excluded folder is not walked into. Memory: one batch of paths plus one chunk of git's output (or, walking, one
// open directory per level of depth); the next batch is made only when the consumer asks for it.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { spawnGit, type GitContext } from '../gitIgnore';

export interface ListOptions {
  ctx: GitContext;
  /** Paths relative to the folder, `/`-separated. */
  excluded(relative: string): boolean;
  batchSize: number;
  signal?: AbortSignal;
}

/** Batches of absolute paths from git's listing; undefined at once when git does not run or says it cannot. */
async function* fromGit(root: string, options: ListOptions): AsyncGenerator<string[], boolean> {
  const child = spawnGit(root, ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], options.ctx);
  if (!child) return false;
  const exited = new Promise<number | null>((resolve) => {
    child.on('close', (code) => resolve(code));
    child.on('error', () => resolve(null));
  });
  const abort = (): void => void child.kill();
  options.signal?.addEventListener('abort', abort);
  child.stderr.resume(); // not read: drained so git never blocks on it
  child.stdout.setEncoding('utf8');
  let pending = '';
  let batch: string[] = [];
  let yielded = false;
  let last: string | undefined;
  try {
    // Async iteration reads a chunk only when the previous one is handled: git waits while a batch is scanned.
    for await (const chunk of child.stdout as AsyncIterable<string>) {
      const names = (pending + chunk).split('\0');
      pending = names.pop() ?? '';
      for (const name of names) {
        // A nested repository or an untracked folder git does not descend into: `dir/`. A tracked file shows
        // once per merge stage while a conflict is unresolved.
        if (name.length === 0 || name.endsWith('/') || name === last || options.excluded(name)) continue;
        last = name;
        batch.push(path.join(root, name));
        if (batch.length >= options.batchSize) {
          yielded = true;
          yield batch;
          batch = [];
        }
      }
      if (options.signal?.aborted) return true;
    }
    const code = await exited;
    if (code !== 0 && !yielded) return false;
    if (batch.length > 0) yield batch;
    return true;
  } finally {
    options.signal?.removeEventListener('abort', abort);
    if (child.exitCode === null) child.kill();
  }
}

/** Batches of absolute paths from a walk of the folder (symbolic links are not followed: they can loop). */
async function* fromWalk(root: string, options: ListOptions): AsyncGenerator<string[]> {
  let batch: string[] = [];
  async function* walk(dir: string, relative: string): AsyncGenerator<string[]> {
    let handle;
    try {
      handle = await fs.opendir(dir);
    } catch {
      return;
    }
    for await (const entry of handle) {
      if (options.signal?.aborted) return;
      const rel = relative ? `${relative}/${entry.name}` : entry.name;
      if (options.excluded(rel)) continue;
      if (entry.isDirectory()) yield* walk(path.join(dir, entry.name), rel);
      else if (entry.isFile()) {
        batch.push(path.join(dir, entry.name));
        if (batch.length >= options.batchSize) {
          yield batch;
          batch = [];
        }
      }
    }
  }
  yield* walk(root, '');
  if (batch.length > 0 && !options.signal?.aborted) yield batch;
}

export async function* listFiles(root: string, options: ListOptions): AsyncGenerator<string[]> {
  const git = fromGit(root, options);
  for (;;) {
    const next = await git.next();
    if (next.done) {
      if (next.value || options.signal?.aborted) return;
      break; // git could not list (not a repository): walk instead, nothing git-subtracted
    }
    yield next.value;
  }
  yield* fromWalk(root, options);
}
