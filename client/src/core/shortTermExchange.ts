// The short-term exchange: one request with the long-term token as Bearer, its answer stored under compare-and-set.
// Always run through the engine's per-profile flights, so one exchange per profile runs at a time. Invariants: a
// revoke or sign-out that starts while the exchange runs wins (the generation moves; the late answer is discarded);
// a token the server issued is stored or revoked, never dropped; after a 401 storage is read once more (another
// window may have rotated), so at most two requests are sent.
import type { IssuedToken } from '../api/types';
import { callOptions, is401, isAbort } from './apiCalls';
import { cancelledError, reissueNeededError } from './engineErrors';
import type { EngineCore } from './engineCore';
import { CoreError } from './errors';
import type { ShortResult } from './narrowedTokens';
import type { FlightControl } from './operation';
import type { Profile } from './profile';
import { bindingOrNone } from './profileList';
import {
  clearFailure,
  hasLiveParent,
  isActive,
  servableHere,
  shortInfoOf,
  usableLongOf,
  type Active,
  type ProfileState,
} from './profileState';
import { needsRefresh, refreshPointOf, refreshRetryAt } from './refreshPolicy';
import * as revocation from './revocation';
import { activeRecordBody, expiryOf, isBoundTo, type Binding } from './secretRecords';
import type { ShownMeta } from './tokenInfo';

/** The profile's active, bound short-term token (expired or not) whose long-term token is the active one. */
export function currentShort(profile: Profile, st: ProfileState): Active | undefined {
  const binding = bindingOrNone(profile);
  return binding &&
    isActive(st.short) &&
    isBoundTo(st.short, binding) &&
    hasLiveParent(st, st.short) &&
    servableHere(st, st.short)
    ? st.short
    : undefined;
}

/** What a caller of the short-term token gets: the value and how the token stands now. */
export function served(
  core: EngineCore,
  profile: Profile,
  st: ProfileState,
  short: ShownMeta & { accessToken: string },
  now: number,
): ShortResult {
  return { value: short.accessToken, info: shortInfoOf(profile.id, st, short, now, core.random) };
}

/** One short-term exchange for the profile; `background`: no user command reports its failure. */
export async function exchange(
  core: EngineCore,
  profile: Profile,
  background: boolean,
  flight?: FlightControl,
): Promise<ShortResult> {
  const st = core.stateOf(profile.id);
  const generation = st.generation;
  try {
    const binding = core.requireBinding(profile);
    const [longRead, shortRead] = await Promise.all([
      core.records.readToken(profile.id, 'long'),
      core.records.readToken(profile.id, 'short'),
    ]);
    // Before judging this window's copy: "no long-term token, issue one" from a copy that is behind would lead the
    // user to a second live token.
    await core.requireCurrentCopy(profile);
    const long = usableLongOf(profile.name, binding, longRead.record, core.clock.now());
    core.report.remember((await core.records.readSecret(profile.id, 'client_secret')).record?.value);
    const stored = shortRead.record;
    // Another window refreshed since we decided to: use its token instead of exchanging again.
    if (
      isActive(stored) &&
      isBoundTo(stored, binding) &&
      stored.longTokenId === long.tokenId &&
      stored.tokenId !== st.short?.tokenId &&
      !needsRefresh(stored, refreshPointOf(stored, core.random), core.clock.now())
    ) {
      await core.load(profile.id);
      return served(core, profile, st, stored, core.clock.now());
    }
    core.requireNetwork(profile);
    const { issued, usedLong } = await core.activities.run(profile.id, 'refreshing', () =>
      exchangeOnce(core, profile, binding, long, generation, flight),
    );
    throwIfSuperseded(core, profile, generation);
    const body = activeRecordBody(issued, binding, usedLong.tokenId);
    let written: boolean;
    try {
      // The revoke check runs again inside the serialised write: a revoke that starts while it waits wins.
      written = await core.records.writeToken(profile.id, 'short', body, shortRead.version, () =>
        core.isCurrent(profile, generation),
      );
    } catch (error) {
      throw await revocation.disown(
        core,
        profile,
        revocation.revokeTargetOf('short', body, usedLong.accessToken),
        error,
        'The short-term token stored before is kept.',
      );
    }
    throwIfSuperseded(core, profile, generation);
    if (!written) return await adoptAfterConflict(core, profile);
    clearFailure(st);
    core.report.skew(profile, st, issued);
    await core.load(profile.id);
    core.report.auditToken('issue', profile, 'short', body);
    return served(core, profile, st, body, core.clock.now());
  } catch (error) {
    // Cancelled by every caller: not a failure of the server, so no backoff and no error state.
    if (isAbort(error)) throw cancelledError(profile.name, 'refresh');
    const failure = core.report.coreErrorOf(error, `Refreshing the short-term token of "${profile.name}" failed`);
    if (failure.code !== 'revoked') recordFailure(core, profile, failure, background);
    throw failure;
  }
}

/** The exchange, and after a 401 one re-read of storage (another window may have rotated): at most two requests. */
async function exchangeOnce(
  core: EngineCore,
  profile: Profile,
  binding: Binding,
  long: Active,
  generation: number,
  flight?: FlightControl,
): Promise<{ issued: IssuedToken; usedLong: Active }> {
  const client = core.clients.for(profile.baseUrl);
  const scopes = profile.shortScopes?.length ? profile.shortScopes : undefined;
  const call = callOptions(flight, 'refresh_short');
  try {
    return { issued: await client.issueShortTermToken(long.accessToken, { scopes, ...call }), usedLong: long };
  } catch (error) {
    if (!is401(error)) throw error;
  }
  const { record } = await core.records.readToken(profile.id, 'long');
  throwIfSuperseded(core, profile, generation);
  if (
    !isActive(record) ||
    record.accessToken === long.accessToken ||
    !isBoundTo(record, binding) ||
    core.clock.now() >= expiryOf(record)
  ) {
    // Not revoked here, nor replaced in this window's copy: ask the other windows before telling the user to issue
    // a new one (which would leave two live long-term tokens if another window rotated).
    await core.requireCurrentCopy(profile, true);
    throw reissueNeededError(profile.name);
  }
  core.report.log(
    `exchange for "${profile.name}" got 401; another window stored long-term token ${record.tokenId}, trying it once`,
  );
  try {
    return { issued: await client.issueShortTermToken(record.accessToken, { scopes, ...call }), usedLong: record };
  } catch (error) {
    throw is401(error) ? reissueNeededError(profile.name) : error;
  }
}

/** Another window wrote the short-term slot meanwhile: its record wins; serve it if it still works. */
async function adoptAfterConflict(core: EngineCore, profile: Profile): Promise<ShortResult> {
  await core.load(profile.id);
  const st = core.stateOf(profile.id);
  const current = currentShort(profile, st);
  core.report.log(`another window wrote the short-term token of "${profile.name}" meanwhile; keeping its record`);
  if (current && core.clock.now() < expiryOf(current)) {
    return served(core, profile, st, current, core.clock.now());
  }
  throw new CoreError(
    'revoked',
    `Profile "${profile.name}" was signed out or revoked in another window: the new token was discarded.`,
  );
}

/** Throws 'revoked' (the late answer is discarded) when the profile was revoked or signed out since `generation`. */
export function throwIfSuperseded(core: EngineCore, profile: Profile, generation: number): void {
  if (core.isCurrent(profile, generation)) return;
  core.report.log(`discarding a late answer for "${profile.name}": revoked or signed out meanwhile`);
  throw new CoreError(
    'revoked',
    `Profile "${profile.name}" was revoked or signed out meanwhile: the late token was discarded.`,
  );
}

/** Remembers the failure for the profile's backoff and reports it; the timers decide when to try again. */
function recordFailure(core: EngineCore, profile: Profile, failure: CoreError, background: boolean): void {
  const st = core.stateOf(profile.id);
  st.failure = failure;
  st.failures++;
  st.retryAt = refreshRetryAt(failure, st.failures, core.clock.now(), core.random);
  core.report.log(
    `refresh of "${profile.name}" failed (${failure.code}${failure.apiCode ? ` ${failure.apiCode}` : ''}): ${failure.message}`,
  );
  core.report.fail(profile.id, failure, background);
  core.check(profile.id);
}
