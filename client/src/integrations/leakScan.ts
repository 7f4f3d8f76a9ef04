// The workspace leak scan: which files to search (the workspace minus files.exclude, search.exclude and what git
// ignores), streamed in batches to the language server, which reads and searches them itself and answers metadata
// only; each finding gets a status from what the window knows of it by fingerprint, which the view decides again as
// the tokens change (leakScan/findingState.ts). There is no cap on the number of files: memory is bounded by the
// streaming (client/src/integrations/leakScan/workspaceStream.ts states the bound).
import * as vscode from 'vscode';
import type { TokenInfo } from '../core/tokenService';
import type { ScanFilesParams, ScanFilesResult } from '@shared/protocol/scan';
import { statusOf, type LeakFinding } from './leakScan/findingState';
import { excludeMatcher } from './leakScan/glob';
import { scanRoots, type StreamProgress } from './leakScan/workspaceStream';
import { workspaceGitContext } from './gitContext';

export {
  isLiveOrKnown,
  redecide,
  statusOf,
  type LeakFinding,
  type LeakOrigin,
  type LeakStatus,
} from './leakScan/findingState';

export interface HistoryScanState {
  findings: LeakFinding[];
  commits: number;
  truncated: boolean;
  cancelled: boolean;
  running: boolean;
  unavailable?: string;
}

export interface ElsewhereScanState {
  findings: LeakFinding[];
  restClientHistory: string;
  localHistory: string;
}

export interface LeakScanResult {
  /** Findings in workspace files. */
  findings: LeakFinding[];
  filesSearched: number;
  bytesSearched: number;
  /** The first skipped files with the reason (at most MAX_SKIPPED); `skippedCount` counts them all. */
  skipped: { uri: string; reason: string }[];
  skippedCount: number;
  /** A cap was reached: more findings (or files) exist than were looked at. */
  truncated: boolean;
  cancelled: boolean;
  /** The scan is still going: what is here so far. */
  running: boolean;
  at: number;
  /** The last git history scan, when one ran. */
  history?: HistoryScanState;
  /** REST Client history and Local History, when the scan includes them (c2m.leakScan.requestHistory). */
  elsewhere?: ElsewhereScanState;
}

export interface LeakScanLimits {
  /** Stop after this many files (default: none). */
  maxFiles?: number;
  maxFileBytes: number;
  maxFindings: number;
}

export const DEFAULT_LIMITS: LeakScanLimits = { maxFileBytes: 1024 * 1024, maxFindings: 5_000 };
/** Files per request: keeps one answer small and lets a big workspace make progress visibly. */
export const BATCH = 500;

/** Every pattern files.exclude and search.exclude turn on (when-clauses are not evaluated: excluded too). */
export function excludePatterns(scope?: vscode.ConfigurationScope): string[] {
  const patterns = new Set<string>();
  for (const key of ['files.exclude', 'search.exclude']) {
    const [sectionName, name] = key.split('.') as [string, string];
    const value = vscode.workspace.getConfiguration(sectionName, scope).get<Record<string, unknown>>(name) ?? {};
    for (const [pattern, on] of Object.entries(value)) if (on) patterns.add(pattern);
  }
  return [...patterns];
}

export interface LeakScanDeps {
  /** The tokens a finding is matched against by fingerprint. */
  known(): readonly TokenInfo[];
  /** The language server's c2m/scanFiles. */
  scanFiles(params: ScanFilesParams): Promise<ScanFilesResult>;
  now?: () => number;
}

export interface ScanRun {
  signal?: AbortSignal;
  /** After every batch, with the result so far (the same object, updated). */
  onProgress?(result: LeakScanResult, progress: StreamProgress): void;
}

export function emptyResult(at: number): LeakScanResult {
  return {
    findings: [],
    filesSearched: 0,
    bytesSearched: 0,
    skipped: [],
    skippedCount: 0,
    truncated: false,
    cancelled: false,
    running: true,
    at,
  };
}

export async function scanWorkspace(
  deps: LeakScanDeps,
  limits: LeakScanLimits = DEFAULT_LIMITS,
  run: ScanRun = {},
  result: LeakScanResult = emptyResult((deps.now ?? Date.now)()),
): Promise<LeakScanResult> {
  const now = deps.now ?? Date.now;
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  // Untrusted workspace, no git or no repository: nothing is subtracted (git is not started in Restricted Mode).
  const roots = folders.map((folder) => ({
    root: folder.uri.fsPath,
    excluded: excludeMatcher(excludePatterns(folder.uri)),
  }));
  const stream = await scanRoots(roots, (p) => deps.scanFiles(p), {
    ctx: workspaceGitContext(),
    batchSize: BATCH,
    maxFileBytes: limits.maxFileBytes,
    maxFindings: limits.maxFindings,
    ...(limits.maxFiles !== undefined ? { maxFiles: limits.maxFiles } : {}),
    ...(run.signal ? { signal: run.signal } : {}),
    onBatch: (findings, progress) => {
      const known = deps.known();
      for (const f of findings) result.findings.push({ ...f, ...statusOf(f, known, now()) });
      result.filesSearched = progress.filesSearched;
      result.bytesSearched = progress.bytesSearched;
      run.onProgress?.(result, progress);
    },
  });
  Object.assign(result, {
    filesSearched: stream.filesSearched,
    bytesSearched: stream.bytesSearched,
    skipped: stream.skipped,
    skippedCount: stream.skippedCount,
    truncated: stream.truncated,
    cancelled: stream.cancelled,
    running: false,
  });
  return result;
}
