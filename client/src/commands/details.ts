// Show Token Details: a token's metadata in a modal, the value never.
import * as vscode from 'vscode';
import type { TokenInfo, TokenKind } from '../core/tokenService';
import type { ExpiryRules } from '@shared/judgement';
import type { Services } from '../services';
import { displayStatus, formatScopes, formatWhen, maskTokenId, statusLook, tokenSummary } from '../ui/viewFormat';
import { resolveProfile } from './pickProfile';
import { targetOf, type Handler } from './types';

export function revealToken(s: Services): Handler {
  return async (arg) => {
    const target = targetOf(arg);
    const entry = await resolveProfile(s, arg, vscode.l10n.t('Show the token of which profile?'));
    if (!entry) return undefined;
    const kind = target.kind ?? 'short';
    await s.tree.reveal(s.tree.node('token', entry.profile.id, kind)).catch(() => undefined);
    const info = s.state.token(entry.profile.id, kind);
    const details = describeToken(info, kind, s.state.expiryRules());
    await s.asker.details(
      kind === 'long'
        ? vscode.l10n.t('{0}: long-term token', entry.profile.name)
        : vscode.l10n.t('{0}: short-term token', entry.profile.name),
      details,
    );
    return info;
  };
}

/** The lines "Show Token Details" shows: metadata only, the value never. */
export function describeToken(info: TokenInfo | undefined, kind: TokenKind, rules: ExpiryRules): string {
  const now = Date.now();
  const status = displayStatus(info, now, rules);
  if (!info) return vscode.l10n.t('No token yet.');
  return [
    vscode.l10n.t('Status: {0} ({1})', statusLook(status, kind).label, tokenSummary(info, status, now)),
    vscode.l10n.t('Token id: {0} ({1})', info.tokenId || vscode.l10n.t('(none)'), maskTokenId(info.tokenId)),
    vscode.l10n.t('Fingerprint: {0}', info.fingerprint),
    vscode.l10n.t('Scopes: {0}', formatScopes(info.scopes)),
    vscode.l10n.t('Issued: {0}', formatWhen(info.issuedAt, now)),
    info.expiresAt > now
      ? vscode.l10n.t('Expires: {0}', formatWhen(info.expiresAt, now))
      : vscode.l10n.t('Expired: {0}', formatWhen(info.expiresAt, now)),
  ].join('\n');
}
