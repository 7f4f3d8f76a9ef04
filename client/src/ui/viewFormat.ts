// Pure presentation rules shared by the tree and the status bar: how a token's state, lifetime and id are shown.
// No vscode import here, so the rules run under plain mocha (texts through the l10n shim); the adapters turn these
// plain values into ThemeIcons, ThemeColors and TreeItems.
import { canRevokeWith, cannotRevokeText } from '../core/lifecycleScopes';
import type { TokenInfo, TokenKind, TokenStatus } from '../core/tokenService';
import { DEFAULT_EXPIRY_RULES, judgeToken, type ExpiryRules } from '@shared/judgement';
import { l10n } from '../host/l10n';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * The status to show now, by the one judgement (judgement.ts) the language server applies too. The engine's status
 * is a snapshot taken at its last event; time moves on between events, so a "valid" token may have expired or
 * entered its warning window since. Revoked and error are never upgraded; a token the engine marked expiring (stale)
 * stays expiring.
 */
export function displayStatus(info: TokenInfo | undefined, now: number, rules: ExpiryRules): TokenStatus {
  if (!info) return 'none';
  if (info.status === 'none') return 'none';
  const verdict = judgeToken(
    { kind: info.kind, issuedAt: info.issuedAt, expiresAt: info.expiresAt, revoked: info.status === 'revoked' },
    now,
    rules,
  );
  if (verdict === 'revoked' || verdict === 'expired') return verdict;
  if (info.status === 'error') return 'error';
  return info.status === 'expiring' ? 'expiring' : verdict;
}

/** Countdown for short-lived tokens: "14:59", "1:02:03" past an hour, "0:00" once expired. */
export function formatCountdown(msLeft: number): string {
  const total = Math.max(0, Math.ceil(msLeft / SECOND));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${String(m).padStart(2, '0')}:${ss}`;
}

/** Coarse remaining lifetime for long-term tokens: "30 days left", "1 day left", "5 h left", "12 min left", "expired". */
export function formatTimeLeft(msLeft: number): string {
  if (msLeft <= 0) return l10n.t('expired');
  if (msLeft >= DAY) {
    // Rounded: a token issued for 30 days a moment ago has "30 days left", not 29.
    const days = Math.round(msLeft / DAY);
    return days === 1 ? l10n.t('1 day left') : l10n.t('{0} days left', days);
  }
  if (msLeft >= HOUR) return l10n.t('{0} h left', Math.floor(msLeft / HOUR));
  return l10n.t('{0} min left', Math.max(1, Math.floor(msLeft / MINUTE)));
}

/** "expired 3 min ago" style text for tokens past their expiry. */
export function formatAgo(msAgo: number): string {
  if (msAgo < MINUTE) return l10n.t('just now');
  if (msAgo < HOUR) return l10n.t('{0} min ago', Math.floor(msAgo / MINUTE));
  if (msAgo < DAY) return l10n.t('{0} h ago', Math.floor(msAgo / HOUR));
  const days = Math.floor(msAgo / DAY);
  return days === 1 ? l10n.t('1 day ago') : l10n.t('{0} days ago', days);
}

/** "in 14 min", "in 3 h", "in 30 days" for a future moment, "3 min ago" for a past one. */
export function formatRelative(msFromNow: number): string {
  if (msFromNow <= 0) return formatAgo(-msFromNow);
  if (msFromNow < MINUTE) return l10n.t('in less than a minute');
  if (msFromNow >= DAY) {
    const days = Math.round(msFromNow / DAY);
    return days === 1 ? l10n.t('in 1 day') : l10n.t('in {0} days', days);
  }
  if (msFromNow >= HOUR) return l10n.t('in {0} h', Math.floor(msFromNow / HOUR));
  return l10n.t('in {0} min', Math.max(1, Math.floor(msFromNow / MINUTE)));
}

/**
 * A moment as people read it, local time first, then how far away it is, then the exact UTC time for logs and
 * support: "2 Dec 2026, 15:32:00 (in 14 min; 2026-12-02T14:32:00.000Z)". `local` is injectable for tests.
 */
export function formatWhen(at: number, now: number, local: (d: Date) => string = (d) => d.toLocaleString()): string {
  const d = new Date(at);
  return `${local(d)} (${formatRelative(at - now)}; ${d.toISOString()})`;
}

/**
 * Shortens a token id for display: tok_lt_b8e0aa -> "tok_lt_b8…aa". Ids are not secrets, but long ones crowd the tree;
 * keeping the kind prefix, two leading and two trailing characters is enough to tell tokens apart.
 */
export function maskTokenId(tokenId: string): string {
  if (!tokenId) return l10n.t('(no id)');
  const prefix = /^(tok_(?:lt|st)_|[A-Za-z]+_)/.exec(tokenId)?.[1] ?? '';
  const rest = tokenId.slice(prefix.length);
  if (rest.length <= 6) return tokenId;
  return `${prefix}${rest.slice(0, 2)}…${rest.slice(-2)}`;
}

export function formatScopes(scopes: readonly string[]): string {
  return scopes.length ? scopes.join(' ') : l10n.t('(default scopes)');
}

/** Codicon id and theme colour id per state; the adapter wraps them in ThemeIcon/ThemeColor. */
export interface StatusLook {
  icon: string;
  color?: string;
  label: string;
}

export function statusLook(status: TokenStatus, kind: TokenKind): StatusLook {
  switch (status) {
    case 'none':
      return {
        icon: kind === 'long' ? 'key' : 'circle-outline',
        color: 'disabledForeground',
        label: l10n.t('not issued'),
      };
    case 'valid':
      return { icon: 'pass-filled', color: 'testing.iconPassed', label: l10n.t('valid') };
    case 'expiring':
      return { icon: 'warning', color: 'list.warningForeground', label: l10n.t('expiring') };
    case 'expired':
      return { icon: 'clock', color: 'list.errorForeground', label: l10n.t('expired') };
    case 'revoked':
      return { icon: 'circle-slash', color: 'list.errorForeground', label: l10n.t('revoked') };
    case 'error':
      return { icon: 'error', color: 'list.errorForeground', label: l10n.t('failed') };
  }
}

/**
 * The warning a profile carries when the product cannot revoke its tokens at the server: judged from the live
 * long-term token's granted scopes (the server may have granted fewer than asked), else from the configured ones.
 */
export function cannotRevokeNote(
  profileName: string,
  configuredScopes: readonly string[],
  long: TokenInfo | undefined,
  now: number,
): string | undefined {
  const status = displayStatus(long, now, DEFAULT_EXPIRY_RULES);
  const live = long && holdsLiveToken(status);
  return canRevokeWith(live ? long.scopes : configuredScopes) ? undefined : cannotRevokeText(profileName);
}

/**
 * contextValue of a token node; package.json menus match on it (viewItem =~ /^c2m\.shortToken\.(valid|expiring)$/).
 * A short-term node with no live token whose profile has no usable long-term token either ends in ".noLong": Refresh
 * is not offered there, as it could only fail (an error notice, the status bar in warning colour); the long-term row
 * offers Issue. A live one keeps its buttons where they are (none moves under the pointer).
 */
export function tokenContextValue(kind: TokenKind, status: TokenStatus, longStatus?: TokenStatus): string {
  const value = `c2m.${kind === 'long' ? 'longToken' : 'shortToken'}.${status}`;
  return kind === 'short' && !holdsLiveToken(status) && longStatus !== undefined && !canExchangeWith(longStatus)
    ? `${value}.noLong`
    : value;
}

/** Whether a long-term token in this state can be exchanged for a short-term one (the status bar's rule too). */
export function canExchangeWith(longStatus: TokenStatus): boolean {
  return longStatus === 'valid' || longStatus === 'expiring';
}

/** A token in this state still works at the server (one whose refresh failed too, until it expires). */
function holdsLiveToken(status: TokenStatus): boolean {
  return canExchangeWith(status) || status === 'error';
}

export const PROFILE_CONTEXT_VALUE = 'c2m.profile';

/**
 * The description next to a token node's label: only what changes and decides what to do (time left, or why there
 * is none), so that it fits the default side bar width; the id and scopes are in the tooltip (tokenSummary).
 */
export function tokenDescription(info: TokenInfo | undefined, status: TokenStatus, now: number): string {
  if (!info || status === 'none') return l10n.t('not issued');
  if (status === 'revoked') return l10n.t('revoked');
  const left = info.expiresAt - now;
  if (status === 'expired') return l10n.t('expired {0}', formatAgo(-left));
  if (status === 'error') return l10n.t('refresh failed');
  if (info.kind === 'short') return l10n.t('{0} left', formatCountdown(left));
  // A new long-term token has the same "30 days left" as the one it replaced: for a minute it says it is new.
  return isFreshlyIssued(info, now) ? l10n.t('issued just now · {0}', formatTimeLeft(left)) : formatTimeLeft(left);
}

/** How long a long-term token counts as just issued in the tree (the view re-draws it when that ends). */
export const FRESH_MS = MINUTE;

/** A long-term token issued less than FRESH_MS ago: the tree says "issued just now". */
export function isFreshlyIssued(info: Pick<TokenInfo, 'kind' | 'issuedAt'>, now: number): boolean {
  return info.kind === 'long' && now >= info.issuedAt && now - info.issuedAt < FRESH_MS;
}

/** The whole line for places with room (status bar tooltip, details): the time left first, then the masked id, then the scopes. */
export function tokenSummary(info: TokenInfo | undefined, status: TokenStatus, now: number): string {
  if (!info || status === 'none') return l10n.t('not issued');
  const time =
    info.kind === 'short'
      ? l10n.t('{0} left', formatCountdown(info.expiresAt - now))
      : formatTimeLeft(info.expiresAt - now);
  const state = status === 'error' ? `${time} · ${l10n.t('refresh failed')}` : tokenDescription(info, status, now);
  return `${state} · ${maskTokenId(info.tokenId)} · ${formatScopes(info.scopes)}`;
}

/** The description next to a profile's name: only whether it is the active one (client id and origin are in the tooltip). */
export function profileDescription(active: boolean): string {
  return active ? l10n.t('active') : '';
}

/** contextValue of a profile node: `c2m.profile.<mechanism>`, so menus offer only the secret that mechanism uses. */
export function profileContextValue(mechanism: string): string {
  return `${PROFILE_CONTEXT_VALUE}.${mechanism}`;
}

/** Status bar text and look for the active profile. */
export interface StatusBarModel {
  text: string;
  /**
   * warning background when expiring or failing; error background when the long-term token ran out or something
   * failed with no usable token left. A token the user revoked is no warning: nothing is wrong, there is just none.
   */
  severity: 'normal' | 'warning' | 'error';
  tooltip: string;
  /** No usable long-term token: the one useful action is to issue one (the item's click and its tooltip offer it). */
  needsIssue: boolean;
}

export function statusBarModel(
  profileName: string | undefined,
  short: TokenInfo | undefined,
  long: TokenInfo | undefined,
  now: number,
  rules: ExpiryRules,
): StatusBarModel {
  if (!profileName)
    return {
      text: '$(key) C2M',
      severity: 'normal',
      tooltip: l10n.t('C2M Tokens: no active profile'),
      needsIssue: false,
    };
  const longStatus = displayStatus(long, now, rules);
  const shortStatus = displayStatus(short, now, rules);
  const lines = [
    l10n.t('C2M profile: {0}', profileName),
    l10n.t('Long-term token: {0}', tokenSummary(long, longStatus, now)),
    l10n.t('Short-term token: {0}', tokenSummary(short, shortStatus, now)),
  ];
  const tooltip = lines.join('\n');
  if (short && holdsLiveToken(shortStatus)) {
    const text = `$(key) ${profileName} ${formatCountdown(short.expiresAt - now)}`;
    const failing =
      shortStatus === 'error' || longStatus === 'error' || longStatus === 'revoked' || longStatus === 'expired';
    const expiring = shortStatus === 'expiring' || longStatus === 'expiring';
    return { text, severity: failing || expiring ? 'warning' : 'normal', tooltip, needsIssue: false };
  }
  if (canExchangeWith(longStatus)) {
    const expiring = longStatus === 'expiring';
    // A revoked short-term token was the user's doing and the next use gets a new one: said, in no warning colour.
    // One that ran out is worth a glance (it was not refreshed in time).
    if (short && (shortStatus === 'revoked' || shortStatus === 'expired')) {
      const revoked = shortStatus === 'revoked';
      const text = revoked
        ? l10n.t('$(key) {0}: short-term revoked', profileName)
        : l10n.t('$(key) {0}: short-term expired', profileName);
      return { text, severity: revoked && !expiring ? 'normal' : 'warning', tooltip, needsIssue: false };
    }
    return { text: `$(key) ${profileName}`, severity: expiring ? 'warning' : 'normal', tooltip, needsIssue: false };
  }
  // No usable long-term token. Never issued, or revoked (by the user, or by a sign-out): there is simply none, in the
  // neutral colour. One that expired or failed is a problem to fix.
  if (longStatus === 'none' || longStatus === 'revoked')
    return { text: l10n.t('$(key) {0}: no token', profileName), severity: 'normal', tooltip, needsIssue: true };
  return {
    text: `$(key) ${profileName}: ${statusLook(longStatus, 'long').label}`,
    severity: 'error',
    tooltip,
    needsIssue: true,
  };
}
