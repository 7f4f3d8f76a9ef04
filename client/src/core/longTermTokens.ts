// Issue and rotate of a long-term token (the engine runs them one at a time per profile). Invariants: the old token
// stays in place until the new one is stored; the new one is stored under compare-and-set, and when another window
// wrote the slot meanwhile (or revoked, or signed out) its record wins and the token just issued is revoked at once,
// so no live token is left that nobody holds; the old token is revoked only after the new one is stored.
import type { IssuedToken } from '../api/types';
import { callOptions, isAbort } from './apiCalls';
import type { EngineCore } from './engineCore';
import { cancelledError, credentialsRejectedError } from './engineErrors';
import { CoreError } from './errors';
import { buildGrant } from './grants';
import type { FlightControl } from './operation';
import type { Profile } from './profile';
import { clearFailure, isActive } from './profileState';
import * as revocation from './revocation';
import { activeRecordBody, isBoundTo, type Binding } from './secretRecords';
import { tokenInfoOf } from './tokenInfo';
import type { TokenInfo } from './tokenService';

export interface LongTermDeps {
  /** Asked for a one-time code when the profile's mechanism is OTP; undefined = cancelled. */
  otpCode(profile: Profile): Promise<string | undefined>;
  /** The profile's short-term token, for the step-up mechanism (a short-term token with scope tokens:write). */
  shortTermToken(profile: Profile, flight?: FlightControl): Promise<string>;
}

export async function replaceLongTermToken(
  core: EngineCore,
  deps: LongTermDeps,
  profileId: string,
  action: 'issue' | 'rotate',
  flight?: FlightControl,
): Promise<TokenInfo> {
  const profile = core.requireProfile(profileId);
  await core.ready();
  const binding = core.requireBinding(profile);
  core.requireNetwork(profile);
  await core.requireCurrentCopy(profile, true);
  const { record: previous, version: previousVersion } = await core.records.readToken(profile.id, 'long');
  const old = isActive(previous) && isBoundTo(previous, binding) ? previous : undefined;
  let issued: IssuedToken;
  try {
    const grant = await buildGrant(
      {
        records: core.records,
        otpCode: (p) => deps.otpCode(p),
        shortTermToken: (p) => deps.shortTermToken(p, flight),
      },
      profile,
      binding,
    );
    issued = await core.activities.run(profile.id, 'issuing', () =>
      core.clients.for(profile.baseUrl).issueLongTermToken(grant, {
        scopes: profile.scopes,
        ...(profile.ttlDays !== undefined ? { ttlSeconds: Math.round(profile.ttlDays * 86_400) } : {}),
        ...callOptions(flight, action === 'rotate' ? 'rotate_long' : 'issue_long'),
      }),
    );
  } catch (error) {
    // Nothing was issued: every caller cancelled before the request left (or while the step-up exchange ran).
    if (isAbort(error) || flight?.signal.aborted) throw cancelledError(profile.name, action);
    const verb = action === 'rotate' ? 'Rotating' : 'Issuing';
    const failure = core.report.coreErrorOf(error, `${verb} the long-term token of "${profile.name}" failed`);
    core.report.log(failure.message);
    throw credentialsRejectedError(profile, failure) ?? failure; // The old token, if any, stays in place.
  }
  const body = activeRecordBody(issued, binding);
  let stored: boolean;
  try {
    stored = await core.records.writeToken(profile.id, 'long', body, previousVersion);
  } catch (error) {
    throw await revocation.disown(
      core,
      profile,
      revocation.revokeTargetOf('long', body, issued.accessToken),
      error,
      old ? 'The long-term token stored before stays in place.' : '',
    );
  }
  if (!stored) return discardLostLongTermToken(core, profile, binding, issued);
  const st = core.stateOf(profile.id);
  clearFailure(st);
  core.report.auditToken(action, profile, 'long', body);
  core.report.skew(profile, st, issued);
  core.report.idsDisagree(profile, issued);
  await core.load(profile.id);
  if (old && old.tokenId !== body.tokenId) {
    // The new token is stored: a failed (or cancelled) revoke of the old one is retried later and reported, not thrown.
    // Cancelled before the new token arrived: the rotation is finished now all the same, its revoke sent at once.
    await core.revoker.revoke(
      profile,
      revocation.revokeTargetOf('long', old, old.accessToken),
      true,
      flight?.signal.aborted ? undefined : flight,
    );
  }
  return tokenInfoOf(profile.id, 'long', body, { now: core.clock.now(), warningMs: core.warningMs() });
}

/** Another window wrote the long-term slot while this one was issuing: revoke ours, show theirs. */
async function discardLostLongTermToken(
  core: EngineCore,
  profile: Profile,
  binding: Binding,
  issued: IssuedToken,
): Promise<TokenInfo> {
  const body = activeRecordBody(issued, binding);
  core.report.log(
    `another window changed the long-term token of "${profile.name}" meanwhile; revoking the one just issued (${body.tokenId})`,
  );
  await core.revoker.revoke(profile, revocation.revokeTargetOf('long', body, issued.accessToken), true);
  await core.load(profile.id);
  await core.requireCurrentCopy(profile);
  const { record } = await core.records.readToken(profile.id, 'long');
  if (isActive(record) && isBoundTo(record, binding))
    return tokenInfoOf(profile.id, 'long', record, { now: core.clock.now(), warningMs: core.warningMs() });
  throw new CoreError(
    'revoked',
    `Profile "${profile.name}" was signed out or revoked in another window: the new long-term token was revoked.`,
  );
}
