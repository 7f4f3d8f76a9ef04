// Replacing a small user file without ever losing it: the new content goes to a temporary file in the same folder
// (same file system, so the rename is atomic), flushed to disk, and renamed over the original only if the original is
// still the file that was read: the same regular file (device and inode, not a symlink) with the same bytes. Anything
// else (a save by the user in between, a file swapped for a link) leaves the original as it is and says 'changed'.
// A crash at any point leaves either the old file or the new one, never half of one (at worst a stray temporary file).
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

export interface FileSnapshot {
  /** undefined: there was no file. */
  bytes: Buffer | undefined;
  dev?: number;
  ino?: number;
  mode?: number;
}

/** The path is not a regular file (a symlink, a folder, a device...): it is never read or written. */
export class NotRegularFileError extends Error {
  constructor(readonly kind: 'symlink' | 'other') {
    super(kind === 'symlink' ? 'it is a symbolic link' : 'it is not a regular file');
  }
}

export class FileTooLargeError extends Error {}

function code(error: unknown): unknown {
  return (error as { code?: unknown }).code;
}

/** What is at `fsPath` now, read without following a symlink; `maxBytes` bounds what is read. */
export async function readSnapshot(fsPath: string, maxBytes: number): Promise<FileSnapshot> {
  let handle: fs.FileHandle;
  try {
    const link = await fs.lstat(fsPath);
    if (link.isSymbolicLink()) throw new NotRegularFileError('symlink');
    if (!link.isFile()) throw new NotRegularFileError('other');
    // O_NOFOLLOW: a link put there since the lstat is not followed either.
    handle = await fs.open(fsPath, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
  } catch (error) {
    if (code(error) === 'ENOENT') return { bytes: undefined };
    if (code(error) === 'ELOOP') throw new NotRegularFileError('symlink');
    throw error;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new NotRegularFileError('other');
    if (stat.size > maxBytes) throw new FileTooLargeError(`it is larger than ${Math.round(maxBytes / 1024)} KB`);
    return { bytes: await handle.readFile(), dev: stat.dev, ino: stat.ino, mode: stat.mode };
  } finally {
    await handle.close();
  }
}

function sameFile(a: FileSnapshot, b: FileSnapshot): boolean {
  if (a.bytes === undefined || b.bytes === undefined) return a.bytes === b.bytes;
  return a.dev === b.dev && a.ino === b.ino && a.bytes.equals(b.bytes);
}

export interface ReplaceHooks {
  /** Runs after the temporary file is written, before the original is checked again (tests change the file here). */
  beforeCommit?: () => Promise<void>;
}

export interface ReplaceOptions {
  /** The content holds a secret: the file ends up readable by its owner only, whatever mode it had. */
  ownerOnly?: boolean;
}

/**
 * Writes `content` over `fsPath` if it is still what `snapshot` saw; 'changed' (nothing written) otherwise. A new file
 * (snapshot without bytes) is created only if none has appeared meanwhile, readable by its owner only. An existing
 * file keeps its mode, narrowed to its owner with `ownerOnly` (a token must not stay readable by other local users
 * because the file happened to be made under umask 022).
 */
export async function replaceIfUnchanged(
  fsPath: string,
  snapshot: FileSnapshot,
  content: Uint8Array,
  maxBytes: number,
  hooks: ReplaceHooks = {},
  options: ReplaceOptions = {},
): Promise<'written' | 'changed'> {
  const dir = path.dirname(fsPath);
  await fs.mkdir(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(fsPath)}.${randomBytes(6).toString('hex')}.c2m-tmp`);
  const kept = snapshot.mode !== undefined ? snapshot.mode & 0o777 : 0o600;
  const mode = options.ownerOnly ? kept & 0o700 : kept;
  const handle = await fs.open(temp, 'wx', mode);
  let renamed = false;
  try {
    try {
      await handle.writeFile(content);
      await handle.chmod(mode); // the umask may have narrowed it
      await handle.sync();
    } finally {
      await handle.close();
    }
    await hooks.beforeCommit?.();
    let now: FileSnapshot;
    try {
      now = await readSnapshot(fsPath, maxBytes);
    } catch (error) {
      if (error instanceof NotRegularFileError || error instanceof FileTooLargeError) return 'changed';
      throw error;
    }
    if (!sameFile(snapshot, now)) return 'changed';
    await fs.rename(temp, fsPath);
    renamed = true;
    return 'written';
  } finally {
    if (!renamed) await fs.rm(temp, { force: true });
  }
}
