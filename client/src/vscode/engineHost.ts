// Builds the token engine with its VS Code adapters (secret storage, settings, prompts, trust, log) and turns its
// events into what the user sees: background failures and expiry reminders become notifications, settings changes
// are pushed to it, and the `c2m.hasProfiles` context key follows the profile list (the welcome view uses it).
import * as vscode from 'vscode';
import { TokenEngine } from '../core/tokenEngine';
import type { Profile } from '../core/profile';
import type { SecretStore } from '../core/secretStore';
import { affects, expiryWarningDays, Keys, mayUseNetwork, readActiveProfileId, readProfiles } from './config';
import type { Ctx } from './context';
import type { Asker } from './inputs';
import type { Log } from './log';
import type { Notifier } from './notifications';
import { normaliseOtp, otpProblem } from './otpCode';
import { SecretStorageAdapter } from './secretStorageAdapter';

export interface EngineHost {
  engine: TokenEngine;
  store: SecretStore;
  /** Resolves once the stored records of the configured profiles have been read. */
  ready: Promise<void>;
  /** Re-reads settings into the engine (after this extension wrote them, without waiting for the change event). */
  syncProfiles(): void;
}

export function wireEngine(ctx: Ctx, deps: { log: Log; notifier: Notifier; asker: Asker }): EngineHost {
  const { log, notifier, asker } = deps;
  const entryOf = (profileId: string) => readProfiles().find((p) => p.profile.id === profileId);
  const store = new SecretStorageAdapter(ctx.extension.secrets);
  const engine = new TokenEngine({
    store,
    prompts: {
      otpCode: async (profile: Profile) => {
        const answer = await asker.input({
          title: `One-time code for "${profile.name}"`,
          prompt:
            `The 6-digit code for ${profile.clientId} from your authenticator app (for the local sandbox, \`npm start\` ` +
            'prints it: key o). Used once, never stored.',
          password: true,
          validate: otpProblem,
        });
        return typeof answer === 'string' ? normaliseOtp(answer) : undefined;
      },
    },
    canUseNetwork: (profile) => mayUseNetwork(entryOf(profile.id), vscode.workspace.isTrusted),
    log: (line) => log.info(line),
    audit: (entry) => log.audit(entry),
    windowId: vscode.env.sessionId.slice(0, 12),
    expiryWarningDays: expiryWarningDays(),
  });
  ctx.extLifetime.push(engine);

  const syncProfiles = (): void => {
    const configured = readProfiles();
    // Profiles with settings problems are listed in the tree (with the problem) but never reach the engine.
    const usable = configured.filter((p) => p.problems.length === 0).map((p) => p.profile);
    engine.setProfiles(usable, readActiveProfileId(configured));
    void vscode.commands.executeCommand('setContext', 'c2m.hasProfiles', configured.length > 0);
  };
  syncProfiles();
  const ready = engine.ready;

  vscode.workspace.onDidChangeConfiguration(
    (e) => {
      if (affects(e, Keys.profiles) || affects(e, Keys.activeProfile)) syncProfiles();
      if (affects(e, Keys.expiryWarningDays)) engine.setExpiryWarningDays(expiryWarningDays());
    },
    undefined,
    ctx.extLifetime.sink,
  );
  vscode.workspace.onDidGrantWorkspaceTrust(syncProfiles, undefined, ctx.extLifetime.sink);

  const nameOf = (profileId: string): string => entryOf(profileId)?.profile.name ?? profileId;
  // Background failures repeat while the engine retries with backoff: tell the user once per kind of failure,
  // again only after the profile had a working short-term token in between.
  const told = new Map<string, string>();
  const failSub = engine.onDidFail((failure) => {
    // Failures of user-started operations reach the command that started them, which reports them itself.
    if (!failure.background) return;
    const kind = `${failure.error.code}:${failure.error.apiCode ?? ''}`;
    if (told.get(failure.profileId) === kind) return;
    told.set(failure.profileId, kind);
    const exchange = failure.error.code !== 'unreadable' && failure.error.code !== 'origin_changed';
    notifier.failure(failure.profileId, nameOf(failure.profileId), exchange ? 'refresh' : undefined, failure.error);
  });
  const recoveredSub = engine.onDidChange(() => {
    if (told.size === 0) return;
    for (const t of engine.tokens()) if (t.kind === 'short' && t.status === 'valid') told.delete(t.profileId);
  });
  const warnSub = engine.onExpiryWarning((warning) => {
    if (expiryWarningDays() === 0) return;
    const days = warning.daysLeft === 1 ? '1 day' : `${warning.daysLeft} days`;
    notifier.warn(`C2M ${warning.profileName}: the long-term token ${warning.tokenId} expires in ${days}.`, {
      title: 'Rotate Now',
      run: () => vscode.commands.executeCommand('c2m.rotateLongTermToken', warning.profileId),
    });
  });
  // Decisions never use the server's clock; a large difference is still worth a line when tokens look odd.
  const skewSub = engine.onClockSkew((report) => {
    const minutes = Math.max(1, Math.round(Math.abs(report.skewMs) / 60_000));
    log.warn(`profile ${report.profileId}: server clock differs by about ${minutes} min (${report.skewMs > 0 ? 'ahead of' : 'behind'} this machine)`);
  });
  ctx.extLifetime.push({ dispose: () => (failSub.dispose(), recoveredSub.dispose(), warnSub.dispose(), skewSub.dispose()) });
  return { engine, store, ready, syncProfiles };
}
