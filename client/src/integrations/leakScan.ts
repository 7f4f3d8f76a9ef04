// The workspace leak scan: which files to search (the workspace minus files.exclude, search.exclude and what git
// ignores, bounded in count and size), the language server searches them (it reads them itself and answers
// metadata only), and each finding gets a status from what the engine knows of it by fingerprint.
import * as vscode from 'vscode';
import type { TokenInfo } from '../core/tokenService';
import { gitIgnoredAmong } from './gitIgnore';
import type { ScanFilesParams, ScanFilesResult, ScanFinding } from '@shared/protocol/scan';
import { DEFAULT_EXPIRY_RULES, judgeToken } from '@shared/judgement';
import { workspaceGitContext } from './gitContext';

export type LeakStatus = 'active' | 'expired' | 'revoked' | 'long-term' | 'unknown';

export interface LeakFinding extends ScanFinding {
  status: LeakStatus;
  /** Set when the token is one of ours (by fingerprint). */
  profileId?: string;
  kind?: 'long' | 'short';
}

export interface LeakScanResult {
  findings: LeakFinding[];
  filesSearched: number;
  skipped: { uri: string; reason: string }[];
  /** A cap was reached: more files or findings exist than were looked at. */
  truncated: boolean;
  at: number;
}

export interface LeakScanLimits {
  maxFiles: number;
  maxFileBytes: number;
  maxFindings: number;
}

export const DEFAULT_LIMITS: LeakScanLimits = { maxFiles: 5_000, maxFileBytes: 1024 * 1024, maxFindings: 1_000 };
/** Files per request: keeps one answer small and lets a big workspace make progress visibly. */
const BATCH = 200;

/** One glob of every pattern files.exclude and search.exclude turn on (when-clauses are not evaluated: excluded too). */
export function excludeGlob(scope?: vscode.ConfigurationScope): string | undefined {
  const patterns = new Set<string>();
  for (const key of ['files.exclude', 'search.exclude']) {
    const [sectionName, name] = key.split('.') as [string, string];
    const value = vscode.workspace.getConfiguration(sectionName, scope).get<Record<string, unknown>>(name) ?? {};
    for (const [pattern, on] of Object.entries(value)) if (on) patterns.add(pattern);
  }
  if (patterns.size === 0) return undefined;
  return `{${[...patterns].map((p) => p.replace(/[{},]/g, '\\$&')).join(',')}}`;
}

export function statusOf(finding: ScanFinding, known: readonly TokenInfo[], now: number): Pick<LeakFinding, 'status' | 'profileId' | 'kind'> {
  const ours = known.find((t) => t.fingerprint === finding.fingerprint);
  if (ours) {
    const base = { profileId: ours.profileId, kind: ours.kind };
    // The judgement the tree and the hover apply (expiring or not does not matter here: it still works).
    const verdict = judgeToken({ kind: ours.kind, issuedAt: ours.issuedAt, expiresAt: ours.expiresAt, revoked: ours.status === 'revoked' }, now, DEFAULT_EXPIRY_RULES);
    if (verdict === 'revoked' || verdict === 'expired') return { ...base, status: verdict };
    return { ...base, status: ours.kind === 'long' ? 'long-term' : 'active' };
  }
  if (finding.shape === 'longTerm') return { status: 'long-term' };
  if (finding.expiresAt !== undefined && finding.expiresAt <= now) return { status: 'expired' };
  return { status: 'unknown' };
}

export interface LeakScanDeps {
  /** The tokens a finding is matched against by fingerprint. */
  known(): readonly TokenInfo[];
  /** The language server's c2m/scanFiles. */
  scanFiles(params: ScanFilesParams): Promise<ScanFilesResult>;
  now?: () => number;
}

/** Files to search in one workspace folder, the list bounded by `maxFiles` (+1 to know that there were more). */
async function candidateFiles(folder: vscode.WorkspaceFolder, maxFiles: number): Promise<{ files: string[]; truncated: boolean }> {
  const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*'), excludeGlob(folder.uri) ?? null, maxFiles + 1);
  const paths = uris.filter((u) => u.scheme === 'file').map((u) => u.fsPath);
  // Untrusted workspace, no git or no repository: nothing is subtracted (git is not started in Restricted Mode).
  const ignored = (await gitIgnoredAmong(folder.uri.fsPath, paths, workspaceGitContext())) ?? new Set<string>();
  return { files: paths.filter((p) => !ignored.has(p)).slice(0, maxFiles).sort(), truncated: uris.length > maxFiles };
}

export async function scanWorkspace(deps: LeakScanDeps, limits: LeakScanLimits = DEFAULT_LIMITS, cancel?: vscode.CancellationToken): Promise<LeakScanResult> {
  const now = deps.now ?? Date.now;
  const result: LeakScanResult = { findings: [], filesSearched: 0, skipped: [], truncated: false, at: now() };
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  for (const folder of folders) {
    const { files, truncated } = await candidateFiles(folder, limits.maxFiles - result.filesSearched);
    result.truncated ||= truncated;
    for (let i = 0; i < files.length && !cancel?.isCancellationRequested; i += BATCH) {
      const batch = files.slice(i, i + BATCH);
      const answer = await deps.scanFiles({
        uris: batch.map((f) => vscode.Uri.file(f).toString()),
        maxFileBytes: limits.maxFileBytes,
        maxFindings: limits.maxFindings - result.findings.length,
      });
      result.filesSearched += batch.length;
      result.skipped.push(...answer.skipped);
      const known = deps.known();
      for (const f of answer.findings) result.findings.push({ ...f, ...statusOf(f, known, now()) });
      if (answer.truncated || result.findings.length >= limits.maxFindings) {
        result.truncated = true;
        return result;
      }
    }
  }
  return result;
}
