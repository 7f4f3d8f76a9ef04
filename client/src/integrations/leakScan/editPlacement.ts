// Whether the Leak Scan may edit a finding's file: a repository may ship a request file that is a symbolic link to a
// file elsewhere (another user's world-readable folder, say), and the scan finds the token there through the link.
// VS Code writes through links, so Replace would put a live token into that file while the row and the question name
// only the link. The rule is the env writer's: the real path inside the workspace folder, and the file itself no link.
import * as vscode from 'vscode';
import { realPlacement } from '../envWriter';
import { relativeOf } from './leakTree';

/** True when an edit of `uri` lands inside its workspace folder; otherwise the user is told why nothing is edited. */
export async function editsInWorkspace(uri: string, log: (line: string) => void): Promise<boolean> {
  const parsed = vscode.Uri.parse(uri);
  const folder = parsed.scheme === 'file' ? vscode.workspace.getWorkspaceFolder(parsed) : undefined;
  let placement: 'inside' | 'outside' | 'symlink' | 'unreadable' = 'outside';
  try {
    if (folder) placement = await realPlacement(parsed.fsPath, folder.uri.fsPath);
  } catch {
    placement = 'unreadable';
  }
  if (placement === 'inside') return true;
  const relative = relativeOf(uri);
  log(
    `leak scan: ${relative} is ${placement === 'symlink' ? 'a symbolic link' : `${placement} (not in the workspace)`}: not edited`,
  );
  void vscode.window.showWarningMessage(
    placement === 'symlink'
      ? vscode.l10n.t(
          'C2M: {0} is a symbolic link: no token is written through it. Edit the file it points to yourself.',
          relative,
        )
      : vscode.l10n.t('C2M: {0} is not a file inside the workspace folder: no token is written there.', relative),
  );
  return false;
}
