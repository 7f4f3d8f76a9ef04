// The menu of the status bar item (Show Token Actions) and the log.
import * as vscode from 'vscode';
import type { CommandId } from '../host/commandIds';
import { runCommand } from '../host/runCommand';
import type { Services } from '../services';
import { displayStatus } from '../ui/viewFormat';
import type { Handler } from './types';

/** The Show Token Actions entries that act on the active profile. */
const ON_ACTIVE_PROFILE: ReadonlySet<string> = new Set<CommandId>([
  'c2m.refreshShortTermToken',
  'c2m.copyShortTermToken',
  'c2m.rotateLongTermToken',
  'c2m.issueLongTermToken',
  'c2m.revokeToken',
  'c2m.editProfile',
]);

export function showActions(s: Services): Handler {
  return async () => {
    const entry = s.state.profile(s.state.activeId());
    const items: { label: string; description?: string; value: CommandId }[] = [];
    if (entry) {
      const long = displayStatus(s.state.token(entry.profile.id, 'long'), Date.now(), s.state.expiryRules());
      const longLive = long === 'valid' || long === 'expiring';
      items.push({
        label: `$(refresh) ${vscode.l10n.t('Refresh Short-Term Token')}`,
        value: 'c2m.refreshShortTermToken',
      });
      items.push({ label: `$(copy) ${vscode.l10n.t('Copy Short-Term Token')}`, value: 'c2m.copyShortTermToken' });
      if (longLive)
        items.push({ label: `$(sync) ${vscode.l10n.t('Rotate Long-Term Token')}`, value: 'c2m.rotateLongTermToken' });
      else items.push({ label: `$(key) ${vscode.l10n.t('Issue Long-Term Token')}`, value: 'c2m.issueLongTermToken' });
      items.push({ label: `$(circle-slash) ${vscode.l10n.t('Revoke Token…')}`, value: 'c2m.revokeToken' });
      items.push({
        label: `$(edit) ${vscode.l10n.t('Edit Profile')}`,
        description: entry.profile.name,
        value: 'c2m.editProfile',
      });
    }
    if (s.state.profiles().length > 1)
      items.push({ label: `$(arrow-swap) ${vscode.l10n.t('Switch Profile…')}`, value: 'c2m.switchProfile' });
    items.push({ label: `$(add) ${vscode.l10n.t('Add Profile…')}`, value: 'c2m.addProfile' });
    items.push({ label: `$(beaker) ${vscode.l10n.t('Try with Local Sandbox')}`, value: 'c2m.trySandbox' });
    items.push({ label: `$(output) ${vscode.l10n.t('Show Log')}`, value: 'c2m.showLog' });
    const picked = await s.asker.pick<CommandId>({
      title: entry ? `C2M: ${entry.profile.name}` : vscode.l10n.t('C2M Tokens'),
      placeholder: vscode.l10n.t('Choose an action'),
      items,
    });
    if (typeof picked !== 'string') return undefined;
    // An action on the active profile: its node names the target, as the view's menus do (the command still asks
    // where it asks anyone: a quick pick can be accepted by another extension too).
    const onProfile = entry && ON_ACTIVE_PROFILE.has(picked);
    return runCommand(picked, ...(onProfile ? [s.tree.node('profile', entry.profile.id)] : []));
  };
}

export function showLog(s: Services): Handler {
  return async () => {
    s.log.show();
    return true;
  };
}
