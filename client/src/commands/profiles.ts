// Profiles: add, edit, remove, switch, and the one-click sandbox profile. Settings are written through host/config;
// s.syncProfiles() then pushes them to the engine and the views without waiting for the change event.
import * as vscode from 'vscode';
import { bindingOf, type Profile } from '../core/profile';
import { deleteProfile, saveProfile, setActiveProfile } from '../host/config';
import { errorText } from '../host/errorText';
import { newSandboxProfile, ownSandboxProfile } from '../integrations/sandboxProfile';
import type { Services } from '../services';
import { askProfile } from '../ui/profileWizard';
import { displayStatus } from '../ui/viewFormat';
import { activateProfile, pickProfile, resolveProfile } from './pickProfile';
import { guarded, telling, withProgress } from './run';
import { askSecretFor, offerNextStep } from './secrets';
import { targetOf, type Handler } from './types';

/** Whether a profile holds a stored client secret or a token that still works (re-pointing it would replace them). */
async function sandboxProfileHolds(s: Services, profileId: string): Promise<boolean> {
  if ((await s.engine.secretPresence(profileId, 'client_secret')) !== 'absent') return true;
  return s.engine.tokens().some((t) => t.profileId === profileId && t.status !== 'expired' && t.status !== 'revoked');
}

export function trySandbox(s: Services): Handler {
  return async () => {
    let demo;
    let endpoint;
    s.state.invalidate();
    const configured = s.state.profiles();
    let own: Profile | undefined;
    let workspaceOwn: Profile | undefined;
    try {
      demo = s.sandbox.demo();
      own = ownSandboxProfile(
        configured.filter((p) => p.origin === 'user').map((p) => p.profile),
        demo,
      );
      // The workspace's own sandbox profile (the demo workspace of npm start has one) is used as it is, and only
      // while a sandbox answers where it points: nothing is re-pointed and the repository's settings are not written.
      const fromWorkspace = own
        ? undefined
        : ownSandboxProfile(
            configured.filter((p) => p.origin !== 'user').map((p) => p.profile),
            demo,
          );
      endpoint = await s.sandbox.ensure(own?.baseUrl ?? fromWorkspace?.baseUrl);
      if (fromWorkspace && endpoint.baseUrl === fromWorkspace.baseUrl) workspaceOwn = fromWorkspace;
    } catch (error) {
      s.notifier.error(vscode.l10n.t('C2M: the local sandbox could not start: {0}', errorText(error)));
      return undefined;
    }
    if (own && own.baseUrl !== endpoint.baseUrl && (await sandboxProfileHolds(s, own.id))) {
      // Its sandbox no longer answers; what the profile holds is bound to that URL and would be replaced.
      const repoint = vscode.l10n.t('Point It at the New Sandbox');
      const answer = await s.asker.confirm(
        vscode.l10n.t('Point "{0}" at the sandbox at {1}?', own.name, endpoint.baseUrl),
        vscode.l10n.t(
          '"{0}" is set up for the sandbox at {1}, which does not answer. Its stored client secret and tokens belong to that sandbox and would be replaced. A new profile leaves them as they are.',
          own.name,
          own.baseUrl,
        ),
        repoint,
        vscode.l10n.t('Create a New Profile'),
      );
      if (answer === undefined) return undefined;
      if (answer !== repoint) own = undefined;
    }
    const profile: Profile =
      workspaceOwn ??
      (own
        ? { ...own, baseUrl: endpoint.baseUrl }
        : newSandboxProfile(
            configured.map((p) => p.profile),
            endpoint.baseUrl,
            demo,
          ));
    if (!workspaceOwn) await saveProfile(profile);
    if (s.state.activeId() !== profile.id) await setActiveProfile(profile.id);
    s.syncProfiles();
    // The demo secret goes only where no secret is stored for this base URL: a secret the user set stays.
    if ((await s.engine.secretPresence(profile.id, 'client_secret')) !== 'set')
      await s.engine.setClientSecret(profile.id, endpoint.clientSecret);
    const result = await withProgress(s, profile, (control) =>
      guarded(s, profile.id, 'issue', async () => {
        const long = s.state.token(profile.id, 'long');
        const status = displayStatus(long, Date.now(), s.state.expiryRules());
        if (status !== 'valid' && status !== 'expiring')
          await s.engine.issueLongTermToken(profile.id, telling(s, profile, control));
        return s.engine.getShortTermToken(profile.id, 0, control);
      }),
    );
    if (!result) return undefined;
    await s.tree.reveal(s.tree.node('token', profile.id, 'short')).catch(() => undefined);
    // Short: a notification without buttons shows one line. Where the sandbox runs is in the log.
    s.notifier.info(vscode.l10n.t('C2M: "{0}" has a live short-term token.', profile.name));
    return result.info;
  };
}

export function addProfile(s: Services): Handler {
  return async () => {
    const taken = new Set(s.state.profiles().map((p) => p.profile.id));
    const profile = await askProfile(s.asker, undefined, taken);
    if (!profile) return undefined;
    await saveProfile(profile);
    const hadActive = s.state.profile(s.state.activeId()) !== undefined;
    if (!hadActive) await setActiveProfile(profile.id);
    s.syncProfiles();
    s.log.info(`profile ${profile.id} added (${profile.baseUrl}, client ${profile.clientId}, ${profile.mechanism})`);
    const stored = await askSecretFor(s, profile);
    offerNextStep(s, profile, stored ? 'added' : 'added_without_secret', hadActive);
    return profile.id;
  };
}

/**
 * After an edit that moved the base URL to another path of the same origin (same client id): the stored tokens and
 * secrets are bound to the old one and are sent nowhere else unless the user says so here.
 */
async function offerRebind(s: Services, before: Profile, after: Profile): Promise<boolean> {
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
      from.baseUrl ?? from.origin,
      to.baseUrl ?? to.origin,
    ),
    move,
    vscode.l10n.t('Keep Them Unused'),
  );
  if (answer !== move) return false;
  return (
    (await guarded(s, after.id, vscode.l10n.t('the move of its tokens'), () =>
      s.engine.rebind(after.id, before.baseUrl),
    )) !== undefined
  );
}

export function editProfile(s: Services): Handler {
  return async (arg) => {
    const entry = await resolveProfile(s, arg, vscode.l10n.t('Edit which profile?'));
    if (!entry) return undefined;
    const edited = await askProfile(s.asker, entry.profile, new Set());
    if (!edited) return undefined;
    await saveProfile(edited);
    s.syncProfiles();
    s.log.info(`profile ${edited.id} edited (${edited.baseUrl}, client ${edited.clientId}, ${edited.mechanism})`);
    // Secrets are bound to the base URL and client id: a new one is needed when either (or the mechanism) changed,
    // unless the user moved the stored ones to a new path of the same origin.
    const rebound =
      edited.baseUrl !== entry.profile.baseUrl ||
      edited.clientId !== entry.profile.clientId ||
      edited.mechanism !== entry.profile.mechanism;
    const moved = edited.mechanism === entry.profile.mechanism && (await offerRebind(s, entry.profile, edited));
    if (rebound && !moved) await askSecretFor(s, edited);
    return edited.id;
  };
}

export function removeProfile(s: Services): Handler {
  return async (arg) => {
    const entry = await resolveProfile(s, arg, vscode.l10n.t('Remove which profile?'));
    if (!entry) return undefined;
    const remove = vscode.l10n.t('Remove');
    const answer = await s.asker.confirm(
      vscode.l10n.t('Remove the C2M profile "{0}"?', entry.profile.name),
      vscode.l10n.t(
        'Its long-term and short-term tokens are revoked on the server where possible, and its tokens, client secret and private key are forgotten on this machine.',
      ),
      remove,
    );
    if (answer !== remove) return undefined;
    await guarded(s, entry.profile.id, 'sign_out', () => s.engine.forgetProfile(entry.profile.id));
    await deleteProfile(entry.profile.id);
    s.syncProfiles();
    s.log.info(`profile ${entry.profile.id} removed`);
    return entry.profile.id;
  };
}

export function switchProfile(s: Services): Handler {
  return async (arg) => {
    const wanted = targetOf(arg).profileId;
    const entry = wanted
      ? await resolveProfile(s, wanted, vscode.l10n.t('Switch to'))
      : await pickProfile(s, vscode.l10n.t('Switch the active C2M profile'));
    if (!entry) return undefined;
    // The env sync, terminals and new sign-ins follow the active profile, and any extension can run this command
    // with an id or a node of the Tokens view (see TokensTree.node): a profile named by the caller is asked about.
    if (wanted && s.state.activeId() !== entry.profile.id) {
      const makeActive = vscode.l10n.t('Make Active');
      const answer = await s.asker.confirm(
        vscode.l10n.t('Make "{0}" the active C2M profile?', entry.profile.name),
        vscode.l10n.t('The .env sync, the terminal token and new sign-ins of other extensions use the active profile.'),
        makeActive,
      );
      if (answer !== makeActive) return undefined;
    }
    await activateProfile(s, entry.profile.id);
    return entry.profile.id;
  };
}
