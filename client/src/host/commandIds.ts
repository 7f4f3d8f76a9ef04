// The ids of every command the extension contributes: the one list the command table (commands/index.ts), the
// callers (runCommand) and the package.json check (test/integration/extension.test.ts) take them from, so a renamed
// or removed command is a type error wherever it is still used. No vscode import: the notifier's texts are tested
// under plain mocha and name these ids.
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
  'c2m.syncEnv',
  'c2m.scanWorkspace',
  'c2m.scanGitHistory',
  'c2m.leak.cancelScan',
  'c2m.leak.clearRequestHistory',
  'c2m.leak.revoke',
  'c2m.leak.replace',
  'c2m.leak.moveToEnv',
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];

/** VS Code's own commands the extension runs (a notification's Reload Window button). */
export const RELOAD_WINDOW = 'workbench.action.reloadWindow';

/** What may be run: our commands by their typed id, and the few of VS Code's we name (executeCommand takes any string). */
export type RunnableCommand = CommandId | typeof RELOAD_WINDOW;

export type RunCommand = (id: RunnableCommand, ...args: unknown[]) => Thenable<unknown>;
