// The git history scan: `git log -p --all` of the folder's repository, streamed through the token scanner (only the
// lines each commit added), findings by commit and path as they come. git runs through the one guarded starter
// (spawnGit: trust, git from PATH outside the workspace, no fsmonitor, no external diff or textconv). The output is
// read chunk by chunk and never held whole; the scanner keeps at most one line (MAX_LINE_SCAN characters).
import { GIT_LOG_ARGS, GitLogScanner, type HistoryFinding } from '@shared/scan/gitLogScan';
import { GitRefusedError, spawnGit, type GitContext } from '../gitIgnore';

export interface HistoryScanOptions {
  ctx: GitContext;
  maxFindings: number;
  signal?: AbortSignal;
  onFindings?(findings: HistoryFinding[], progress: { commits: number; bytes: number }): void;
}

export interface HistoryScanResult {
  findings: HistoryFinding[];
  commits: number;
  bytes: number;
  truncated: boolean;
  cancelled: boolean;
  /** Why there is no history: git not started (untrusted, no git) or not a repository. */
  unavailable?: string;
}

export async function scanGitHistory(root: string, options: HistoryScanOptions): Promise<HistoryScanResult> {
  const result: HistoryScanResult = { findings: [], commits: 0, bytes: 0, truncated: false, cancelled: false };
  let child: ReturnType<typeof spawnGit>;
  try {
    child = spawnGit(root, GIT_LOG_ARGS, options.ctx);
  } catch (error) {
    if (error instanceof GitRefusedError) return { ...result, unavailable: error.message };
    throw error;
  }
  if (!child)
    return { ...result, unavailable: options.ctx.trusted ? 'git was not found' : 'the workspace is not trusted' };
  const exited = new Promise<number | null>((resolve) => {
    child.on('close', (code) => resolve(code));
    child.on('error', () => resolve(null));
  });
  const abort = (): void => void child.kill();
  options.signal?.addEventListener('abort', abort);
  child.stderr.resume();
  child.stdin.end();
  child.stdout.setEncoding('utf8'); // a character split across chunks is decoded whole
  const scanner = new GitLogScanner((found) => result.findings.push(...found), options.maxFindings);
  try {
    for await (const chunk of child.stdout as AsyncIterable<string>) {
      const before = result.findings.length;
      result.bytes += Buffer.byteLength(chunk, 'utf8');
      scanner.push(chunk);
      result.commits = scanner.commits;
      if (result.findings.length > before || result.commits % 50 === 0)
        options.onFindings?.(result.findings.slice(before), { commits: result.commits, bytes: result.bytes });
      if (scanner.truncated) {
        result.truncated = true;
        break;
      }
      if (options.signal?.aborted) break;
    }
    scanner.end();
    result.commits = scanner.commits;
  } finally {
    options.signal?.removeEventListener('abort', abort);
    if (child.exitCode === null) child.kill();
  }
  result.cancelled = options.signal?.aborted ?? false;
  const code = await exited;
  if (!result.cancelled && !result.truncated && code !== 0 && result.commits === 0)
    result.unavailable = 'not a git repository';
  return result;
}
