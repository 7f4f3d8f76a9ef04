// The workspace scan as a stream, vscode-free (the view and the bench run it): file batches from the listing go to
// the language server's scanFiles one after another, findings and progress are handed on after every batch, and an
// abort stops it between batches. The next batch is listed while the server searches the current one.
// Memory bound: two batches of paths (this one and the one listed ahead), the server's read-ahead of files (each at
// most maxFileBytes), at most maxFindings findings and MAX_SKIPPED skipped entries (the rest are counted).
import { pathToFileURL } from 'node:url';
import type { ScanFilesParams, ScanFilesResult, ScanFinding } from '@shared/protocol/scan';
import type { GitContext } from '../gitIgnore';
import { listFiles } from './fileLister';

export const MAX_SKIPPED = 100;

export interface StreamProgress {
  filesSearched: number;
  bytesSearched: number;
  findingCount: number;
}

export interface StreamScanOptions {
  ctx: GitContext;
  batchSize: number;
  maxFileBytes: number;
  maxFindings: number;
  /** Stop listing after this many files (a cap for tests; default none). */
  maxFiles?: number;
  signal?: AbortSignal;
  /** After every batch: the new findings and the totals so far. */
  onBatch?(findings: ScanFinding[], progress: StreamProgress): void;
}

export interface StreamScanResult {
  filesSearched: number;
  bytesSearched: number;
  findings: ScanFinding[];
  skipped: { uri: string; reason: string }[];
  skippedCount: number;
  truncated: boolean;
  cancelled: boolean;
}

export interface ScanRoot {
  root: string;
  /** Relative `/`-separated path -> excluded by files.exclude / search.exclude. */
  excluded(relative: string): boolean;
}

export async function scanRoots(
  roots: readonly ScanRoot[],
  scanFiles: (p: ScanFilesParams) => Promise<ScanFilesResult>,
  options: StreamScanOptions,
): Promise<StreamScanResult> {
  const result: StreamScanResult = {
    findings: [],
    skipped: [],
    skippedCount: 0,
    filesSearched: 0,
    bytesSearched: 0,
    truncated: false,
    cancelled: false,
  };
  const maxFiles = options.maxFiles ?? Number.POSITIVE_INFINITY;
  for (const { root, excluded } of roots) {
    const batches = listFiles(root, {
      ctx: options.ctx,
      excluded,
      batchSize: options.batchSize,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    try {
      let next = batches.next();
      for (;;) {
        const listed = await next;
        if (listed.done) break;
        if (options.signal?.aborted) break;
        let paths = listed.value;
        if (result.filesSearched + paths.length >= maxFiles) {
          paths = paths.slice(0, maxFiles - result.filesSearched);
          result.truncated = true;
        } else next = batches.next();
        const answer = await scanFiles({
          uris: paths.map((p) => pathToFileURL(p).toString()),
          maxFileBytes: options.maxFileBytes,
          maxFindings: options.maxFindings - result.findings.length,
        });
        result.filesSearched += paths.length;
        result.bytesSearched += answer.bytes ?? 0;
        result.skippedCount += answer.skipped.length;
        for (const s of answer.skipped) if (result.skipped.length < MAX_SKIPPED) result.skipped.push(s);
        result.findings.push(...answer.findings);
        options.onBatch?.(answer.findings, {
          filesSearched: result.filesSearched,
          bytesSearched: result.bytesSearched,
          findingCount: result.findings.length,
        });
        if (answer.truncated || result.findings.length >= options.maxFindings) result.truncated = true;
        if (result.truncated) break;
      }
    } finally {
      await batches.return(undefined);
    }
    if (result.truncated) break;
  }
  result.cancelled = options.signal?.aborted ?? false;
  return result;
}
