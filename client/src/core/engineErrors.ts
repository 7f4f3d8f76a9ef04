// The engine's user-facing failures, worded once: what happened, to which profile, and what to do next.
// Only profile names, origins, client ids and token ids appear; never a value.
import { CoreError, type FailureAction } from './errors';
import type { Profile } from './profile';
import { placeOf, type Binding, type RecordSlot } from './secretRecords';

export function originChangedError(profileName: string, now: Binding | undefined, stored: Binding): CoreError {
  const target = now ? `${placeOf(now)} (client ${now.clientId})` : 'an unusable base URL';
  return new CoreError(
    'origin_changed',
    `The base URL or client id of profile "${profileName}" changed: its tokens belong to ${placeOf(stored)} ` +
      `(client ${stored.clientId}) and are not sent to ${target}. Issue a new long-term token.`,
    { action: 'issue' },
  );
}

export function reissueNeededError(profileName: string): CoreError {
  return new CoreError(
    'reissue_needed',
    `The server rejected the long-term token of "${profileName}" (401), also after re-reading storage: issue a new one.`,
    { action: 'issue', status: 401, apiCode: 'invalid_token' },
  );
}

export function longTokenUnusableError(profileName: string, why: 'absent' | 'revoked' | 'expired'): CoreError {
  if (why === 'expired') {
    return new CoreError('long_expired', `The long-term token of "${profileName}" has expired: issue a new one.`, {
      action: 'issue',
    });
  }
  const message =
    why === 'revoked'
      ? `The long-term token of "${profileName}" was revoked: issue a new one.`
      : `Profile "${profileName}" has no long-term token: issue one first.`;
  return new CoreError('no_long_token', message, { action: 'issue' });
}

export function networkBlockedError(profileName: string): CoreError {
  return new CoreError(
    'network_blocked',
    `Profile "${profileName}" uses a base URL from workspace settings, and this workspace is not trusted: no request was sent.`,
  );
}

const SLOT_WORDS: Record<RecordSlot, { what: string; fix: string; action: FailureAction }> = {
  long: { what: 'long-term token', fix: 'issue a new token', action: 'issue' },
  short: { what: 'short-term token', fix: 'issue a new token', action: 'issue' },
  client_secret: { what: 'client secret', fix: 'set it again', action: 'setClientSecret' },
  private_key: { what: 'private key', fix: 'set it again', action: 'setPrivateKey' },
};

export function unreadableRecordError(profileName: string, slot: RecordSlot): CoreError {
  const { what, fix, action } = SLOT_WORDS[slot];
  return new CoreError(
    'unreadable',
    `The stored ${what} of profile "${profileName}" could not be read (damaged, or written by a newer version): ` +
      `it is treated as signed out; ${fix}.`,
    { action },
  );
}

const REJECTED: Record<
  Exclude<Profile['mechanism'], 'short_term'>,
  { what: string; fix: string; action: FailureAction }
> = {
  client_secret: { what: 'the client secret', fix: 'set the right one, then issue again', action: 'setClientSecret' },
  otp: {
    what: 'the one-time code',
    fix: 'a code works once and for a short time: issue again with a new code',
    action: 'newCode',
  },
  assertion: {
    what: 'the signed assertion',
    fix: 'the private key stored here may not be the one registered for this client: set it again',
    action: 'setPrivateKey',
  },
};

/**
 * A 400 or 401 from the long-term endpoint, for the user: servers differ in which of the two they send for a wrong
 * credential (RFC 6749 allows both), and some 401 texts speak of an expired token, which would send the user the
 * wrong way. So the message is ours and names the credential to fix; the server's own words are in the log.
 * undefined when the failure is something else (invalid_scope and invalid_request keep the server's message).
 */
export function credentialsRejectedError(profile: Profile, failure: CoreError): CoreError | undefined {
  if (failure.code !== 'api' || (failure.status !== 400 && failure.status !== 401)) return undefined;
  // A malformed field or a scope the client may not hold is no credential problem: the server's message says more.
  if (
    failure.apiCode === 'invalid_scope' ||
    failure.apiCode === 'invalid_request' ||
    profile.mechanism === 'short_term'
  )
    return undefined;
  const { what, fix, action } = REJECTED[profile.mechanism];
  return new CoreError(
    'credentials_rejected',
    `The server refused ${what} of profile "${profile.name}" (HTTP ${failure.status} ${failure.apiCode ?? ''}`.trimEnd() +
      `): ${fix}.`,
    { action, status: failure.status, ...(failure.apiCode !== undefined ? { apiCode: failure.apiCode } : {}) },
  );
}

/** Not a failure of the operation (the token is stored): told once, so the user knows why a revoke may try twice. */
export function idsDisagreeNotice(profileName: string, headerId: string, bodyId: string): CoreError {
  return new CoreError(
    'ids_disagree',
    `The server gave the new long-term token of "${profileName}" two ids (X-Token-Id ${headerId}, token_id ${bodyId}): ` +
      'it is stored and works; revoking it uses X-Token-Id, then token_id if the server does not know the first.',
  );
}

/** What a cancelled operation did not do, and what still happens to a request that had already left. */
export function cancelledError(profileName: string, what: 'issue' | 'rotate' | 'refresh' | 'sign_out'): CoreError {
  const text = {
    issue: `Cancelled issuing the long-term token of "${profileName}". If the request had already left, its answer is still awaited: a token the server issues is stored, not lost.`,
    rotate: `Cancelled rotating the long-term token of "${profileName}". If the request had already left, its answer is still awaited: a new token the server issues is stored (and the previous one revoked), not lost.`,
    refresh: `Cancelled refreshing the short-term token of "${profileName}": no further try is sent. A token the server still issues for a request already sent is stored.`,
    sign_out: `Signed out of "${profileName}" here; revoking its tokens at the server was cancelled and is retried in the background.`,
  }[what];
  return new CoreError('aborted', text);
}
