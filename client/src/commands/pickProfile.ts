// Which profile a command acts on, and whether it may: the argument, else the active profile, else one the user
// picks; and the network-free checks that tell the user why not (Restricted Mode, bad settings).
import * as vscode from 'vscode';
import type { TokenInfo, TokenKind } from '../core/tokenService';
import { setActiveProfile, whyNoNetwork, type ConfiguredProfile } from '../host/config';
import { runCommand } from '../host/runCommand';
import type { Services } from '../services';
import { targetOf } from './types';

/** The profile a command acts on: the argument, else the active profile, else one the user picks. */
export async function resolveProfile(
  s: Services,
  arg: unknown,
  purpose: string,
): Promise<ConfiguredProfile | undefined> {
  s.state.invalidate();
  const wanted = targetOf(arg).profileId;
  if (wanted) {
    const entry = s.state.profile(wanted) ?? s.state.profiles().find((p) => p.profile.name === wanted);
    if (!entry) {
      // In Restricted Mode VS Code hides c2m.profiles from workspace settings: say so, or the profile just seems gone.
      const why = vscode.workspace.isTrusted
        ? ''
        : ` ${vscode.l10n.t('This workspace is in Restricted Mode: profiles from its settings are not read.')}`;
      s.notifier.error(`${vscode.l10n.t('C2M: no profile "{0}".', wanted)}${why}`);
    }
    return entry;
  }
  const profiles = s.state.profiles();
  if (profiles.length === 0) {
    s.notifier.info(
      vscode.l10n.t('C2M: no profile yet.'),
      { title: vscode.l10n.t('Try with Local Sandbox'), run: () => runCommand('c2m.trySandbox') },
      { title: vscode.l10n.t('Add Profile'), run: () => runCommand('c2m.addProfile') },
    );
    return undefined;
  }
  const active = s.state.profile(s.state.activeId());
  if (active || profiles.length === 1) return active ?? profiles[0];
  return pickProfile(s, purpose);
}

export async function pickProfile(s: Services, purpose: string): Promise<ConfiguredProfile | undefined> {
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
export function usable(s: Services, entry: ConfiguredProfile): boolean {
  const why = whyNoNetwork(entry, vscode.workspace.isTrusted);
  if (why) s.notifier.warn(`C2M: ${why}`);
  return why === undefined;
}

/** The profile's token of `kind` while the server may still accept it (not revoked, not past its expiry). */
export function liveToken(s: Services, profileId: string, kind: TokenKind): TokenInfo | undefined {
  const info = s.state.token(profileId, kind);
  return info && info.status !== 'revoked' && info.expiresAt > Date.now() ? info : undefined;
}

/** Makes `profileId` the active profile: what the env sync, terminals and new sign-ins follow. */
export async function activateProfile(s: Services, profileId: string): Promise<void> {
  await setActiveProfile(profileId);
  s.syncProfiles();
}
