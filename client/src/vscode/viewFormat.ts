// Pure presentation rules shared by the tree and the status bar: how a token's state, lifetime and id are shown.
// No vscode import here, so the rules run under plain mocha; the adapters turn these plain values into
// ThemeIcons, ThemeColors and TreeItems.
import type { TokenInfo, TokenKind, TokenStatus } from '../core/tokenService';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * The status to show now. The engine's status is a snapshot taken at its last event; time moves on between events,
 * so a "valid" token may have expired or entered its warning window since. Revoked and error are never upgraded.
 */
export function displayStatus(info: TokenInfo | undefined, now: number, warnBeforeMs: number): TokenStatus {
  if (!info) return 'none';
  if (info.status === 'revoked' || info.status === 'none') return info.status;
  if (now >= info.expiresAt) return 'expired';
  if (info.status === 'error') return 'error';
  if (info.status === 'expiring' || info.expiresAt - now <= warnBeforeMs) return 'expiring';
  return 'valid';
}

/** A short-term token counts as expiring once its refresh point (this fraction of its lifetime) has passed. */
export function shortWarnBeforeMs(info: TokenInfo, refreshAtFraction: number): number {
  return Math.max(0, Math.round((info.expiresAt - info.issuedAt) * (1 - refreshAtFraction)));
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

/** "in 14 min", "in 3 h", "in 30 days" for a future moment, "3 min ago" for a past one. */
export function formatRelative(msFromNow: number): string {
  if (msFromNow <= 0) return formatAgo(-msFromNow);
  if (msFromNow < MINUTE) return 'in less than a minute';
  return `in ${formatTimeLeft(msFromNow).replace(/ left$/, '')}`;
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
 * The description next to a token node's label: only what changes and decides what to do (time left, or why there
 * is none), so that it fits the default side bar width; the id and scopes are in the tooltip (tokenSummary).
 */
export function tokenDescription(info: TokenInfo | undefined, status: TokenStatus, now: number): string {
  if (!info || status === 'none') return 'not issued';
  if (status === 'revoked') return 'revoked';
  const left = info.expiresAt - now;
  if (status === 'expired') return `expired ${formatAgo(-left)}`;
  const time = info.kind === 'short' ? `${formatCountdown(left)} left` : formatTimeLeft(left);
  return status === 'error' ? 'refresh failed' : time;
}

/** The whole line for places with room (status bar tooltip, details): the time left first, then the masked id, then the scopes. */
export function tokenSummary(info: TokenInfo | undefined, status: TokenStatus, now: number): string {
  if (!info || status === 'none') return 'not issued';
  const time = info.kind === 'short' ? `${formatCountdown(info.expiresAt - now)} left` : formatTimeLeft(info.expiresAt - now);
  const state = status === 'error' ? `${time} · refresh failed` : tokenDescription(info, status, now);
  return `${state} · ${maskTokenId(info.tokenId)} · ${formatScopes(info.scopes)}`;
}

/** The description next to a profile's name: only whether it is the active one (client id and origin are in the tooltip). */
export function profileDescription(active: boolean): string {
  return active ? 'active' : '';
}

/** contextValue of a profile node: `c2m.profile.<mechanism>`, so menus offer only the secret that mechanism uses. */
export function profileContextValue(mechanism: string): string {
  return `${PROFILE_CONTEXT_VALUE}.${mechanism}`;
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
  warnLongBeforeMs: number,
  refreshAtFraction: number,
): StatusBarModel {
  if (!profileName) return { text: '$(key) C2M', severity: 'normal', tooltip: 'C2M Tokens: no active profile' };
  const longStatus = displayStatus(long, now, warnLongBeforeMs);
  const shortStatus = displayStatus(short, now, short ? shortWarnBeforeMs(short, refreshAtFraction) : 0);
  const lines = [`C2M profile: ${profileName}`, `Long-term token: ${tokenSummary(long, longStatus, now)}`,
    `Short-term token: ${tokenSummary(short, shortStatus, now)}`];
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
