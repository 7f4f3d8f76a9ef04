// Builds the token engine with its VS Code adapters (secret storage, settings, prompts, trust, log) and turns its
// events into what the user sees: background failures and expiry reminders become notifications, settings changes
// are pushed to it, and the `c2m.hasProfiles` context key follows the profile list (the welcome view uses it), once
// `c2m.ready` says the stored state has been read: until then the view does not claim there is no profile.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { realClock } from './core/clock';
import { TokenEngine } from './core/tokenEngine';
import { versionOfRaw, WindowChannel } from './core/windowChannel';
import type { Profile } from './core/profile';
import type { SecretStore } from './core/secretStore';
import { affects, expiryWarningDays, Keys, mayUseNetwork } from './host/config';
import type { ProfileSettings } from './host/profileSettings';
import type { Ctx } from './host/context';
import { runCommand } from './host/runCommand';
import type { Asker } from './ui/inputs';
import type { Log } from './host/log';
import type { Notifier } from './ui/notifications';
import { normaliseOtp, otpProblem } from './ui/otpCode';
import { SecretStorageAdapter } from './host/secretStorageAdapter';
import { SharedStateFile } from './host/sharedStateFile';

export interface EngineHost {
  engine: TokenEngine;
  store: SecretStore;
  /** Resolves once the stored records of the configured profiles have been read. */
  ready: Promise<void>;
}

export function wireEngine(
  ctx: Ctx,
  deps: { log: Log; notifier: Notifier; asker: Asker; settings: ProfileSettings },
): EngineHost {
  const { log, notifier, asker, settings } = deps;
  const entryOf = (profileId: string) => settings.profile(profileId);
  const store = new SecretStorageAdapter(ctx.extension.secrets);
  const windowId = randomUUID();
  const windows = openWindowChannel(ctx, store, windowId, log);
  const engine = new TokenEngine({
    store,
    prompts: {
      otpCode: async (profile: Profile) => {
        const answer = await asker.input({
          title: vscode.l10n.t('One-time code for "{0}"', profile.name),
          prompt: vscode.l10n.t(
            'The 6-digit code for {0} from your authenticator app (for the local sandbox, `npm start` prints it: key o). Used once, never stored.',
            profile.clientId,
          ),
          password: true,
          validate: otpProblem,
        });
        return typeof answer === 'string' ? normaliseOtp(answer) : undefined;
      },
    },
    canUseNetwork: (profile) => mayUseNetwork(entryOf(profile.id), vscode.workspace.isTrusted),
    log: (line) => log.info(line),
    audit: (entry) => log.audit(entry),
    windowId,
    ...(windows ? { windows } : {}),
    expiryWarningDays: expiryWarningDays(),
  });
  ctx.extLifetime.push(engine);

  // The settings' profiles reach the engine on every re-read (ProfileSettings: a change, a trust grant, sync()).
  // A re-read that changed nothing is not passed on: the engine would announce a change to everything that follows it.
  let pushed: string | undefined;
  const pushProfiles = (): void => {
    const configured = settings.profiles();
    // Profiles with settings problems are listed in the tree (with the problem) but never reach the engine.
    const usable = configured.filter((p) => p.problems.length === 0).map((p) => p.profile);
    const active = settings.activeId();
    const key = JSON.stringify({ usable, active, any: configured.length > 0 });
    if (key === pushed) return;
    pushed = key;
    engine.setProfiles(usable, active);
    profilesKey = vscode.commands.executeCommand('setContext', 'c2m.hasProfiles', configured.length > 0);
  };
  let profilesKey: Thenable<unknown> = Promise.resolve();
  pushProfiles();
  settings.onDidChange(pushProfiles, undefined, ctx.extLifetime.sink);
  const ready = Promise.all([engine.ready, windows?.ready]).then(() => undefined);
  // The welcome ("No C2M profile yet") waits for this key, set after c2m.hasProfiles: a view drawn before the profiles
  // and tokens were read shows "loading" (package.json viewsWelcome), never that there is no profile.
  const readyKey = (): Thenable<unknown> => vscode.commands.executeCommand('setContext', 'c2m.ready', true);
  const afterProfilesKey = (): Thenable<unknown> => profilesKey.then(readyKey, readyKey);
  void ready.then(afterProfilesKey, afterProfilesKey);

  vscode.workspace.onDidChangeConfiguration(
    (e) => {
      if (affects(e, Keys.expiryWarningDays)) engine.setExpiryWarningDays(expiryWarningDays());
    },
    undefined,
    ctx.extLifetime.sink,
  );

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
    // A revoke's failure (after a rotation, a sign-out, at start) is not a refresh's: it is told as a revoke's.
    const exchange =
      failure.operation === undefined &&
      !['unreadable', 'origin_changed', 'store_failed', 'ids_disagree'].includes(failure.error.code);
    notifier.failure(
      failure.profileId,
      nameOf(failure.profileId),
      exchange ? 'refresh' : failure.operation,
      failure.error,
    );
  });
  const recoveredSub = engine.onDidChange(() => {
    if (told.size === 0) return;
    for (const t of engine.tokens()) if (t.kind === 'short' && t.status === 'valid') told.delete(t.profileId);
  });
  const warnSub = engine.onExpiryWarning((warning) => {
    if (expiryWarningDays() === 0) return;
    // The name is quoted, as in every failure notice: a name ending in "otp" before a colon reads as a field to the redactor.
    const message =
      warning.daysLeft === 1
        ? vscode.l10n.t('C2M "{0}": the long-term token {1} expires in 1 day.', warning.profileName, warning.tokenId)
        : vscode.l10n.t(
            'C2M "{0}": the long-term token {1} expires in {2} days.',
            warning.profileName,
            warning.tokenId,
            warning.daysLeft,
          );
    notifier.warn(message, {
      title: vscode.l10n.t('Rotate Now'),
      run: () => runCommand('c2m.rotateLongTermToken', warning.profileId),
    });
  });
  // Decisions never use the server's clock; a large difference is still worth a line when tokens look odd.
  const skewSub = engine.onClockSkew((report) => {
    const minutes = Math.max(1, Math.round(Math.abs(report.skewMs) / 60_000));
    log.warn(
      `profile ${report.profileId}: server clock differs by about ${minutes} min (${report.skewMs > 0 ? 'ahead of' : 'behind'} this machine)`,
    );
  });
  ctx.extLifetime.push({
    dispose: () => (failSub.dispose(), recoveredSub.dispose(), warnSub.dispose(), skewSub.dispose()),
  });
  return { engine, store, ready };
}

/**
 * The channel to the other windows of this VS Code server: a state file in the extension's global storage on the
 * extension host's disk (secretStorageAdapter.ts says why SecretStorage alone is not enough), re-read on focus.
 * Without a local global storage folder the window works alone.
 */
function openWindowChannel(ctx: Ctx, store: SecretStore, windowId: string, log: Log): WindowChannel | undefined {
  const storage = ctx.extension.globalStorageUri;
  if (storage.scheme !== 'file') {
    log.warn(
      `windows: global storage is not on this machine (${storage.scheme}:), so other windows are not told of token changes`,
    );
    return undefined;
  }
  const file = ctx.extLifetime.push(new SharedStateFile(storage.fsPath, (line) => log.info(line)));
  const channel = new WindowChannel({
    file,
    clock: realClock,
    windowId,
    copyVersion: async (key) => versionOfRaw(await store.get(key)),
    log: (line) => log.info(`windows: ${line}`),
  });
  ctx.extLifetime.push({ dispose: () => (void channel.release().catch(() => undefined), channel.dispose()) });
  vscode.window.onDidChangeWindowState(
    (state) => {
      if (state.focused) void channel.refresh().catch(() => undefined);
    },
    undefined,
    ctx.extLifetime.sink,
  );
  return channel;
}
