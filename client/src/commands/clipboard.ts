// Copy Short-Term Token: the one command that puts a token value anywhere outside the editor, so it warns first.
import * as vscode from 'vscode';
import type { Services } from '../services';
import { resolveProfile, usable } from './pickProfile';
import { guarded, withProgress } from './run';
import type { Handler } from './types';

export function copyShortTermToken(s: Services): Handler {
  return async (arg) => {
    const entry = await resolveProfile(s, arg, vscode.l10n.t('Copy the short-term token of which profile?'));
    if (!entry || !usable(s, entry)) return undefined;
    // Asked every time, whoever runs it: any extension can run this command (with a node of the Tokens view too, see
    // TokensTree.node) and then read the clipboard, so no "don't ask again" can tell the user's click from theirs.
    const copy = vscode.l10n.t('Copy');
    const answer = await s.asker.confirm(
      vscode.l10n.t('The short-term token is a secret: it will be on your clipboard.'),
      vscode.l10n.t('Anything that reads the clipboard can use it until it expires. Paste it only where it belongs.'),
      copy,
    );
    if (answer !== copy) return undefined;
    // A token still valid is copied at once; only a refresh shows progress.
    const token = await withProgress(s, entry.profile, (control) =>
      guarded(s, entry.profile.id, 'refresh', () => s.engine.getShortTermToken(entry.profile.id, 0, control)),
    );
    if (!token) return undefined;
    await vscode.env.clipboard.writeText(token.value);
    s.log.info(`profile ${entry.profile.id}: short-term token ${token.info.tokenId} copied to the clipboard`);
    vscode.window.setStatusBarMessage(
      `$(copy) ${vscode.l10n.t('C2M: short-term token of {0} copied', entry.profile.name)}`,
      3000,
    );
    return token.info;
  };
}
