// Reading a file the workspace names, within a bound: one open for the size check and the read (the path is looked
// up once, no gap between them), at most the size fstat gave (a /proc file says 0 and would read on without end),
// and never a wait on a FIFO (opened non-blocking). Used by the leak scan and the env files the destination guard reads.
import * as fsSync from 'node:fs';

export type Read = { bytes: Buffer } | { skipped: string };

export function skippedFor(error: unknown): Read {
  return { skipped: error instanceof Error && 'code' in error ? String(error.code) : 'unreadable' };
}

export function readBounded(path: string, maxBytes: number): Read {
  let fd: number | undefined;
  try {
    fd = fsSync.openSync(path, fsSync.constants.O_RDONLY | fsSync.constants.O_NONBLOCK);
    const stat = fsSync.fstatSync(fd);
    if (!stat.isFile()) return { skipped: 'not a file' };
    if (stat.size > maxBytes) return { skipped: `larger than ${maxBytes} bytes` };
    const bytes = Buffer.allocUnsafe(stat.size);
    let length = 0;
    // A file growing while it is read is read up to its size at the check (the cap holds).
    while (length < bytes.length) {
      const n = fsSync.readSync(fd, bytes, length, bytes.length - length, length);
      if (n === 0) break;
      length += n;
    }
    return { bytes: length === bytes.length ? bytes : bytes.subarray(0, length) };
  } catch (error) {
    return skippedFor(error);
  } finally {
    if (fd !== undefined) fsSync.closeSync(fd);
  }
}
