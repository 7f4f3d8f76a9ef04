// Pure presentation rules shared by the tree and the status bar: how a token's state, lifetime and id are shown.
// No vscode import here, so the rules run under plain mocha; the adapters turn these plain values into
// ThemeIcons, ThemeColors and TreeItems.
import type { TokenInfo, TokenKind, TokenStatus } from '../core/tokenService';
import { judgeToken, type ExpiryRules } from '../../../server/src/judgement';

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
  const verdict = judgeToken({ kind: info.kind, issuedAt: info.issuedAt, expiresAt: info.expiresAt, revoked: info.status === 'revoked' }, now, rules);
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
  if (msLeft <= 0) return 'expired';
  if (msLeft >= DAY) {
    // Rounded: a token issued for 30 days a moment ago has "30 days left", not 29.
    const days = Math.round(msLeft / DAY);
    return `${days} ${days === 1 ? 'day' : 'days'} left`;
  }
  if (msLeft >= HOUR) return `${Math.floor(msLeft / HOUR)} h left`;
  return `${Math.max(1, Math.floor(msLeft / MINUTE))} min left`;
}

/** "expired 3 min ago" style text for tokens past their expiry. */
export function formatAgo(msAgo: number): string {
  if (msAgo < MINUTE) return 'just now';
  if (msAgo < HOUR) return `${Math.floor(msAgo / MINUTE)} min ago`;
  if (msAgo < DAY) return `${Math.floor(msAgo / HOUR)} h ago`;
  const days = Math.floor(msAgo / DAY);
  return `${days} ${days === 1 ? 'day' : 'days'} ago`;
}

/**
 * Shortens a token id for display: tok_lt_b8e0aa -> "tok_lt_b8…aa". Ids are not secrets, but long ones crowd the tree;
 * keeping the kind prefix, two leading and two trailing characters is enough to tell tokens apart.
 */
export function maskTokenId(tokenId: string): string {
  if (!tokenId) return '(no id)';
  const prefix = /^(tok_(?:lt|st)_|[A-Za-z]+_)/.exec(tokenId)?.[1] ?? '';
  const rest = tokenId.slice(prefix.length);
  if (rest.length <= 6) return tokenId;
  return `${prefix}${rest.slice(0, 2)}…${rest.slice(-2)}`;
}

export function formatScopes(scopes: readonly string[]): string {
  return scopes.length ? scopes.join(' ') : '(default scopes)';
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
      return { icon: kind === 'long' ? 'key' : 'circle-outline', color: 'disabledForeground', label: 'not issued' };
    case 'valid':
      return { icon: 'pass-filled', color: 'testing.iconPassed', label: 'valid' };
    case 'expiring':
      return { icon: 'warning', color: 'list.warningForeground', label: 'expiring' };
    case 'expired':
      return { icon: 'clock', color: 'list.errorForeground', label: 'expired' };
    case 'revoked':
      return { icon: 'circle-slash', color: 'list.errorForeground', label: 'revoked' };
    case 'error':
      return { icon: 'error', color: 'list.errorForeground', label: 'failed' };
  }
}

/** contextValue of a token node; package.json menus match on it (viewItem =~ /^c2m\.shortToken\.(valid|expiring)$/). */
export function tokenContextValue(kind: TokenKind, status: TokenStatus): string {
  return `c2m.${kind === 'long' ? 'longToken' : 'shortToken'}.${status}`;
}

export const PROFILE_CONTEXT_VALUE = 'c2m.profile';

/**
 * The one-line description next to a token node's label: the time left first (it is what changes, and a narrow side
 * bar cuts the end off), then the masked id, then the scopes.
 */
export function tokenDescription(info: TokenInfo | undefined, status: TokenStatus, now: number): string {
  if (!info || status === 'none') return 'not issued';
  const id = maskTokenId(info.tokenId);
  const scopes = formatScopes(info.scopes);
  if (status === 'revoked') return `revoked · ${id} · ${scopes}`;
  const left = info.expiresAt - now;
  if (status === 'expired') return `expired ${formatAgo(-left)} · ${id} · ${scopes}`;
  const time = info.kind === 'short' ? formatCountdown(left) : formatTimeLeft(left);
  return status === 'error' ? `${time} · refresh failed · ${id} · ${scopes}` : `${time} · ${id} · ${scopes}`;
}

/** Status bar text and look for the active profile. */
export interface StatusBarModel {
  text: string;
  /** warning background when expiring or failing; error background when no usable token is left after a failure. */
  severity: 'normal' | 'warning' | 'error';
  tooltip: string;
}

export function statusBarModel(
  profileName: string | undefined,
  short: TokenInfo | undefined,
  long: TokenInfo | undefined,
  now: number,
  rules: ExpiryRules,
): StatusBarModel {
  if (!profileName) return { text: '$(key) C2M', severity: 'normal', tooltip: 'C2M Tokens: no active profile' };
  const longStatus = displayStatus(long, now, rules);
  const shortStatus = displayStatus(short, now, rules);
  const lines = [`C2M profile: ${profileName}`, `Long-term token: ${tokenDescription(long, longStatus, now)}`,
    `Short-term token: ${tokenDescription(short, shortStatus, now)}`];
  const tooltip = lines.join('\n');
  if (short && (shortStatus === 'valid' || shortStatus === 'expiring' || shortStatus === 'error')) {
    const text = `$(key) ${profileName} ${formatCountdown(short.expiresAt - now)}`;
    const failing = shortStatus === 'error' || longStatus === 'error' || longStatus === 'revoked' || longStatus === 'expired';
    const expiring = shortStatus === 'expiring' || longStatus === 'expiring';
    return { text, severity: failing || expiring ? 'warning' : 'normal', tooltip };
  }
  if (longStatus === 'valid' || longStatus === 'expiring') {
    // A short-term token that was revoked or ran out is worth a glance: the next use issues a new one.
    if (short && (shortStatus === 'revoked' || shortStatus === 'expired')) {
      return { text: `$(key) ${profileName}: short-term ${shortStatus}`, severity: 'warning', tooltip };
    }
    return { text: `$(key) ${profileName}`, severity: longStatus === 'expiring' ? 'warning' : 'normal', tooltip };
  }
  if (longStatus === 'none') return { text: `$(key) ${profileName}: no token`, severity: 'normal', tooltip };
  return { text: `$(key) ${profileName}: ${statusLook(longStatus, 'long').label}`, severity: 'error', tooltip };
}
