// The engine's user-facing failures, worded once: what happened, to which profile, and what to do next.
// Only profile names, origins, client ids and token ids appear; never a value.
import { CoreError, type FailureAction } from './errors';
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
    return new CoreError('long_expired', `The long-term token of "${profileName}" has expired: issue a new one.`, { action: 'issue' });
  }
  const message = why === 'revoked'
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
