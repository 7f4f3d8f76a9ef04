// The workspace leak scan's server half: reads the files the client names (so contents never cross the connection),
// finds tokens with the same linear-time scanner as the editor features, and answers where each one is, its
// fingerprint and its unverified jti/exp. Bounded by file size, line scan length and a total number of findings.
// Memory: at most READ_AHEAD files of at most maxFileBytes each are held at once (read ahead while one is scanned).
import { promises as fs } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ScanFilesParams, ScanFilesResult } from '@shared/protocol/scan';
import { scanText } from '@shared/scan/textScan';

export { scanText };

/** Files read concurrently: the reads overlap in libuv's thread pool while this thread scans the one before. */
export const READ_AHEAD = 8;

/** A NUL in the first 8 kB: a binary file, not searched (tokens in it would not be edited by hand anyway). */
function looksBinary(bytes: Buffer): boolean {
  return bytes.subarray(0, 8192).includes(0);
}

type Read = { bytes: Buffer } | { skipped: string };

async function readOne(uri: string, maxFileBytes: number, readFile: ((path: string) => Promise<Buffer>) | undefined): Promise<Read> {
  let handle: fs.FileHandle | undefined;
  try {
    const path = fileURLToPath(uri);
    if (readFile) {
      const stat = await fs.stat(path);
      if (!stat.isFile()) return { skipped: 'not a file' };
      if (stat.size > maxFileBytes) return { skipped: `larger than ${maxFileBytes} bytes` };
      return { bytes: await readFile(path) };
    }
    // One open for the size check and the read (a path looked up once, and no gap between the check and the read).
    handle = await fs.open(path, 'r');
    const stat = await handle.stat();
    if (!stat.isFile()) return { skipped: 'not a file' };
    if (stat.size > maxFileBytes) return { skipped: `larger than ${maxFileBytes} bytes` };
    return { bytes: await handle.readFile() };
  } catch (error) {
    return { skipped: error instanceof Error && 'code' in error ? String(error.code) : 'unreadable' };
  } finally {
    await handle?.close();
  }
}

export async function scanFiles(params: ScanFilesParams, readFile?: (path: string) => Promise<Buffer>): Promise<ScanFilesResult> {
  const result: ScanFilesResult = { findings: [], skipped: [], truncated: false, bytes: 0 };
  const reads: (Promise<Read> | undefined)[] = [];
  let next = 0;
  const readNext = (): void => {
    if (next < params.uris.length) reads.push(readOne(params.uris[next++]!, params.maxFileBytes, readFile));
  };
  for (let i = 0; i < READ_AHEAD; i++) readNext();
  try {
    for (let i = 0; i < params.uris.length; i++) {
      if (result.findings.length >= params.maxFindings) {
        result.truncated = true;
        break;
      }
      const uri = params.uris[i]!;
      const read = await reads[i]!;
      reads[i] = undefined; // its buffer goes with it
      readNext();
      if ('skipped' in read) {
        result.skipped.push({ uri, reason: read.skipped });
        continue;
      }
      if (looksBinary(read.bytes)) {
        result.skipped.push({ uri, reason: 'binary' });
        continue;
      }
      result.bytes! += read.bytes.length;
      // Most files hold no candidate at all: the bytes are searched natively and never decoded. A token is ASCII,
      // and UTF-8 decoding keeps every ASCII byte as it is, so this skips exactly the files scanText finds nothing in.
      if (read.bytes.indexOf('eyJ') === -1 && read.bytes.indexOf('lt_') === -1) continue;
      result.findings.push(...scanText(uri, read.bytes.toString('utf8'), params.maxFindings - result.findings.length));
    }
  } finally {
    // Reads still in flight when the cap was reached: settled, their results dropped.
    await Promise.allSettled(reads.filter((r) => r !== undefined));
  }
  return result;
}
