// The one place the extension runs git: "does git ignore these files?" (`git check-ignore`), for the env-file
// diagnostic, .env sync and the workspace leak scan. A repository's config can name commands git runs
// (core.fsmonitor runs on index reads), and a workspace can put its own `git` first on PATH, so:
// - in an untrusted workspace git is never started (the answer is 'unknown');
// - core.fsmonitor is always switched off on the command line;
// - git is resolved to an absolute path from PATH, skipping relative entries and any directory inside the workspace.
// The leak scan's streamed listing and history (spawnGit) go through the same guards, plus those for diffs: a
// repository's config or .gitattributes can name an external diff or a textconv command, and a signature check runs gpg.
import { execFile, spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** 'unknown': git could not say (untrusted workspace, no git, not a repository, timeout, error). */
export type IgnoreStatus = 'ignored' | 'not_ignored' | 'unknown';

export interface GitContext {
  /** Workspace trust: false means git is not started at all. */
  trusted: boolean;
  /** The workspace folders (absolute paths): a git found inside one of them is not used. */
  workspaceDirs: readonly string[];
  /** Default: process.env.PATH. */
  pathEnv?: string;
}

const TIMEOUT_MS = 5_000;
const BATCH_TIMEOUT_MS = 20_000;
/** The transports git could use to fetch: a repository's remote can name a command for each (uploadpack, ssh). */
const TRANSPORTS = ['file', 'ext', 'ssh', 'git', 'http', 'https'];

/**
 * Settings that make git run commands of the repository's choosing; neither check-ignore nor the leak scan needs
 * them: no fsmonitor hook, and no transport at all (a partial clone fetches a missing object from its "promisor"
 * remote while reading history, which runs that remote's uploadpack). On the command line, so they beat the
 * repository's own config; the per-protocol keys too, since `protocol.<name>.allow` wins over `protocol.allow`.
 */
const SAFE_ARGS = [
  '-c',
  'core.fsmonitor=false',
  '-c',
  'protocol.allow=never',
  ...TRANSPORTS.flatMap((name) => ['-c', `protocol.${name}.allow=never`]),
];

/** The environment of every git we start: no prompts, no lazy fetch (git >= 2.44), no external diff or pager. */
function safeEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GIT_TERMINAL_PROMPT: '0',
    GIT_OPTIONAL_LOCKS: '0',
    GIT_NO_LAZY_FETCH: '1',
  };
  delete env.GIT_EXTERNAL_DIFF;
  delete env.GIT_PAGER;
  return env;
}

/** git was not started because the repository is set up to make it run commands of its choosing. */
export class GitRefusedError extends Error {}

function realOrResolved(p: string): string {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return path.resolve(p);
  }
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function isExecutableFile(p: string): boolean {
  try {
    if (!fs.statSync(p).isFile()) return false;
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The absolute path of git from PATH, never one inside the workspace (or a relative PATH entry); undefined: none. */
export function findGit(ctx: Pick<GitContext, 'workspaceDirs' | 'pathEnv'>): string | undefined {
  const workspace = ctx.workspaceDirs.map(realOrResolved);
  const names = process.platform === 'win32' ? ['git.exe', 'git.cmd'] : ['git'];
  for (const dir of (ctx.pathEnv ?? process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir || !path.isAbsolute(dir)) continue;
    for (const name of names) {
      const candidate = path.join(dir, name);
      if (!isExecutableFile(candidate)) continue;
      const real = realOrResolved(candidate);
      if (workspace.some((w) => isInside(path.resolve(dir), w) || isInside(real, w))) continue;
      return candidate;
    }
  }
  return undefined;
}

/** Whether git ignores the file at `fsPath`. Only exit 0 is 'ignored' and only exit 1 is 'not_ignored'. */
export async function gitIgnoreStatus(fsPath: string, ctx: GitContext): Promise<IgnoreStatus> {
  // git runs in the nearest folder that exists: a file about to be created may be in folders not made yet.
  let cwd = path.dirname(fsPath);
  while (!fs.existsSync(cwd) && path.dirname(cwd) !== cwd) cwd = path.dirname(cwd);
  const ignored = await checkIgnore(cwd, [fsPath], ctx, TIMEOUT_MS);
  if (!ignored) return 'unknown';
  return ignored.has(path.resolve(fsPath)) ? 'ignored' : 'not_ignored';
}

/**
 * The subset of `files` (absolute paths under `cwd`) git ignores, with one `git check-ignore --stdin` for all of
 * them; undefined when git could not say (untrusted, no git, not a repository, error).
 */
export function gitIgnoredAmong(
  cwd: string,
  files: readonly string[],
  ctx: GitContext,
): Promise<Set<string> | undefined> {
  return checkIgnore(cwd, files, ctx, BATCH_TIMEOUT_MS);
}

/** Options of a read-only command that reads history: no external diff or textconv, no signature check, no pager. */
const SAFE_LOG_ARGS = [
  ...SAFE_ARGS,
  '-c',
  'log.showSignature=false',
  '-c',
  'core.pager=cat',
  '-c',
  'diff.external=',
  '--no-pager',
];

/**
 * A streamed git command for the leak scan (`ls-files`, `log -p`), with every guard above; `log` gets
 * `--no-ext-diff --no-textconv` from its caller's arguments, checked here. Undefined when git is not started
 * (untrusted workspace, no git). The caller owns the child (kills it on cancel).
 */
export function spawnGit(
  cwd: string,
  args: readonly string[],
  ctx: GitContext,
): ChildProcessWithoutNullStreams | undefined {
  if (!ctx.trusted) return undefined;
  if (args[0] === 'log' && !(args.includes('--no-ext-diff') && args.includes('--no-textconv')))
    throw new Error('git log without --no-ext-diff --no-textconv');
  const git = findGit(ctx);
  if (!git) return undefined;
  if (args[0] === 'log' && isPartialClone(git, cwd)) {
    throw new GitRefusedError(
      'this repository is a partial clone: reading its history makes git fetch missing objects from a remote the ' +
        'repository names, which can run a command of its choosing',
    );
  }
  return spawn(git, [...SAFE_LOG_ARGS, ...args], {
    cwd,
    env: safeEnv(),
    windowsHide: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/**
 * Whether the repository at `cwd` fetches objects on demand (a partial clone, or any promisor remote). The transport
 * switches above already stop the fetch; this also covers remote helpers (`foo::url`) no list of protocols names.
 */
function isPartialClone(git: string, cwd: string): boolean {
  const found = spawnSync(
    git,
    [...SAFE_ARGS, 'config', '--get-regexp', '^(extensions\\.partialclone|remote\\..*\\.promisor)$'],
    {
      cwd,
      env: safeEnv(),
      timeout: TIMEOUT_MS,
      windowsHide: true,
      encoding: 'utf8',
    },
  );
  // Exit 1: no such key. Anything else but a clean answer is taken as a refusal too (git could not say).
  if (found.status === 1) return false;
  return found.status !== 0 || found.stdout.trim().length > 0;
}

function checkIgnore(
  cwd: string,
  files: readonly string[],
  ctx: GitContext,
  timeout: number,
): Promise<Set<string> | undefined> {
  if (files.length === 0) return Promise.resolve(new Set());
  if (!ctx.trusted) return Promise.resolve(undefined);
  const git = findGit(ctx);
  if (!git) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const child = execFile(
      git,
      [...SAFE_ARGS, 'check-ignore', '-z', '--stdin'],
      { cwd, env: safeEnv(), timeout, maxBuffer: 64 * 1024 * 1024, windowsHide: true },
      (error, stdout) => {
        // Exit 1: none ignored; anything else but 0: git could not say.
        if (error && (error as { code?: unknown }).code !== 1) return resolve(undefined);
        resolve(
          new Set(
            stdout
              .split('\0')
              .filter((s) => s.length > 0)
              .map((s) => path.resolve(cwd, s)),
          ),
        );
      },
    );
    child.stdin?.on('error', () => undefined); // git gone before reading everything: the exit callback answers
    child.stdin?.end(files.map((f) => path.relative(cwd, f)).join('\0') + '\0');
  });
}

/** What "Add to .gitignore" did. `tracked`: the line is there, but git tracks the file, so ignoring it has no effect. */
export type AddToGitIgnoreResult =
  { outcome: 'added' | 'already_ignored' | 'tracked'; gitIgnorePath: string } | { outcome: 'refused'; reason: string };

/** The line ending a file already uses (its first one), so an appended line matches the lines around it. */
export function lineEndingOf(text: string): string {
  const at = text.search(/[\r\n]/);
  if (at < 0) return '\n';
  return text[at] === '\r' ? (text[at + 1] === '\n' ? '\r\n' : '\r') : '\n';
}

/** The bytes to append so that `existing` ends with a line ignoring `name` (and nothing before it changes). */
export function gitIgnoreAppendix(existing: string, name: string): string {
  const eol = lineEndingOf(existing);
  const needsBreak = existing.length > 0 && !existing.endsWith('\n') && !existing.endsWith('\r');
  return `${needsBreak ? eol : ''}/${escapeGitIgnore(name)}${eol}`;
}

/** A file name as a literal .gitignore pattern: the pattern characters and a leading `#`/`!` escaped. */
function escapeGitIgnore(name: string): string {
  return name
    .replace(/[\\*?[\]]/g, '\\$&')
    .replace(/^([#!])/, '\\$1')
    .replace(/ $/, '\\ ');
}

/**
 * Ignores the env file at `fsPath` with a line `/<name>` appended to the `.gitignore` beside it (git reads
 * per-folder ignore files, and the write stays in the file's own folder, inside the workspace). Every byte already
 * in `.gitignore` is kept; a `.gitignore` that is a symlink or not a regular file is refused (a repository could
 * point it at a file outside the workspace), and so is any file outside the workspace folders or in Restricted Mode.
 */
export async function addToGitIgnore(fsPath: string, ctx: GitContext): Promise<AddToGitIgnoreResult> {
  if (!ctx.trusted) return { outcome: 'refused', reason: 'the workspace is not trusted (Restricted Mode)' };
  const file = realOrResolved(fsPath);
  const workspace = ctx.workspaceDirs.map(realOrResolved);
  if (!workspace.some((w) => isInside(file, w)))
    return { outcome: 'refused', reason: 'the file is outside the workspace folders' };
  const gitIgnorePath = path.join(path.dirname(file), '.gitignore');
  const before = await gitIgnoreStatus(file, ctx);
  if (before === 'ignored') return { outcome: 'already_ignored', gitIgnorePath };
  if (before === 'unknown')
    return {
      outcome: 'refused',
      reason: 'git could not say whether the file is ignored (no git, or not a repository)',
    };
  let existing = '';
  try {
    const stat = fs.lstatSync(gitIgnorePath);
    if (!stat.isFile())
      return { outcome: 'refused', reason: `${gitIgnorePath} is not a regular file (a symlink or a folder)` };
    existing = fs.readFileSync(gitIgnorePath, 'latin1');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      return { outcome: 'refused', reason: `${gitIgnorePath} could not be read` };
  }
  const appendix = gitIgnoreAppendix(existing, path.basename(file));
  let fd: number | undefined;
  try {
    // O_NOFOLLOW: a symlink put in place since the check above is refused, not followed; O_APPEND keeps what is there.
    fd = fs.openSync(
      gitIgnorePath,
      fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW,
      0o644,
    );
    fs.writeSync(fd, Buffer.from(appendix, 'utf8')); // the name as git reads paths; the breaks are ASCII
  } catch {
    return { outcome: 'refused', reason: `${gitIgnorePath} could not be written` };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  const after = await gitIgnoreStatus(file, ctx);
  return { outcome: after === 'ignored' ? 'added' : 'tracked', gitIgnorePath };
}
