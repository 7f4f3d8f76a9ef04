// The workspace leak scan's server half: reads the files the client names (so contents never cross the connection),
// finds tokens with the same linear-time scanner as the editor features, and answers where each one is, its
// fingerprint and its unverified jti/exp. Bounded by file size, line scan length and a total number of findings.
// Memory: one file (at most maxFileBytes) is held at a time.
import { promises as fs } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ScanFilesParams, ScanFilesResult } from '@shared/protocol/scan';
import { readBounded as readOne, skippedFor, type Read } from '../boundedRead';
import { scanText } from '@shared/scan/textScan';

export { scanText };

/**
 * The server reads synchronously, in slices: a file in the page cache costs four system calls and no thread-pool
 * round trips (those dominated: about 4x slower in bench figure 9). After YIELD_BYTES or YIELD_FILES the loop yields
 * to the event loop, so a hover or a diagnostic pull waits at most one slice, never a whole batch.
 */
const YIELD_BYTES = 4 * 1024 * 1024;
const YIELD_FILES = 64;

/** A NUL in the first 8 kB: a binary file, not searched (tokens in it would not be edited by hand anyway). */
function looksBinary(bytes: Buffer): boolean {
  return bytes.subarray(0, 8192).includes(0);
}

/** The tests' way to feed a file's bytes: the size from stat, the bytes from `readFile`. */
async function readInjected(
  path: string,
  maxFileBytes: number,
  readFile: (path: string) => Promise<Buffer>,
): Promise<Read> {
  try {
    const stat = await fs.stat(path);
    if (!stat.isFile()) return { skipped: 'not a file' };
    if (stat.size > maxFileBytes) return { skipped: `larger than ${maxFileBytes} bytes` };
    return { bytes: await readFile(path) };
  } catch (error) {
    return skippedFor(error);
  }
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function scanFiles(
  params: ScanFilesParams,
  readFile?: (path: string) => Promise<Buffer>,
): Promise<ScanFilesResult> {
  const result: ScanFilesResult = { findings: [], skipped: [], truncated: false, bytes: 0 };
  let slice = { bytes: 0, files: 0 };
  for (const uri of params.uris) {
    if (result.findings.length >= params.maxFindings) {
      result.truncated = true;
      break;
    }
    if (slice.bytes >= YIELD_BYTES || slice.files >= YIELD_FILES) {
      await yieldToEventLoop();
      slice = { bytes: 0, files: 0 };
    }
    let read: Read;
    try {
      const path = fileURLToPath(uri);
      read = readFile ? await readInjected(path, params.maxFileBytes, readFile) : readOne(path, params.maxFileBytes);
    } catch (error) {
      read = skippedFor(error);
    }
    slice.files++;
    if ('skipped' in read) {
      result.skipped.push({ uri, reason: read.skipped });
      continue;
    }
    slice.bytes += read.bytes.length;
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
  return result;
}
