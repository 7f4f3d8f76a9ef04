// When a token needs refreshing, and what its state is. Pure functions of local times: expiry always comes from
// receipt time + expires_in, never from the server's expires_at, so a skewed clock cannot cause a refresh loop.
import { backoffDelay } from '../api/backoff';
import { expiryOf, type TokenMeta } from './secretRecords';

/** Refresh at 80% of the lifetime... */
export const REFRESH_FRACTION = 0.8;
/** ...minus up to 10% of the lifetime, so windows that received tokens together do not refresh together. */
export const JITTER_FRACTION = 0.1;
/** Long-term tokens this close to expiry are "expiring" and trigger a warning offering rotation (default). */
export const LONG_TERM_WARNING_DAYS = 7;
export const LONG_TERM_WARNING_MS = LONG_TERM_WARNING_DAYS * 24 * 3600_000;
/** A server clock further off than this is reported (never used for decisions). */
export const SKEW_REPORT_MS = 2 * 60_000;
/** A timer that fires this much later than planned means the machine slept. */
export const WAKE_TOLERANCE_MS = 30_000;
/**
 * A short-term token handed to a consumer (inserted into a file, given to another extension) must stay valid at least
 * this long: the consumer is about to send a request with it.
 */
export const MIN_VALIDITY_MS = 60_000;

type Lifetime = Pick<TokenMeta, 'receivedAt' | 'expiresIn'>;

/** The moment to refresh a short-term token; `random` in [0, 1) picks the jitter once per token. */
export function refreshPointOf(token: Lifetime, random: () => number): number {
  const lifetime = token.expiresIn * 1000;
  const jitter = Math.min(Math.max(random(), 0), 1) * JITTER_FRACTION * lifetime;
  return token.receivedAt + REFRESH_FRACTION * lifetime - jitter;
}

/**
 * Whether a cached short-term token must be refreshed before use. `minValidityMs` is capped at half the token's
 * lifetime: a caller asking for more than a fresh token can give must not cause an exchange on every call.
 */
export function needsRefresh(token: Lifetime, refreshAt: number, now: number, minValidityMs = 0): boolean {
  const expiresAt = expiryOf(token);
  const wanted = Math.min(Math.max(0, minValidityMs), (token.expiresIn * 1000) / 2);
  return now >= refreshAt || expiresAt - now < wanted;
}

/** Whether a token that could not be refreshed may still be handed out. */
export function usableUntilExpiry(token: Lifetime, now: number, minValidityMs = 0): boolean {
  return expiryOf(token) - now > Math.max(0, minValidityMs);
}

export type TimeState = 'valid' | 'expiring' | 'expired';

export function shortTermState(token: Lifetime, refreshAt: number, now: number): TimeState {
  if (now >= expiryOf(token)) return 'expired';
  return now >= refreshAt ? 'expiring' : 'valid';
}

/** `warningMs` 0: never "expiring" (the user turned the reminder off). */
export function longTermState(token: Lifetime, now: number, warningMs = LONG_TERM_WARNING_MS): TimeState {
  const expiresAt = expiryOf(token);
  if (now >= expiresAt) return 'expired';
  return warningMs > 0 && expiresAt - now <= warningMs ? 'expiring' : 'valid';
}

/**
 * Server clock minus local clock, estimated from expires_at against receipt time + expires_in (ms);
 * undefined when expires_at is not a date.
 */
export function clockSkewOf(
  token: Pick<TokenMeta, 'receivedAt' | 'expiresIn' | 'serverExpiresAt'>,
): number | undefined {
  const server = Date.parse(token.serverExpiresAt);
  return Number.isFinite(server) ? server - expiryOf(token) : undefined;
}

export function isReportableSkew(skewMs: number | undefined): skewMs is number {
  return skewMs !== undefined && Math.abs(skewMs) > SKEW_REPORT_MS;
}

/** A timer that fired much later than it was due: the machine probably slept, so re-check everything now. */
export function wokeUp(dueAt: number, firedAt: number): boolean {
  return firedAt - dueAt > WAKE_TOLERANCE_MS;
}

/** A hand-edited c2m.expiryWarningDays that is not a number of days >= 0 means the default, not an error. */
export function longWarningMsOf(days: number): number {
  return (Number.isFinite(days) && days >= 0 ? days : LONG_TERM_WARNING_DAYS) * 86_400_000;
}

/** First retry of a failed refresh after up to this long, doubling up to the cap (full jitter). */
const REFRESH_RETRY_BASE_MS = 5_000;
const REFRESH_RETRY_CAP_MS = 5 * 60_000;

/**
 * When the refresh that failed for the `failures`-th time in a row is tried again: backoff for what waiting can help,
 * never before the server's Retry-After; a failure waiting cannot help is retried only when the server said when.
 */
export function refreshRetryAt(
  failure: { retryable: boolean; retryAt?: number },
  failures: number,
  now: number,
  random: () => number,
): number | undefined {
  const backoff = Math.max(1000, backoffDelay(failures, random, REFRESH_RETRY_BASE_MS, REFRESH_RETRY_CAP_MS));
  return failure.retryable ? Math.max(now + backoff, failure.retryAt ?? 0) : failure.retryAt;
}
