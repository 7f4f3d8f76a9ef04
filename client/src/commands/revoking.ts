// Before an operation that revokes (Rotate, Revoke, Sign Out) of a profile whose token lacks tokens:revoke: the user
// hears that nothing will be revoked at the server and which token stays valid until when.
import * as vscode from 'vscode';
import { cannotRevokeText, REVOKE_SCOPE, type RevokeCapability } from '../core/lifecycleScopes';
import type { ConfiguredProfile } from '../host/config';
import { runCommand } from '../host/runCommand';
import type { Services } from '../services';

function capabilityOf(s: Services, entry: ConfiguredProfile): RevokeCapability {
  try {
    return s.engine.revokeCapability(entry.profile.id);
  } catch {
    return { canRevoke: true }; // Not a profile the engine knows: the operation itself reports that.
  }
}

export const canRevoke = (s: Services, entry: ConfiguredProfile): boolean => capabilityOf(s, entry).canRevoke;

/** Says what stays valid when the profile cannot revoke; resolves true to go on (always, when it can revoke). */
export async function goOnWithoutRevoking(s: Services, entry: ConfiguredProfile, verb: string): Promise<boolean> {
  const capability = capabilityOf(s, entry);
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
  if (answer === edit) void runCommand('c2m.editProfile', entry.profile.id);
  return answer === anyway;
}
