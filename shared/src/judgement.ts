// The one judgement of a token's state from its metadata and a clock, shared by the extension (tree, status bar,
// Leak Scan, the engine's token info) and the language server (hover, lens, diagnostics, completion). Pure, no
// imports: the client may import this file beside protocol.ts.

export type TokenVerdict = 'valid' | 'expiring' | 'expired' | 'revoked';

/** When a token counts as expiring. */
export interface ExpiryRules {
  /** A short-term token is expiring once this fraction of its lifetime has passed (the refresh point, before jitter). */
  refreshFraction: number;
  /** A long-term token this close to its expiry is expiring; 0: never (the user turned the reminder off). */
  longWarningMs: number;
  /** The margin for a short-term token whose lifetime is not known (a JWT without `iat`). */
  fallbackMarginMs?: number;
}

/** The rules the extension applies unless told otherwise: refresh at 80% of the lifetime, warn 7 days ahead. */
export const DEFAULT_EXPIRY_RULES: ExpiryRules = Object.freeze({
  refreshFraction: 0.8,
  longWarningMs: 7 * 24 * 3600_000,
});

export interface JudgedToken {
  kind: 'long' | 'short';
  /** Epoch ms on one clock with `now`; undefined when not known. */
  issuedAt: number | undefined;
  expiresAt: number;
  revoked: boolean;
}

/** How long before its expiry a token becomes expiring. */
export function expiringMarginMs(t: Pick<JudgedToken, 'kind' | 'issuedAt' | 'expiresAt'>, rules: ExpiryRules): number {
  if (t.kind === 'long') return Math.max(0, rules.longWarningMs);
  const lifetime = t.issuedAt === undefined ? Number.NaN : t.expiresAt - t.issuedAt;
  return Number.isFinite(lifetime) && lifetime > 0
    ? lifetime * (1 - rules.refreshFraction)
    : Math.max(0, rules.fallbackMarginMs ?? 0);
}

export function judgeToken(t: JudgedToken, now: number, rules: ExpiryRules): TokenVerdict {
  if (t.revoked) return 'revoked';
  if (now >= t.expiresAt) return 'expired';
  const margin = expiringMarginMs(t, rules);
  return margin > 0 && t.expiresAt - now <= margin ? 'expiring' : 'valid';
}
