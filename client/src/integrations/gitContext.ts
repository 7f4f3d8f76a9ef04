// The workspace facts the git wrapper (./gitIgnore) needs, read when asked: trust can be granted and folders
// added while the window is open.
import * as vscode from 'vscode';
import { gitIgnoreStatus, type GitContext, type IgnoreStatus } from './gitIgnore';

export function workspaceGitContext(): GitContext {
  return {
    trusted: vscode.workspace.isTrusted,
    workspaceDirs: (vscode.workspace.workspaceFolders ?? [])
      .filter((f) => f.uri.scheme === 'file')
      .map((f) => f.uri.fsPath),
  };
}

/** Does git ignore this file, asked with the current workspace's trust and folders. */
export function isGitIgnored(fsPath: string): Promise<IgnoreStatus> {
  return gitIgnoreStatus(fsPath, workspaceGitContext());
}
