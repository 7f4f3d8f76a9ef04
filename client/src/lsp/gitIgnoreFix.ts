// The "not git-ignored" warning kept current and fixable: a watcher on what decides git's ignores (.gitignore files,
// info/exclude, the index: `git rm --cached` changes the answer too) tells the server its answers are stale, and the
// quick fix "Add this file to .gitignore" appends one line beside the env file and says what it did.
import * as vscode from 'vscode';
import { ClientCommands } from '@shared/protocol/clientCommands';
import type { AddToGitIgnoreResult } from '../integrations/gitIgnore';

/** Git writes the index several times in one command; one notice after the burst is enough. */
const SETTLE_MS = 250;

/** Calls `changed` once after each burst of changes to files that decide what git ignores. Owned by the returned disposable. */
export function watchGitIgnores(changed: () => void): vscode.Disposable {
  const watcher = vscode.workspace.createFileSystemWatcher('**/{.gitignore,.git/info/exclude,.git/index}');
  let pending: NodeJS.Timeout | undefined;
  const poke = (): void => {
    if (pending) clearTimeout(pending);
    pending = setTimeout(() => {
      pending = undefined;
      changed();
    }, SETTLE_MS);
  };
  const subs = [watcher, watcher.onDidChange(poke), watcher.onDidCreate(poke), watcher.onDidDelete(poke)];
  return new vscode.Disposable(() => {
    if (pending) clearTimeout(pending);
    for (const s of subs) s.dispose();
  });
}

/** Plain words for what happened; the path is the workspace-relative one the user sees in the explorer. */
export function gitIgnoreOutcomeText(result: AddToGitIgnoreResult, fileLabel: string): string {
  switch (result.outcome) {
    case 'added':
      return `C2M: ${fileLabel} is now ignored by git (a line was added to ${vscode.workspace.asRelativePath(result.gitIgnorePath)}).`;
    case 'already_ignored':
      return `C2M: git already ignores ${fileLabel}; nothing was changed.`;
    case 'tracked':
      return `C2M: a line was added to ${vscode.workspace.asRelativePath(result.gitIgnorePath)}, but git already tracks ${fileLabel}: run "git rm --cached ${fileLabel}" so that it stops being committed.`;
    case 'refused':
      return `C2M: ${fileLabel} was not added to .gitignore: ${result.reason}.`;
  }
}

/**
 * The quick fix's command. It acts only on an env document open in this window (the argument names which one, and
 * nothing else is taken from it), then tells the server to ask again. `addToGitIgnore` is the extension's git wrapper
 * (integrations/gitIgnore.ts, with the workspace's trust and folders).
 */
export function addToGitIgnoreCommand(
  addToGitIgnore: (fsPath: string) => Promise<AddToGitIgnoreResult>,
  afterChange: () => void,
): (args?: Partial<ClientCommands.AddToGitIgnoreArgs>) => Promise<AddToGitIgnoreResult | undefined> {
  return async (args) => {
    const uri = typeof args?.uri === 'string' ? args.uri : undefined;
    const doc = uri === undefined ? undefined : vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
    if (!doc || doc.uri.scheme !== 'file') return undefined;
    const label = vscode.workspace.asRelativePath(doc.uri);
    const result = await addToGitIgnore(doc.uri.fsPath);
    afterChange();
    const text = gitIgnoreOutcomeText(result, label);
    if (result.outcome === 'added' || result.outcome === 'already_ignored')
      void vscode.window.showInformationMessage(text);
    else void vscode.window.showWarningMessage(text);
    return result;
  };
}
