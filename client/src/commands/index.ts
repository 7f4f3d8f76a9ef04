// The command table: every command the extension contributes, id -> the function that makes its handler.
// activate() registers exactly these (registerCommands); the ids come from host/commandIds.ts, so the table must
// name each id once (a missing or unknown one is a type error), and an integration test checks that package.json's
// contributes.commands lists the same ids.
import * as vscode from 'vscode';
import { COMMAND_IDS, type CommandId } from '../host/commandIds';
import type { Services } from '../services';
import { copyShortTermToken } from './clipboard';
import { revealToken } from './details';
import {
  cancelScan,
  clearRequestHistory,
  moveLeakToEnv,
  replaceLeak,
  revokeLeak,
  scanGitHistory,
  scanWorkspace,
  syncEnv,
} from './featureCommands';
import { showActions, showLog } from './menu';
import { addProfile, editProfile, removeProfile, switchProfile, trySandbox } from './profiles';
import { setClientSecret, setPrivateKey } from './secrets';
import { issueLongTermToken, refreshShortTermToken, revokeToken, rotateLongTermToken, signOut } from './tokens';
import type { Command } from './types';

export { COMMAND_IDS, type CommandId } from '../host/commandIds';

export const COMMANDS: { readonly [id in CommandId]: Command } = {
  'c2m.trySandbox': trySandbox,
  'c2m.addProfile': addProfile,
  'c2m.editProfile': editProfile,
  'c2m.removeProfile': removeProfile,
  'c2m.switchProfile': switchProfile,
  'c2m.setClientSecret': setClientSecret,
  'c2m.setPrivateKey': setPrivateKey,
  'c2m.issueLongTermToken': issueLongTermToken,
  'c2m.rotateLongTermToken': rotateLongTermToken,
  'c2m.refreshShortTermToken': refreshShortTermToken,
  'c2m.revokeToken': revokeToken,
  'c2m.copyShortTermToken': copyShortTermToken,
  'c2m.revealToken': revealToken,
  'c2m.signOut': signOut,
  'c2m.showActions': showActions,
  'c2m.showLog': showLog,
  'c2m.syncEnv': syncEnv,
  'c2m.scanWorkspace': scanWorkspace,
  'c2m.scanGitHistory': scanGitHistory,
  'c2m.leak.cancelScan': cancelScan,
  'c2m.leak.clearRequestHistory': clearRequestHistory,
  'c2m.leak.revoke': revokeLeak,
  'c2m.leak.replace': replaceLeak,
  'c2m.leak.moveToEnv': moveLeakToEnv,
};

/** Registers every command of the table, each owned by `owner` (the extension's lifetime). */
export function registerCommands(s: Services, owner: { push(item: vscode.Disposable): unknown }): void {
  for (const id of COMMAND_IDS) owner.push(vscode.commands.registerCommand(id, COMMANDS[id](s)));
}
