// .env sync: keeps one variable of an env file equal to a profile's current short-term token, so request files can
// say {{$dotenv C2M_ACCESS_TOKEN}} and never hold a secret. Rewritten whenever the token changes (every refresh), and
// after a revocation too: a revoked short-term token is followed by a fresh one, and a revoked long-term token or a
// sign-out empties the variable (and the user is told). Every write goes through the one env writer (envWriter.ts)
// and its guards. A target chosen by the workspace's settings (a repository's .vscode/settings.json) is used only
// after the user confirmed it once for that (file, variable, profile); the answer lives in globalState, keyed by
// workspace folder and target, where a repository cannot plant it.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isSafeEnvName } from '../core/envFile';
import type { TokenInfo, TokenService } from '../core/tokenService';
import { affects, envSyncEnabled, envSyncTargets, Keys, type EnvSyncTarget } from '../host/config';
import type { EnvWriter, EnvWriteResult } from './envWriter';
import { whyNotWritten } from './envWriter';
import type { Asker } from '../ui/inputs';
import { errorText, type Log } from '../host/log';
import type { Notifier } from '../ui/notifications';

export const CONFIRMED_TARGETS_KEY = 'c2m.envSync.confirmedTargets';

export type EnvSyncResult =
  EnvWriteResult | 'emptied' | 'disabled' | 'no_token' | 'no_profile' | 'no_folder' | 'target_declined';

export interface EnvSyncOutcome {
  file: string;
  variable: string;
  profileId?: string;
  result: EnvSyncResult;
  /** Why nothing was written, in plain words (also what the command shows). */
  reason?: string;
}

export interface EnvSyncDeps {
  tokens: TokenService;
  writer: EnvWriter;
  asker: Asker;
  log: Log;
  notifier: Pick<Notifier, 'info' | 'warn'>;
  globalState: vscode.Memento;
  /** Workspace trust (vscode.workspace.isTrusted); a function so the Restricted Mode rule can be tested. */
  isTrusted(): boolean;
  /** Default: the c2m.envSync.* settings. */
  settings?: () => { enabled: boolean; targets: EnvSyncTarget[] };
}

const fromSettings = (): { enabled: boolean; targets: EnvSyncTarget[] } => ({
  enabled: envSyncEnabled(),
  targets: envSyncTargets(),
});

const live = (info: TokenInfo | undefined): boolean => info?.status === 'valid' || info?.status === 'expiring';

export class EnvSync implements vscode.Disposable {
  /** file + variable -> fingerprint last written (or found already there), so a refresh writes each file once. */
  private readonly written = new Map<string, string>();
  /** Every fingerprint written per file + variable: the sync's own earlier values, which it may replace or empty. */
  private readonly ours = new Map<string, string[]>();
  /** Targets from workspace settings the user declined in this session: not asked again until reload. */
  private readonly declinedTargets = new Set<string>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private queue: Promise<EnvSyncOutcome[]> = Promise.resolve([]);

  constructor(private readonly deps: EnvSyncDeps) {
    this.subscriptions.push(
      deps.tokens.onDidChange(() => this.schedule()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.schedule()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affects(e, Keys.envSyncEnabled) || affects(e, Keys.envSyncTargets) || affects(e, Keys.activeProfile)) {
          this.written.clear();
          this.schedule();
        }
      }),
    );
  }

  /**
   * Syncs every target now, after any sync in progress; resolves to what happened to each. `explicit`: the user
   * asked (the command), so a short-term token is fetched even when none is held, and the outcome is shown.
   */
  sync(options: { explicit?: boolean } = {}): Promise<EnvSyncOutcome[]> {
    const run = (): Promise<EnvSyncOutcome[]> => this.syncAll(options.explicit === true);
    const next = this.queue.then(run, run);
    this.queue = next;
    return next;
  }

  /** The command: syncs now and always says what was written, or why nothing was. */
  async syncAndReport(): Promise<EnvSyncOutcome[]> {
    const outcomes = await this.sync({ explicit: true });
    const lines = outcomes.map((o) => this.describe(o));
    const fine = outcomes.every((o) => o.result === 'written' || o.result === 'unchanged' || o.result === 'emptied');
    const message = `C2M: ${lines.join(' ')}`;
    if (fine) this.deps.notifier.info(message);
    else this.deps.notifier.warn(message);
    return outcomes;
  }

  dispose(): void {
    for (const s of this.subscriptions.splice(0)) s.dispose();
  }

  private describe(o: EnvSyncOutcome): string {
    const name = o.profileId ? this.profileName(o.profileId) : undefined;
    switch (o.result) {
      case 'written':
        return name !== undefined
          ? vscode.l10n.t('Wrote the short-term token of profile "{0}" to {1} in {2}.', name, o.variable, o.file)
          : vscode.l10n.t('Wrote the short-term token to {0} in {1}.', o.variable, o.file);
      case 'unchanged':
        return name !== undefined
          ? vscode.l10n.t(
              '{0} in {1} already holds the current short-term token of profile "{2}".',
              o.variable,
              o.file,
              name,
            )
          : vscode.l10n.t('{0} in {1} already holds the current short-term token.', o.variable, o.file);
      case 'emptied':
        return vscode.l10n.t(
          'Emptied {0} in {1}: {2}.',
          o.variable,
          o.file,
          o.reason ?? vscode.l10n.t('no token is left'),
        );
      default:
        return vscode.l10n.t('{0} in {1} not written: {2}.', o.variable, o.file, o.reason ?? o.result);
    }
  }

  private profileName(profileId: string): string {
    return this.deps.tokens.profiles().find((p) => p.id === profileId)?.name ?? profileId;
  }

  private settings(): { enabled: boolean; targets: EnvSyncTarget[] } {
    return (this.deps.settings ?? fromSettings)();
  }

  private schedule(): void {
    if (!this.settings().enabled) return;
    this.sync().catch((error: unknown) => this.deps.log.warn(`env sync failed: ${errorText(error)}`));
  }

  private async syncAll(explicit: boolean): Promise<EnvSyncOutcome[]> {
    const { enabled, targets } = this.settings();
    if (!enabled) {
      const reason = vscode.l10n.t('the .env sync is off (turn on the setting c2m.envSync.enabled)');
      return targets.map((t) => ({ file: t.file, variable: t.variable, result: 'disabled', reason }));
    }
    const outcomes: EnvSyncOutcome[] = [];
    for (const target of targets) outcomes.push(await this.syncOne(target, explicit));
    return outcomes;
  }

  private profileIdOf(target: EnvSyncTarget): string | undefined {
    const profiles = this.deps.tokens.profiles();
    if (target.profile) return profiles.find((p) => p.id === target.profile || p.name === target.profile)?.id;
    return profiles.find((p) => p.active)?.id;
  }

  private async syncOne(target: EnvSyncTarget, explicit: boolean): Promise<EnvSyncOutcome> {
    const base = { file: target.file, variable: target.variable };
    const fail = (result: EnvSyncResult, reason: string, profileId?: string): EnvSyncOutcome => ({
      ...base,
      profileId,
      result,
      reason,
    });
    // Restricted Mode: nothing is written into files, and nobody is asked.
    if (!this.deps.isTrusted())
      return fail('restricted', whyNotWritten('restricted', target.file, target.variable) ?? '');
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder || folder.uri.scheme !== 'file') return fail('no_folder', vscode.l10n.t('no workspace folder is open'));
    const fsPath = path.resolve(folder.uri.fsPath, target.file);
    if (!isSafeEnvName(target.variable))
      return fail('bad_variable', whyNotWritten('bad_variable', target.file, target.variable) ?? '');
    const profileId = this.profileIdOf(target);
    if (!profileId)
      return fail(
        'no_profile',
        target.profile ? vscode.l10n.t('no profile "{0}"', target.profile) : vscode.l10n.t('no profile is active'),
      );
    if (target.origin === 'workspace' && !(await this.targetConfirmed(folder, target, profileId))) {
      return fail(
        'target_declined',
        vscode.l10n.t("the workspace's settings chose this target and it was not allowed"),
        profileId,
      );
    }
    const key = `${fsPath}\u0000${target.variable}`;
    const tokens = this.deps.tokens.tokens().filter((t) => t.profileId === profileId);
    const long = tokens.find((t) => t.kind === 'long');
    const short = tokens.find((t) => t.kind === 'short');
    const name = this.profileName(profileId);

    // No long-term token any more (signed out) or a revoked one: the variable must not keep a token that is dead.
    if (!long || long.status === 'revoked') {
      const why = long
        ? vscode.l10n.t('the long-term token of profile "{0}" was revoked', name)
        : vscode.l10n.t('profile "{0}" has no long-term token (signed out)', name);
      const result = await this.deps.writer.write({
        fsPath,
        variable: target.variable,
        value: '',
        profileId,
        ownFingerprints: this.ours.get(key),
        explicit,
      });
      if (result !== 'written')
        return fail(result === 'unchanged' || result === 'kept_other' ? 'no_token' : result, why, profileId);
      this.written.set(key, '');
      this.deps.log.info(`env sync: ${target.variable} in ${target.file} emptied: ${why}`);
      if (!explicit)
        this.deps.notifier.info(vscode.l10n.t('C2M: emptied {0} in {1}: {2}.', target.variable, target.file, why));
      return { ...base, profileId, result: 'emptied', reason: why };
    }
    // A revoked short-term token is replaced at once (requests using the variable would get 401 until the next
    // refresh); a token that is simply not there yet waits for the engine's refresh, unless the user asked.
    const fetch = live(short) || short?.status === 'revoked' || explicit;
    if (!fetch)
      return fail('no_token', vscode.l10n.t('profile "{0}" holds no valid short-term token', name), profileId);
    if (live(short) && short && this.written.get(key) === short.fingerprint)
      return { ...base, profileId, result: 'unchanged' };
    let served: { value: string; info: TokenInfo };
    try {
      served = await this.deps.tokens.getShortTermToken(profileId);
    } catch (error) {
      return fail(
        'no_token',
        vscode.l10n.t('no short-term token could be had for profile "{0}": {1}', name, errorText(error)),
        profileId,
      );
    }
    const result = await this.deps.writer.write({
      fsPath,
      variable: target.variable,
      value: served.value,
      profileId,
      expiresAt: served.info.expiresAt,
      ownFingerprints: this.ours.get(key),
      explicit,
    });
    if (result !== 'written' && result !== 'unchanged') {
      return fail(result, whyNotWritten(result, target.file, target.variable) ?? result, profileId);
    }
    // Only now: a write that failed is tried again on the next change or sync.
    this.written.set(key, served.info.fingerprint);
    this.ours.set(key, [...(this.ours.get(key) ?? []).slice(-20), served.info.fingerprint]);
    if (result === 'written') {
      this.deps.log.info(
        `env sync: ${target.variable} in ${target.file} set to short-term token ${served.info.tokenId} of profile ${profileId}`,
      );
    }
    return { ...base, profileId, result };
  }

  /** A target the workspace's settings chose: allowed once by the user for this folder, file, variable and profile. */
  private async targetConfirmed(
    folder: vscode.WorkspaceFolder,
    target: EnvSyncTarget,
    profileId: string,
  ): Promise<boolean> {
    const entry = [folder.uri.toString(), path.normalize(target.file), target.variable, profileId].join('\u0000');
    const confirmed = this.deps.globalState.get<string[]>(CONFIRMED_TARGETS_KEY, []);
    if (confirmed.includes(entry)) return true;
    if (this.declinedTargets.has(entry)) return false;
    const allow = vscode.l10n.t('Allow');
    const answer = await this.deps.asker.confirm(
      vscode.l10n.t(
        'C2M: this workspace\'s settings ask to write your "{0}" token into {1}. Allow?',
        this.profileName(profileId),
        target.file,
      ),
      vscode.l10n.t(
        'The settings of this workspace (.vscode/settings.json, which comes with the repository) ask C2M to keep the short-term token of your profile "{0}" in {1} as {2}, rewritten on every refresh. Allow it only if you want that token in that file. You are asked once for this file, variable and profile in this folder.',
        this.profileName(profileId),
        target.file,
        target.variable,
      ),
      allow,
    );
    if (answer !== allow) {
      this.declinedTargets.add(entry);
      return false;
    }
    await this.deps.globalState.update(CONFIRMED_TARGETS_KEY, [...confirmed, entry]);
    return true;
  }
}
