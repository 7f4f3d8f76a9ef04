// The command table: every command the extension contributes, id -> handler. activate() registers exactly these,
// and an integration test checks that package.json's contributes.commands lists the same ids.
// Handlers never throw at the user: failures become actionable notifications (Notifier), and a handler resolves
// to its result (a TokenInfo, a profile id...) or undefined, which the integration tests use.
import * as vscode from 'vscode';
import { CoreError } from '../core/errors';
import { cannotRevokeText, REVOKE_SCOPE, type RevokeCapability } from '../core/lifecycleScopes';
import type { OperationControl } from '../core/operation';
import { bindingOf, type Profile } from '../core/profile';
import type { TokenInfo, TokenKind } from '../core/tokenService';
import { COPY_WARNING_KEY, deleteProfile, readProfiles, saveProfile, setActiveProfile, whyNoNetwork, type ConfiguredProfile } from '../host/config';
import { createFeatureCommands, FEATURE_COMMAND_IDS } from './featureCommands';
import type { Services } from '../services';
import { askClientSecret, askPrivateKey, askProfile } from '../ui/profileWizard';
import { newSandboxProfile, ownSandboxProfile } from '../integrations/sandboxProfile';
import { displayStatus, formatScopes, formatWhen, maskTokenId, statusLook, tokenSummary } from '../ui/viewFormat';
import type { ExpiryRules } from '@shared/judgement';
import { errorText } from '../host/log';
import type { RunControl } from '../ui/progress';
import { lateLongTokenText, progressTitle } from '../ui/progressText';

export const COMMAND_IDS = [
  'c2m.trySandbox',
  'c2m.addProfile',
  'c2m.editProfile',
  'c2m.removeProfile',
  'c2m.switchProfile',
  'c2m.setClientSecret',
  'c2m.setPrivateKey',
  'c2m.issueLongTermToken',
  'c2m.rotateLongTermToken',
  'c2m.refreshShortTermToken',
  'c2m.revokeToken',
  'c2m.copyShortTermToken',
  'c2m.revealToken',
  'c2m.signOut',
  'c2m.showActions',
  'c2m.showLog',
  ...FEATURE_COMMAND_IDS,
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];
type Handler = (...args: unknown[]) => Promise<unknown>;

/** A command's target as passed by a tree node ({ profileId, kind? }), a profile id string, or nothing (active profile). */
interface Target {
  profileId: string;
  kind?: TokenKind;
}

/** The Show Token Actions entries that act on the active profile. */
const ON_ACTIVE_PROFILE: ReadonlySet<string> = new Set<CommandId>([
  'c2m.refreshShortTermToken', 'c2m.copyShortTermToken', 'c2m.rotateLongTermToken', 'c2m.issueLongTermToken', 'c2m.revokeToken', 'c2m.editProfile',
]);

function targetOf(arg: unknown): Partial<Target> {
  if (typeof arg === 'string') return { profileId: arg };
  if (typeof arg === 'object' && arg !== null && 'profileId' in arg && typeof arg.profileId === 'string') {
    const kind = 'kind' in arg && (arg.kind === 'long' || arg.kind === 'short') ? arg.kind : undefined;
    return kind ? { profileId: arg.profileId, kind } : { profileId: arg.profileId };
  }
  return {};
}

export function createCommands(s: Services): Record<CommandId, Handler> {
  /** Runs a token operation for a profile; a failure is shown (and logged), never thrown at the caller. */
  async function guarded<T>(profileId: string, action: string, run: () => Promise<T>): Promise<T | undefined> {
    try {
      const result = await run();
      s.state.markFailing(profileId, false);
      return result;
    } catch (error) {
      // The user cancelled: told what it did and did not stop, as information, and not counted as a failure.
      if (error instanceof CoreError && error.code === 'aborted') {
        const name = s.state.profile(profileId)?.profile.name ?? profileId;
        s.log.info(`${error.message} (profile ${profileId})`);
        s.notifier.info(error.message.includes(`"${name}"`) ? `C2M: ${error.message}` : `C2M ${name}: ${error.message}`);
        return undefined;
      }
      s.state.markFailing(profileId, true);
      s.notifier.failure(profileId, s.state.profile(profileId)?.profile.name ?? profileId, action, error);
      return undefined;
    }
  }

  /** Whether a profile holds a stored client secret or a token that still works (re-pointing it would replace them). */
  async function sandboxProfileHolds(profileId: string): Promise<boolean> {
    if ((await s.engine.secretPresence(profileId, 'client_secret')) !== 'absent') return true;
    return s.engine.tokens().some((t) => t.profileId === profileId && t.status !== 'expired' && t.status !== 'revoked');
  }

  /**
   * Runs the network part of a command under a cancellable progress notification titled with the profile's name; it
   * shows once the first request starts.
   */
  function withProgress<T>(profile: Profile, work: (control: RunControl) => Promise<T>): Promise<T> {
    return s.progress.run(progressTitle(profile.name), work);
  }

  /** The control of a long-term issue or rotation: a token the server issues after a cancel is stored, and said so. */
  function telling(profile: Profile, control: RunControl): OperationControl {
    return {
      ...control,
      onLateOutcome: (outcome) => {
        if (outcome.ok) s.notifier.info(lateLongTokenText(profile.name, outcome.info, maskTokenId(outcome.info?.tokenId ?? '')));
        else s.log.info(`profile ${profile.id}: after the cancel: ${errorText(outcome.error)}`);
      },
    };
  }

  /** A brief confirmation in the status bar (it hides itself) for actions whose only other sign is a changed countdown. */
  function done(text: string): void {
    vscode.window.setStatusBarMessage(`$(check) C2M: ${text}`, 4000);
  }

  /** The profile a command acts on: the argument, else the active profile, else one the user picks. */
  async function resolveProfile(arg: unknown, purpose: string): Promise<ConfiguredProfile | undefined> {
    s.state.invalidate();
    const wanted = targetOf(arg).profileId;
    if (wanted) {
      const entry = s.state.profile(wanted) ?? s.state.profiles().find((p) => p.profile.name === wanted);
      if (!entry) {
        // In Restricted Mode VS Code hides c2m.profiles from workspace settings: say so, or the profile just seems gone.
        const why = vscode.workspace.isTrusted ? '' : ` ${vscode.l10n.t('This workspace is in Restricted Mode: profiles from its settings are not read.')}`;
        s.notifier.error(`${vscode.l10n.t('C2M: no profile "{0}".', wanted)}${why}`);
      }
      return entry;
    }
    const profiles = s.state.profiles();
    if (profiles.length === 0) {
      s.notifier.info(
        vscode.l10n.t('C2M: no profile yet.'),
        { title: vscode.l10n.t('Try with Local Sandbox'), run: () => vscode.commands.executeCommand('c2m.trySandbox') },
        { title: vscode.l10n.t('Add Profile'), run: () => vscode.commands.executeCommand('c2m.addProfile') },
      );
      return undefined;
    }
    const active = s.state.profile(s.state.activeId());
    if (active || profiles.length === 1) return active ?? profiles[0];
    return pickProfile(purpose);
  }

  async function pickProfile(purpose: string): Promise<ConfiguredProfile | undefined> {
    const activeId = s.state.activeId();
    const id = await s.asker.pick<string>({
      title: purpose,
      placeholder: vscode.l10n.t('Choose a C2M profile'),
      items: s.state.profiles().map((p) => ({
        label: p.profile.name,
        description: `${p.profile.id === activeId ? `${vscode.l10n.t('active')} · ` : ''}${p.profile.clientId}`,
        detail: p.profile.baseUrl,
        value: p.profile.id,
      })),
      ...(activeId ? { active: activeId } : {}),
    });
    return typeof id === 'string' ? s.state.profile(id) : undefined;
  }

  /** Network-free check that the profile may be used at all; tells the user why not (Restricted Mode, bad settings). */
  function usable(entry: ConfiguredProfile): boolean {
    const why = whyNoNetwork(entry, vscode.workspace.isTrusted);
    if (why) s.notifier.warn(`C2M: ${why}`);
    return why === undefined;
  }

  /** Asks for the client secret and stores it (secret storage only). Resolves false when the user cancelled. */
  async function storeClientSecret(profile: Profile): Promise<boolean> {
    const secret = await askClientSecret(s.asker, profile);
    if (secret === undefined) return false;
    await s.engine.setClientSecret(profile.id, secret);
    s.log.info(`profile ${profile.id}: client secret stored in secret storage`);
    return true;
  }

  /** Asks for the private key (file or paste) and stores it; a key that cannot be used is reported, not thrown. */
  async function storePrivateKey(profile: Profile): Promise<boolean> {
    try {
      const pem = await askPrivateKey(s.asker, profile);
      if (pem === undefined) return false;
      await s.engine.setPrivateKey(profile.id, pem);
    } catch (error) {
      s.notifier.error(`C2M: ${errorText(error)}`);
      return false;
    }
    s.log.info(`profile ${profile.id}: private key stored in secret storage`);
    return true;
  }

  /** The secret the profile's mechanism needs, if any. */
  async function askSecretFor(profile: Profile): Promise<boolean> {
    if (profile.mechanism === 'client_secret') return storeClientSecret(profile);
    if (profile.mechanism === 'assertion') return storePrivateKey(profile);
    return true;
  }

  /** The profile's token of `kind` while the server may still accept it (not revoked, not past its expiry). */
  function liveToken(profileId: string, kind: TokenKind): TokenInfo | undefined {
    const info = s.state.token(profileId, kind);
    return info && info.status !== 'revoked' && info.expiresAt > Date.now() ? info : undefined;
  }

  /**
   * After a profile is added or its secret stored: confirm what was stored where, and offer the step that comes next
   * (set the missing secret, issue the first long-term token, make the new profile the active one).
   */
  function offerNextStep(profile: Profile, what: 'added' | 'added_without_secret' | 'secret_stored', otherActive: boolean): void {
    const name = profile.name;
    const secret = profile.mechanism === 'client_secret' ? 'client secret' : profile.mechanism === 'assertion' ? 'private key' : undefined;
    const issue = { title: vscode.l10n.t('Issue Long-Term Token'), run: () => vscode.commands.executeCommand('c2m.issueLongTermToken', profile.id) };
    const activate = { title: vscode.l10n.t('Make Active'), run: () => vscode.commands.executeCommand('c2m.switchProfile', profile.id) };
    const hasLive = liveToken(profile.id, 'long') !== undefined;
    const choices = [...(hasLive ? [] : [issue]), ...(otherActive ? [activate] : [])];
    if (what === 'added_without_secret' && secret) {
      const command = secret === 'client secret' ? 'c2m.setClientSecret' : 'c2m.setPrivateKey';
      const title = secret === 'client secret' ? vscode.l10n.t('Set Client Secret') : vscode.l10n.t('Set Private Key');
      const saved = secret === 'client secret'
        ? vscode.l10n.t('C2M: profile "{0}" saved without its client secret. Set it to issue tokens.', name)
        : vscode.l10n.t('C2M: profile "{0}" saved without its private key. Set it to issue tokens.', name);
      s.notifier.info(saved, { title, run: () => vscode.commands.executeCommand(command, profile.id) }, ...(otherActive ? [activate] : []));
      return;
    }
    const stored = secret === 'client secret' ? ` ${vscode.l10n.t('Its client secret is in the editor\'s secret storage.')}`
      : secret === 'private key' ? ` ${vscode.l10n.t('Its private key is in the editor\'s secret storage.')}` : '';
    const next = hasLive ? '' : profile.mechanism === 'otp' ? ` ${vscode.l10n.t('Next: issue a long-term token (you will be asked for a one-time code).')}` : ` ${vscode.l10n.t('Next: issue a long-term token.')}`;
    const head = what === 'secret_stored'
      ? secret === 'client secret' ? vscode.l10n.t('C2M: the client secret of "{0}" is stored in the editor\'s secret storage.', name)
        : secret === 'private key' ? vscode.l10n.t('C2M: the private key of "{0}" is stored in the editor\'s secret storage.', name)
          : vscode.l10n.t('C2M: the secret of "{0}" is stored in the editor\'s secret storage.', name)
      : `${otherActive ? vscode.l10n.t('C2M: profile "{0}" added.', name) : vscode.l10n.t('C2M: profile "{0}" added and made active.', name)}${stored}`;
    s.notifier.info(`${head}${next}`, ...choices);
  }

  /** A secret is asked only for the mechanism that uses it; otherwise the user hears which one the profile needs. */
  function usesSecret(entry: ConfiguredProfile, mechanism: 'client_secret' | 'assertion'): boolean {
    if (entry.profile.mechanism === mechanism) return true;
    const name = entry.profile.name;
    const what = mechanism === 'client_secret' ? vscode.l10n.t('C2M: "{0}" does not use a client secret.', name) : vscode.l10n.t('C2M: "{0}" does not use a private key.', name);
    const needs = entry.profile.mechanism === 'client_secret' ? { text: vscode.l10n.t('It uses a client secret.'), command: 'c2m.setClientSecret', title: vscode.l10n.t('Set Client Secret') }
      : entry.profile.mechanism === 'assertion' ? { text: vscode.l10n.t('It uses a private key.'), command: 'c2m.setPrivateKey', title: vscode.l10n.t('Set Private Key') }
        : undefined;
    const instead = needs ? ` ${needs.text}` : ` ${vscode.l10n.t('It needs no stored secret.')}`;
    s.notifier.info(
      `${what}${instead}`,
      ...(needs ? [{ title: needs.title, run: () => vscode.commands.executeCommand(needs.command, entry.profile.id) }] : []),
    );
    return false;
  }

  /**
   * Before an operation that revokes (Rotate, Revoke, Sign Out) of a profile whose token lacks tokens:revoke: says
   * that nothing will be revoked at the server and which token stays valid until when. Resolves true to go on.
   */
  function capabilityOf(entry: ConfiguredProfile): RevokeCapability {
    try {
      return s.engine.revokeCapability(entry.profile.id);
    } catch {
      return { canRevoke: true }; // Not a profile the engine knows: the operation itself reports that.
    }
  }

  const canRevoke = (entry: ConfiguredProfile): boolean => capabilityOf(entry).canRevoke;

  async function goOnWithoutRevoking(entry: ConfiguredProfile, verb: string): Promise<boolean> {
    const capability = capabilityOf(entry);
    if (capability.canRevoke) return true;
    const stays = capability.long
      ? ` ${vscode.l10n.t('Its long-term token {0} will stay valid at the server until {1}.', capability.long.tokenId, new Date(capability.long.expiresAt).toISOString())}`
      : '';
    const anyway = vscode.l10n.t('{0} Anyway', verb);
    const edit = vscode.l10n.t('Edit Profile');
    const answer = await s.asker.confirm(
      vscode.l10n.t('"{0}" cannot revoke its tokens at the server.', entry.profile.name),
      `${cannotRevokeText(entry.profile.name)}${stays} ${vscode.l10n.t('To fix it, add {0} to its scopes (Edit Profile) and issue a new long-term token.', REVOKE_SCOPE)}`,
      anyway,
      edit,
    );
    if (answer === edit) void vscode.commands.executeCommand('c2m.editProfile', entry.profile.id);
    return answer === anyway;
  }

  /**
   * After an edit that moved the base URL to another path of the same origin (same client id): the stored tokens and
   * secrets are bound to the old one and are sent nowhere else unless the user says so here.
   */
  async function offerRebind(before: Profile, after: Profile): Promise<boolean> {
    let from, to;
    try {
      from = bindingOf(before);
      to = bindingOf(after);
    } catch {
      return false;
    }
    if (from.origin !== to.origin || from.clientId !== to.clientId || from.baseUrl === to.baseUrl) return false;
    const move = vscode.l10n.t('Move Tokens There');
    const answer = await s.asker.confirm(
      vscode.l10n.t('Send the stored tokens of "{0}" to the new base URL?', after.name),
      vscode.l10n.t(
        'They were issued for {0} and are not sent to {1} unless you move them. Move them only if both paths are the same C2M API.',
        from.baseUrl ?? from.origin, to.baseUrl ?? to.origin,
      ),
      move,
      vscode.l10n.t('Keep Them Unused'),
    );
    if (answer !== move) return false;
    return (await guarded(after.id, vscode.l10n.t('the move of its tokens'), () => s.engine.rebind(after.id, before.baseUrl))) !== undefined;
  }

  async function kindToRevoke(entry: ConfiguredProfile, given: TokenKind | undefined): Promise<TokenKind | undefined> {
    if (given) return given;
    const live = (['short', 'long'] as const).filter((k) => liveToken(entry.profile.id, k));
    if (live.length <= 1) return live[0];
    const kind = await s.asker.pick<TokenKind>({
      title: vscode.l10n.t('Revoke a token of "{0}"', entry.profile.name),
      placeholder: vscode.l10n.t('Which token?'),
      items: [
        { label: vscode.l10n.t('Short-term token'), description: vscode.l10n.t('a new one is issued on next use'), value: 'short' },
        { label: vscode.l10n.t('Long-term token'), description: vscode.l10n.t('also revokes the short-term tokens made from it'), value: 'long' },
      ],
    });
    return typeof kind === 'string' ? kind : undefined;
  }

  const table: Record<CommandId, Handler> = {
    'c2m.trySandbox': async () => {
      let demo;
      let endpoint;
      const configured = readProfiles();
      let own: Profile | undefined;
      let workspaceOwn: Profile | undefined;
      try {
        demo = s.sandbox.demo();
        own = ownSandboxProfile(configured.filter((p) => p.origin === 'user').map((p) => p.profile), demo);
        // The workspace's own sandbox profile (the demo workspace of npm start has one) is used as it is, and only
        // while a sandbox answers where it points: nothing is re-pointed and the repository's settings are not written.
        const fromWorkspace = own ? undefined : ownSandboxProfile(configured.filter((p) => p.origin !== 'user').map((p) => p.profile), demo);
        endpoint = await s.sandbox.ensure(own?.baseUrl ?? fromWorkspace?.baseUrl);
        if (fromWorkspace && endpoint.baseUrl === fromWorkspace.baseUrl) workspaceOwn = fromWorkspace;
      } catch (error) {
        s.notifier.error(vscode.l10n.t('C2M: the local sandbox could not start: {0}', errorText(error)));
        return undefined;
      }
      if (own && own.baseUrl !== endpoint.baseUrl && (await sandboxProfileHolds(own.id))) {
        // Its sandbox no longer answers; what the profile holds is bound to that URL and would be replaced.
        const repoint = vscode.l10n.t('Point It at the New Sandbox');
        const answer = await s.asker.confirm(
          vscode.l10n.t('Point "{0}" at the sandbox at {1}?', own.name, endpoint.baseUrl),
          vscode.l10n.t(
            '"{0}" is set up for the sandbox at {1}, which does not answer. Its stored client secret and tokens belong to that sandbox and would be replaced. A new profile leaves them as they are.',
            own.name, own.baseUrl,
          ),
          repoint,
          vscode.l10n.t('Create a New Profile'),
        );
        if (answer === undefined) return undefined;
        if (answer !== repoint) own = undefined;
      }
      const profile: Profile = workspaceOwn ?? (own ? { ...own, baseUrl: endpoint.baseUrl } : newSandboxProfile(configured.map((p) => p.profile), endpoint.baseUrl, demo));
      if (!workspaceOwn) await saveProfile(profile);
      if (s.state.activeId() !== profile.id) await setActiveProfile(profile.id);
      s.syncProfiles();
      // The demo secret goes only where no secret is stored for this base URL: a secret the user set stays.
      if ((await s.engine.secretPresence(profile.id, 'client_secret')) !== 'set') await s.engine.setClientSecret(profile.id, endpoint.clientSecret);
      const result = await withProgress(profile, (control) => guarded(profile.id, 'issue', async () => {
        const long = s.state.token(profile.id, 'long');
        const status = displayStatus(long, Date.now(), s.state.expiryRules());
        if (status !== 'valid' && status !== 'expiring') await s.engine.issueLongTermToken(profile.id, telling(profile, control));
        return s.engine.getShortTermToken(profile.id, 0, control);
      }));
      if (!result) return undefined;
      await s.tree.reveal(s.tree.node('token', profile.id, 'short')).catch(() => undefined);
      // Short: a notification without buttons shows one line. Where the sandbox runs is in the log.
      s.notifier.info(vscode.l10n.t('C2M: "{0}" has a live short-term token.', profile.name));
      return result.info;
    },

    'c2m.addProfile': async () => {
      const taken = new Set(s.state.profiles().map((p) => p.profile.id));
      const profile = await askProfile(s.asker, undefined, taken);
      if (!profile) return undefined;
      await saveProfile(profile);
      const hadActive = s.state.profile(s.state.activeId()) !== undefined;
      if (!hadActive) await setActiveProfile(profile.id);
      s.syncProfiles();
      s.log.info(`profile ${profile.id} added (${profile.baseUrl}, client ${profile.clientId}, ${profile.mechanism})`);
      const stored = await askSecretFor(profile);
      offerNextStep(profile, stored ? 'added' : 'added_without_secret', hadActive);
      return profile.id;
    },

    'c2m.editProfile': async (arg) => {
      const entry = await resolveProfile(arg, vscode.l10n.t('Edit which profile?'));
      if (!entry) return undefined;
      const edited = await askProfile(s.asker, entry.profile, new Set());
      if (!edited) return undefined;
      await saveProfile(edited);
      s.syncProfiles();
      s.log.info(`profile ${edited.id} edited (${edited.baseUrl}, client ${edited.clientId}, ${edited.mechanism})`);
      // Secrets are bound to the base URL and client id: a new one is needed when either (or the mechanism) changed,
      // unless the user moved the stored ones to a new path of the same origin.
      const rebound = edited.baseUrl !== entry.profile.baseUrl || edited.clientId !== entry.profile.clientId || edited.mechanism !== entry.profile.mechanism;
      const moved = edited.mechanism === entry.profile.mechanism && (await offerRebind(entry.profile, edited));
      if (rebound && !moved) await askSecretFor(edited);
      return edited.id;
    },

    'c2m.removeProfile': async (arg) => {
      const entry = await resolveProfile(arg, vscode.l10n.t('Remove which profile?'));
      if (!entry) return undefined;
      const remove = vscode.l10n.t('Remove');
      const answer = await s.asker.confirm(
        vscode.l10n.t('Remove the C2M profile "{0}"?', entry.profile.name),
        vscode.l10n.t('Its long-term and short-term tokens are revoked on the server where possible, and its tokens, client secret and private key are forgotten on this machine.'),
        remove,
      );
      if (answer !== remove) return undefined;
      await guarded(entry.profile.id, 'sign_out', () => s.engine.forgetProfile(entry.profile.id));
      await deleteProfile(entry.profile.id);
      s.syncProfiles();
      s.log.info(`profile ${entry.profile.id} removed`);
      return entry.profile.id;
    },

    'c2m.switchProfile': async (arg) => {
      const wanted = targetOf(arg).profileId;
      const entry = wanted ? await resolveProfile(wanted, vscode.l10n.t('Switch to')) : await pickProfile(vscode.l10n.t('Switch the active C2M profile'));
      if (!entry) return undefined;
      await setActiveProfile(entry.profile.id);
      s.syncProfiles();
      return entry.profile.id;
    },

    'c2m.setClientSecret': async (arg) => {
      const entry = await resolveProfile(arg, vscode.l10n.t('Set the client secret of which profile?'));
      if (!entry || !usesSecret(entry, 'client_secret')) return undefined;
      if (!(await storeClientSecret(entry.profile))) return undefined;
      offerNextStep(entry.profile, 'secret_stored', false);
      return true;
    },

    'c2m.setPrivateKey': async (arg) => {
      const entry = await resolveProfile(arg, vscode.l10n.t('Set the private key of which profile?'));
      if (!entry || !usesSecret(entry, 'assertion')) return undefined;
      if (!(await storePrivateKey(entry.profile))) return undefined;
      offerNextStep(entry.profile, 'secret_stored', false);
      return true;
    },

    'c2m.issueLongTermToken': async (arg) => {
      const entry = await resolveProfile(arg, vscode.l10n.t('Issue a long-term token for which profile?'));
      if (!entry || !usable(entry)) return undefined;
      // Issuing over a live long-term token replaces it (the old one is revoked): a second click must not do that unasked.
      const live = liveToken(entry.profile.id, 'long');
      if (live) {
        const replace = vscode.l10n.t('Replace It');
        const answer = await s.asker.confirm(
          vscode.l10n.t('"{0}" already has a long-term token ({1}).', entry.profile.name, live.tokenId),
          vscode.l10n.t('A new one replaces it: {0} is revoked, and the short-term tokens made from it stop working. (Rotate Long-Term Token does the same.)', live.tokenId),
          replace,
        );
        if (answer !== replace || !(await goOnWithoutRevoking(entry, vscode.l10n.t('Replace')))) return undefined;
      }
      const { profile } = entry;
      return withProgress(profile, async (control) => {
        const info = await guarded(profile.id, 'issue', () => s.engine.issueLongTermToken(profile.id, telling(profile, control)));
        if (info) await guarded(profile.id, 'refresh', () => s.engine.getShortTermToken(profile.id, 0, control));
        return info;
      });
    },

    'c2m.rotateLongTermToken': async (arg) => {
      const entry = await resolveProfile(arg, vscode.l10n.t('Rotate the long-term token of which profile?'));
      if (!entry || !usable(entry) || !(await goOnWithoutRevoking(entry, vscode.l10n.t('Rotate')))) return undefined;
      const info = await withProgress(entry.profile, (control) =>
        guarded(entry.profile.id, 'rotate', () => s.engine.rotateLongTermToken(entry.profile.id, telling(entry.profile, control))));
      if (info) done(vscode.l10n.t('rotated the long-term token of {0}', entry.profile.name));
      return info;
    },

    'c2m.refreshShortTermToken': async (arg) => {
      const entry = await resolveProfile(arg, vscode.l10n.t('Refresh the short-term token of which profile?'));
      if (!entry || !usable(entry)) return undefined;
      const info = await withProgress(entry.profile, (control) =>
        guarded(entry.profile.id, 'refresh', () => s.engine.refreshShortTermToken(entry.profile.id, control)));
      if (info) done(vscode.l10n.t('new short-term token for {0}', entry.profile.name));
      return info;
    },

    'c2m.revokeToken': async (arg) => {
      const entry = await resolveProfile(arg, vscode.l10n.t('Revoke a token of which profile?'));
      if (!entry || !usable(entry)) return undefined;
      const kind = await kindToRevoke(entry, targetOf(arg).kind);
      if (!kind) return undefined;
      // A profile that cannot revoke is warned about first (its answer is the confirmation); the others are asked below.
      const revocable = canRevoke(entry);
      if (!revocable && !(await goOnWithoutRevoking(entry, vscode.l10n.t('Revoke')))) return undefined;
      const name = entry.profile.name;
      // A long-term revoke cannot be undone and stops everything made from it: always asked. A short-term one from the
      // view's own menus was the user's click; any other caller (the palette, or another extension running the
      // command) is asked about first.
      if (revocable && (kind === 'long' || !s.tree.owns(arg))) {
        const revoke = vscode.l10n.t('Revoke');
        const answer = await s.asker.confirm(
          kind === 'long' ? vscode.l10n.t('Revoke the long-term token of "{0}"?', name) : vscode.l10n.t('Revoke the short-term token of "{0}"?', name),
          kind === 'long'
            ? vscode.l10n.t('Its short-term tokens stop working too, and so does every request, .env file, terminal or extension using one. To get tokens again you issue a new long-term token.')
            : vscode.l10n.t('A new one is issued on next use.'),
          revoke,
        );
        if (answer !== revoke) return undefined;
      }
      const tokenId = s.state.token(entry.profile.id, kind)?.tokenId;
      const revoked = await withProgress(entry.profile, (control) => guarded(entry.profile.id, 'revoke', async () => {
        await s.engine.revoke(entry.profile.id, kind, control);
        return true;
      }));
      if (!revoked) return undefined;
      const id = tokenId ? ` (${maskTokenId(tokenId)})` : '';
      if (kind === 'long') {
        s.notifier.info(vscode.l10n.t('C2M: the long-term token of "{0}"{1} and its short-term tokens are revoked.', name, id), {
          title: vscode.l10n.t('Issue Long-Term Token'),
          run: () => vscode.commands.executeCommand('c2m.issueLongTermToken', entry.profile.id),
        });
      } else {
        s.notifier.info(vscode.l10n.t('C2M: the short-term token of "{0}"{1} is revoked; the next use gets a fresh one.', name, id));
      }
      return kind;
    },

    'c2m.copyShortTermToken': async (arg) => {
      const entry = await resolveProfile(arg, vscode.l10n.t('Copy the short-term token of which profile?'));
      if (!entry || !usable(entry)) return undefined;
      // "Don't ask again" holds for the view's own menus only: another extension could run this command and read the
      // clipboard, so any other caller is asked every time.
      if (!s.tree.owns(arg) || !s.ctx.extension.globalState.get<boolean>(COPY_WARNING_KEY)) {
        const copy = vscode.l10n.t('Copy');
        const always = vscode.l10n.t("Copy, Don't Ask Again");
        const answer = await s.asker.confirm(
          vscode.l10n.t('The short-term token is a secret: it will be on your clipboard.'),
          vscode.l10n.t('Anything that reads the clipboard can use it until it expires. Paste it only where it belongs.'),
          copy,
          always,
        );
        if (answer !== copy && answer !== always) return undefined;
        // Only a flag is kept, never a value.
        if (answer !== copy) await s.ctx.extension.globalState.update(COPY_WARNING_KEY, true);
      }
      // A token still valid is copied at once; only a refresh shows progress.
      const token = await withProgress(entry.profile, (control) =>
        guarded(entry.profile.id, 'refresh', () => s.engine.getShortTermToken(entry.profile.id, 0, control)));
      if (!token) return undefined;
      await vscode.env.clipboard.writeText(token.value);
      s.log.info(`profile ${entry.profile.id}: short-term token ${token.info.tokenId} copied to the clipboard`);
      vscode.window.setStatusBarMessage(`$(copy) ${vscode.l10n.t('C2M: short-term token of {0} copied', entry.profile.name)}`, 3000);
      return token.info;
    },

    'c2m.revealToken': async (arg) => {
      const target = targetOf(arg);
      const entry = await resolveProfile(arg, vscode.l10n.t('Show the token of which profile?'));
      if (!entry) return undefined;
      const kind = target.kind ?? 'short';
      await s.tree.reveal(s.tree.node('token', entry.profile.id, kind)).catch(() => undefined);
      const info = s.state.token(entry.profile.id, kind);
      const details = describeToken(info, kind, s.state.expiryRules());
      await s.asker.details(kind === 'long' ? vscode.l10n.t('{0}: long-term token', entry.profile.name) : vscode.l10n.t('{0}: short-term token', entry.profile.name), details);
      return info;
    },

    'c2m.signOut': async (arg) => {
      const entry = await resolveProfile(arg, vscode.l10n.t('Sign out of which profile?'));
      if (!entry) return undefined;
      // Without tokens:revoke the one question is the warning: it says what stays valid, not "revoked where possible".
      const signOut = vscode.l10n.t('Sign Out');
      const proceed = canRevoke(entry)
        ? (await s.asker.confirm(
          vscode.l10n.t('Sign out of "{0}"?', entry.profile.name),
          vscode.l10n.t('The long-term and short-term tokens are revoked on the server where possible and forgotten on this machine. The client secret or private key stays.'),
          signOut,
        )) === signOut
        : await goOnWithoutRevoking(entry, signOut);
      if (!proceed) return undefined;
      const done = await withProgress(entry.profile, (control) => guarded(entry.profile.id, 'sign_out', async () => {
        await s.engine.signOut(entry.profile.id, control);
        return true;
      }));
      return done ? entry.profile.id : undefined;
    },

    'c2m.showActions': async () => {
      const entry = s.state.profile(s.state.activeId());
      const items: { label: string; description?: string; value: CommandId }[] = [];
      if (entry) {
        const long = displayStatus(s.state.token(entry.profile.id, 'long'), Date.now(), s.state.expiryRules());
        const longLive = long === 'valid' || long === 'expiring';
        items.push({ label: `$(refresh) ${vscode.l10n.t('Refresh Short-Term Token')}`, value: 'c2m.refreshShortTermToken' });
        items.push({ label: `$(copy) ${vscode.l10n.t('Copy Short-Term Token')}`, value: 'c2m.copyShortTermToken' });
        if (longLive) items.push({ label: `$(sync) ${vscode.l10n.t('Rotate Long-Term Token')}`, value: 'c2m.rotateLongTermToken' });
        else items.push({ label: `$(key) ${vscode.l10n.t('Issue Long-Term Token')}`, value: 'c2m.issueLongTermToken' });
        items.push({ label: `$(circle-slash) ${vscode.l10n.t('Revoke Token…')}`, value: 'c2m.revokeToken' });
        items.push({ label: `$(edit) ${vscode.l10n.t('Edit Profile')}`, description: entry.profile.name, value: 'c2m.editProfile' });
      }
      if (s.state.profiles().length > 1) items.push({ label: `$(arrow-swap) ${vscode.l10n.t('Switch Profile…')}`, value: 'c2m.switchProfile' });
      items.push({ label: `$(add) ${vscode.l10n.t('Add Profile…')}`, value: 'c2m.addProfile' });
      items.push({ label: `$(beaker) ${vscode.l10n.t('Try with Local Sandbox')}`, value: 'c2m.trySandbox' });
      items.push({ label: `$(output) ${vscode.l10n.t('Show Log')}`, value: 'c2m.showLog' });
      const picked = await s.asker.pick<CommandId>({
        title: entry ? `C2M: ${entry.profile.name}` : vscode.l10n.t('C2M Tokens'),
        placeholder: vscode.l10n.t('Choose an action'),
        items,
      });
      if (typeof picked !== 'string') return undefined;
      // The user picked an action on the active profile from this menu: its node, as the view's own menus pass it.
      const onProfile = entry && ON_ACTIVE_PROFILE.has(picked);
      return vscode.commands.executeCommand(picked, ...(onProfile ? [s.tree.node('profile', entry.profile.id)] : []));
    },

    'c2m.showLog': async () => {
      s.log.show();
      return true;
    },
    ...createFeatureCommands(s),
  };
  return table;
}

/** The lines "Show Token Details" shows: metadata only, the value never. */
export function describeToken(info: TokenInfo | undefined, kind: TokenKind, rules: ExpiryRules): string {
  const now = Date.now();
  const status = displayStatus(info, now, rules);
  if (!info) return vscode.l10n.t('No token yet.');
  return [
    vscode.l10n.t('Status: {0} ({1})', statusLook(status, kind).label, tokenSummary(info, status, now)),
    vscode.l10n.t('Token id: {0} ({1})', info.tokenId || vscode.l10n.t('(none)'), maskTokenId(info.tokenId)),
    vscode.l10n.t('Fingerprint: {0}', info.fingerprint),
    vscode.l10n.t('Scopes: {0}', formatScopes(info.scopes)),
    vscode.l10n.t('Issued: {0}', formatWhen(info.issuedAt, now)),
    info.expiresAt > now ? vscode.l10n.t('Expires: {0}', formatWhen(info.expiresAt, now)) : vscode.l10n.t('Expired: {0}', formatWhen(info.expiresAt, now)),
  ].join('\n');
}
