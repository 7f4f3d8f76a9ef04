// .env sync: keeps one variable of an env file equal to a profile's current short-term token, so request files can
// say {{$dotenv C2M_ACCESS_TOKEN}} and never hold a secret. Rewritten whenever the token changes (every refresh).
// Writes only in a trusted workspace, only inside the workspace folder (the real path: never through a symlink), and
// only into a file git says it ignores or that the user allowed once (the allowed *path* is remembered in
// workspaceState, never a value).
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { setEnvVariable } from '../core/envFile';
import type { TokenInfo, TokenService } from '../core/tokenService';
import type { IgnoreStatus } from '../lsp/gitIgnore';
import { affects, envSyncEnabled, envSyncTargets, Keys, type EnvSyncTarget } from './config';
import type { Asker } from './inputs';
import { errorText, type Log } from './log';

export const CONFIRMED_FILES_KEY = 'c2m.envSync.confirmedFiles';
const ALLOW = 'Write to This File';

export type EnvSyncResult =
  | 'written' | 'unchanged' | 'disabled' | 'restricted' | 'no_token' | 'no_profile' | 'no_folder' | 'outside_workspace'
  | 'symlink' | 'declined' | 'failed';

export interface EnvSyncOutcome {
  file: string;
  variable: string;
  profileId?: string;
  result: EnvSyncResult;
}

export interface EnvSyncDeps {
  tokens: TokenService;
  asker: Asker;
  log: Log;
  workspaceState: vscode.Memento;
  /** Does git ignore the file; only 'ignored' lets the sync write without asking. */
  isIgnored(fsPath: string): Promise<IgnoreStatus>;
  /** Workspace trust (vscode.workspace.isTrusted); a function so the Restricted Mode rule can be tested. */
  isTrusted(): boolean;
  /** Default: the c2m.envSync.* settings. */
  settings?: () => { enabled: boolean; targets: EnvSyncTarget[] };
  /** Default: vscode.workspace.fs.writeFile (a seam for the failed-write test). */
  writeFile?: (uri: vscode.Uri, content: Uint8Array) => Thenable<void>;
}

const fromSettings = (): { enabled: boolean; targets: EnvSyncTarget[] } => ({ enabled: envSyncEnabled(), targets: envSyncTargets() });

/** A short-term token that can still be served without a network call (the sync never causes an exchange). */
function liveShort(tokens: TokenService, profileId: string): TokenInfo | undefined {
  const info = tokens.tokens().find((t) => t.profileId === profileId && t.kind === 'short');
  return info && (info.status === 'valid' || info.status === 'expiring') ? info : undefined;
}

function isNotFound(error: unknown): boolean {
  return error instanceof vscode.FileSystemError && error.code === 'FileNotFound';
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/**
 * Where a write to `fsPath` would really land: 'symlink' when the file itself is a link (never written through),
 * 'outside' when its real folder is not inside the workspace folder's real path (a linked folder), else 'inside'.
 */
export async function realPlacement(fsPath: string, folderPath: string): Promise<'inside' | 'outside' | 'symlink'> {
  try {
    if ((await fs.lstat(fsPath)).isSymbolicLink()) return 'symlink';
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ENOENT') throw error;
  }
  // The nearest folder that exists: the write creates the missing ones below it.
  let existing = path.dirname(fsPath);
  let missing = path.basename(fsPath);
  let realDir: string | undefined;
  while (realDir === undefined) {
    try {
      realDir = await fs.realpath(existing);
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'ENOENT' || path.dirname(existing) === existing) throw error;
      missing = path.join(path.basename(existing), missing);
      existing = path.dirname(existing);
    }
  }
  return isInside(path.join(realDir, missing), await fs.realpath(folderPath)) ? 'inside' : 'outside';
}

export class EnvSync implements vscode.Disposable {
  /** file + variable -> fingerprint last written (or found already there), so a refresh writes each file once. */
  private readonly written = new Map<string, string>();
  /** Files the user declined in this session: not asked again until reload. */
  private readonly declined = new Set<string>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private queue: Promise<EnvSyncOutcome[]> = Promise.resolve([]);

  constructor(private readonly deps: EnvSyncDeps) {
    this.subscriptions.push(
      deps.tokens.onDidChange(() => this.schedule()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.schedule()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affects(e, Keys.envSyncEnabled) || affects(e, Keys.envSyncTargets)) {
          this.written.clear();
          this.schedule();
        }
      }),
    );
  }

  /** Syncs every target now, after any sync in progress; resolves to what happened to each. */
  sync(): Promise<EnvSyncOutcome[]> {
    const next = this.queue.then(() => this.syncAll(), () => this.syncAll());
    this.queue = next;
    return next;
  }

  dispose(): void {
    for (const s of this.subscriptions.splice(0)) s.dispose();
  }

  private settings(): { enabled: boolean; targets: EnvSyncTarget[] } {
    return (this.deps.settings ?? fromSettings)();
  }

  private schedule(): void {
    if (!this.settings().enabled) return;
    this.sync().catch((error: unknown) => this.deps.log.warn(`env sync failed: ${errorText(error)}`));
  }

  private async syncAll(): Promise<EnvSyncOutcome[]> {
    const { enabled, targets } = this.settings();
    if (!enabled) return targets.map((t) => ({ file: t.file, variable: t.variable, result: 'disabled' }));
    const outcomes: EnvSyncOutcome[] = [];
    for (const target of targets) outcomes.push(await this.syncOne(target));
    return outcomes;
  }

  private profileIdOf(target: EnvSyncTarget): string | undefined {
    const profiles = this.deps.tokens.profiles();
    if (target.profile) return profiles.find((p) => p.id === target.profile || p.name === target.profile)?.id;
    return profiles.find((p) => p.active)?.id;
  }

  private async syncOne(target: EnvSyncTarget): Promise<EnvSyncOutcome> {
    const base = { file: target.file, variable: target.variable };
    // Restricted Mode: nothing is written into files.
    if (!this.deps.isTrusted()) return { ...base, result: 'restricted' };
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder || folder.uri.scheme !== 'file') return { ...base, result: 'no_folder' };
    const fsPath = path.resolve(folder.uri.fsPath, target.file);
    const relative = path.relative(folder.uri.fsPath, fsPath);
    // A setting must not make the extension write a token anywhere outside the workspace.
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return { ...base, result: 'outside_workspace' };
    // ...nor, through a symlink, a file or folder that only looks like it is inside.
    let placement: 'inside' | 'outside' | 'symlink';
    try {
      placement = await realPlacement(fsPath, folder.uri.fsPath);
    } catch {
      placement = 'outside'; // the folder does not exist (yet) or cannot be read: nothing is created there
    }
    if (placement === 'symlink') return { ...base, result: 'symlink' };
    if (placement === 'outside') return { ...base, result: 'outside_workspace' };
    const profileId = this.profileIdOf(target);
    if (!profileId) return { ...base, result: 'no_profile' };
    const withProfile = { ...base, profileId };
    const info = liveShort(this.deps.tokens, profileId);
    if (!info) return { ...withProfile, result: 'no_token' };
    const key = `${fsPath}\u0000${target.variable}`;
    if (this.written.get(key) === info.fingerprint) return { ...withProfile, result: 'unchanged' };
    if (!(await this.mayWrite(fsPath, relative))) return { ...withProfile, result: 'declined' };
    try {
      const { value, info: served } = await this.deps.tokens.getShortTermToken(profileId);
      const uri = vscode.Uri.file(fsPath);
      const before = await this.read(uri);
      const after = setEnvVariable(before, target.variable, value);
      if (after === before) {
        this.written.set(key, served.fingerprint);
        return { ...withProfile, result: 'unchanged' };
      }
      await (this.deps.writeFile ?? ((u, c) => vscode.workspace.fs.writeFile(u, c)))(uri, Buffer.from(after, 'utf8'));
      // Only now: a write that failed is tried again on the next change or sync.
      this.written.set(key, served.fingerprint);
      this.deps.log.info(`env sync: ${target.variable} in ${relative} set to short-term token ${served.tokenId} of profile ${profileId}`);
      return { ...withProfile, result: 'written' };
    } catch (error) {
      this.deps.log.warn(`env sync: ${relative} not updated: ${errorText(error)}`);
      return { ...withProfile, result: 'failed' };
    }
  }

  private async read(uri: vscode.Uri): Promise<string | undefined> {
    try {
      return Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Git ignores the file, or the user allowed it once (remembered per path), or allows it now. */
  private async mayWrite(fsPath: string, relative: string): Promise<boolean> {
    const confirmed = this.deps.workspaceState.get<string[]>(CONFIRMED_FILES_KEY, []);
    if (confirmed.includes(fsPath)) return true;
    const status = await this.deps.isIgnored(fsPath);
    if (status === 'ignored') return true;
    if (this.declined.has(fsPath)) return false;
    const why = status === 'not_ignored'
      ? `Git does not ignore ${relative}, so the token could be committed.`
      : `Git could not tell whether it ignores ${relative} (no git, not a repository, or git failed), so the token could be committed.`;
    const answer = await this.deps.asker.confirm(
      `C2M: keep the short-term token in ${relative}?`,
      `${why} Add it to .gitignore, or allow writing to this file (asked once for this file in this workspace).`,
      ALLOW,
    );
    if (answer !== ALLOW) {
      this.declined.add(fsPath);
      return false;
    }
    await this.deps.workspaceState.update(CONFIRMED_FILES_KEY, [...confirmed, fsPath]);
    return true;
  }
}
