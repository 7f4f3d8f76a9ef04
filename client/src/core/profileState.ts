// What the engine remembers per profile between events, and the pure questions asked of it: is the short-term
// token stale, when is its refresh point, what does the UI see, when must the profile be looked at next.
import { longTokenUnusableError, originChangedError } from './engineErrors';
import type { CoreError } from './errors';
import { LONG_TERM_WARNING_MS, needsRefresh, refreshPointOf, usableUntilExpiry } from './refreshPolicy';
import { expiryOf, isBoundTo, type Binding, type TokenRecord } from './secretRecords';
import { tokenInfoOf, type ShownMeta } from './tokenInfo';
import type { TokenInfo } from './tokenService';
import type { SharedSlot } from './windowChannel';

/** A record worth showing (signed-out tombstones are not). */
export type Shown = Extract<TokenRecord, { state: 'active' | 'revoked' }>;
export type Active = Extract<TokenRecord, { state: 'active' }>;

export const isActive = (r: TokenRecord | undefined): r is Active => r?.state === 'active';
export const shown = (r: TokenRecord | undefined): Shown | undefined => (r && r.state !== 'signed_out' ? r : undefined);

export interface ProfileState {
  long?: Shown;
  longVersion: number;
  short?: Shown;
  shortVersion: number;
  /** Refresh point of the current short-term token, jitter drawn once per token. */
  refreshAt?: { tokenId: string; at: number };
  /** Bumped by revoke and sign-out: an exchange that started under an older generation is discarded. */
  generation: number;
  /** The last refresh failure, until a refresh succeeds or another token is stored. */
  failure?: CoreError;
  failures: number;
  retryAt?: number;
  warnedTokenId?: string;
  bindingNotice?: string;
  lastSkew?: number;
  /** Newer records another window wrote that this window's copy of secret storage does not hold (metadata only). */
  elsewhere: { long?: SharedSlot; short?: SharedSlot };
}

export function newProfileState(): ProfileState {
  return { longVersion: 0, shortVersion: 0, generation: 0, failures: 0, elsewhere: {} };
}

/** A refresh succeeded or another token arrived: no failure, no backoff, no pending retry. */
export function clearFailure(st: ProfileState): void {
  st.failure = undefined;
  st.failures = 0;
  st.retryAt = undefined;
}

/** Exchanged from a long-term token that is no longer the current one (rotated): replaced on next use. */
export function isStale(st: ProfileState, short: ShownMeta): boolean {
  return short.longTokenId !== undefined && isActive(st.long) && st.long.tokenId !== short.longTokenId;
}

/** No long-term token is active: the short-term token exchanged from one was revoked with it at the server. */
export function isOrphaned(st: ProfileState, short: ShownMeta): boolean {
  return short.longTokenId !== undefined && !isActive(st.long);
}

/**
 * Exchanged from the active long-term token (or from an unknown one: records of older versions do not say).
 * Only such a token is served: a revoke in another window may have killed its parent before its record moved.
 */
export function hasLiveParent(st: ProfileState, short: ShownMeta): boolean {
  return isActive(st.long) && (short.longTokenId === undefined || short.longTokenId === st.long.tokenId);
}

/** The stored long-term token if it can be exchanged now; else the error that says why not (nothing is sent). */
export function usableLongOf(
  profileName: string,
  binding: Binding,
  record: TokenRecord | undefined,
  now: number,
): Active {
  if (!record || record.state === 'signed_out') throw longTokenUnusableError(profileName, 'absent');
  if (!isBoundTo(record, binding)) throw originChangedError(profileName, binding, record);
  if (record.state === 'revoked') throw longTokenUnusableError(profileName, 'revoked');
  if (now >= expiryOf(record)) throw longTokenUnusableError(profileName, 'expired');
  return record;
}

/** A token of the profile bound to another origin or client id, if it was not told about yet (told once each). */
export function strayToTell(st: ProfileState, binding: Binding | undefined): Active | undefined {
  const stray = [st.long, st.short].find((r): r is Active => isActive(r) && (!binding || !isBoundTo(r, binding)));
  if (!stray || st.bindingNotice === `${stray.origin} ${stray.clientId}`) return undefined;
  st.bindingNotice = `${stray.origin} ${stray.clientId}`;
  return stray;
}

/**
 * What a use of the profile's short-term token gets without a request: the cached token ('serve'), the failure that
 * forbids a request (thrown by the caller), or 'exchange'.
 */
export function cachedAnswer(
  st: ProfileState,
  cached: Active | undefined,
  now: number,
  minValidityMs: number,
  random: () => number,
): 'serve' | 'exchange' | CoreError {
  if (cached && !isStale(st, cached) && !needsRefresh(cached, refreshAtOf(st, cached, random), now, minValidityMs))
    return 'serve';
  const stillWorks = cached !== undefined && usableUntilExpiry(cached, now, minValidityMs);
  // The server rejected this long-term token: nothing is sent with it again until a new one is stored.
  if (st.failure?.code === 'reissue_needed') return stillWorks ? 'serve' : st.failure;
  // While a failed refresh waits for its retry, a token that still works is used as is (no request per use).
  // After a 429 nothing at all is sent before the server said; otherwise a failure is never cached.
  if (st.failure && st.retryAt !== undefined && now < st.retryAt) {
    if (stillWorks) return 'serve';
    if (st.failure.code === 'rate_limited') return st.failure;
  }
  return 'exchange';
}

export function refreshAtOf(st: ProfileState, short: ShownMeta, random: () => number): number {
  if (st.refreshAt?.tokenId !== short.tokenId)
    st.refreshAt = { tokenId: short.tokenId, at: refreshPointOf(short, random) };
  return st.refreshAt.at;
}

export function shortInfoOf(
  profileId: string,
  st: ProfileState,
  short: ShownMeta,
  now: number,
  random: () => number,
): TokenInfo {
  return tokenInfoOf(profileId, 'short', short, {
    now,
    refreshAt: refreshAtOf(st, short, random),
    failing: st.short?.tokenId === short.tokenId && st.failure !== undefined,
    stale: isStale(st, short),
    parentGone: isOrphaned(st, short),
  });
}

/**
 * The next moment something changes for this profile (warning, refresh, retry, expiry), if any is ahead.
 * `warningMs` 0: no expiry reminder.
 */
export function nextDueAt(
  st: ProfileState,
  long: Active | undefined,
  short: Active | undefined,
  now: number,
  random: () => number,
  warningMs = LONG_TERM_WARNING_MS,
): number | undefined {
  const candidates: number[] = [];
  if (long) candidates.push(expiryOf(long));
  if (long && warningMs > 0) candidates.push(expiryOf(long) - warningMs);
  if (short) {
    candidates.push(expiryOf(short));
    if (st.failure === undefined) candidates.push(refreshAtOf(st, short, random));
    else if (st.failure.retryable && st.retryAt !== undefined) candidates.push(st.retryAt);
  }
  return candidates.filter((t) => t > now).sort((a, b) => a - b)[0];
}

/** This window's copy of secret storage is behind another window's writes for this profile. */
export function isBehindHere(st: ProfileState): boolean {
  return st.elsewhere.long !== undefined || st.elsewhere.short !== undefined;
}

/** A token another window stored, as it is shown here (no value: it cannot be used from this window). */
export function shownElsewhere(
  slot: SharedSlot | undefined,
): (ShownMeta & { origin: string; clientId: string }) | undefined {
  return slot?.meta && (slot.state === 'active' || slot.state === 'revoked')
    ? { ...slot.meta, state: slot.state }
    : undefined;
}

/**
 * Whether this window's own short-term token may still be served while its copy is behind: only if its long-term
 * token was not replaced, revoked or signed out elsewhere, and the token itself was not revoked elsewhere. (A newer
 * short-term token of another window leaves this one valid at the server until it expires.)
 */
export function servableHere(st: ProfileState, short: ShownMeta): boolean {
  if (st.elsewhere.long) return false;
  const other = st.elsewhere.short;
  if (!other || other.state === 'active' || other.state === 'secret') return true;
  return other.state !== 'signed_out' && other.state !== 'deleted' && other.meta?.tokenId !== short.tokenId;
}
