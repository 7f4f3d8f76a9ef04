// What the user is told when a token the server issued is not (or may not be) held by anybody: which token, until
// when it works, what became of it and what to do. Token ids and times only; never a value.
import { CoreError } from './errors';
import { stillValid, type RevokeJob, type RevokeOutcome, type RevokeTarget } from './revoker';

const kindWords = (kind: RevokeTarget['kind']): string => (kind === 'long' ? 'long-term token' : 'short-term token');
const until = (t: Pick<RevokeTarget, 'expiresAt'>): string => new Date(t.expiresAt).toISOString();

/** A token was issued but could not be stored: what was done so nobody is left with it live. */
export function disownedError(
  profileName: string,
  target: RevokeTarget,
  reason: string,
  outcome: RevokeOutcome,
  kept: string,
): CoreError {
  const head = `The new ${kindWords(target.kind)} ${target.tokenId} of "${profileName}" could not be stored (${reason})`;
  const fate: Record<RevokeOutcome, string> = {
    done: 'so it was revoked at the server at once: no token is left live that nobody holds.',
    refused: `and the server refused to revoke it. ${stillValid(target)}`,
    pending: `; its revoke is queued and retried, and until it succeeds it works at the server (at most until ${until(target)}).`,
    untracked: `and the server gave it no id to revoke it by: it works at the server until ${until(target)}.`,
  };
  const sep = outcome === 'pending' ? '' : ', ';
  return new CoreError('store_failed', `${head}${sep}${fate[outcome]}${kept ? ` ${kept}` : ''}`, { action: 'retry' });
}

function listOf(jobs: readonly RevokeJob[]): string {
  return jobs.map((j) => `${kindWords(j.kind)} ${j.tokenId} (valid until ${until(j)})`).join(', ');
}

/** At start: revokes a window that closed had not finished. */
export function unfinishedRevokesError(profileName: string, jobs: readonly RevokeJob[], retrying: boolean): CoreError {
  const next = retrying
    ? 'Revoking them again now.'
    : 'The profile is no longer configured, so nothing is sent: revoke them at the server if they may have leaked.';
  return new CoreError(
    'store_failed',
    `A revoke had not finished when C2M last stopped: ${listOf(jobs)} of "${profileName}" may still be live at the server. ${next}`,
  );
}

/** The list of unfinished revokes could not be saved: only this window knows of them. */
export function journalUnsavedError(jobs: readonly RevokeJob[], reason: string): CoreError {
  return new CoreError(
    'store_failed',
    `The list of unfinished revokes could not be saved to secret storage (${reason}): ${listOf(jobs)} may still be live ` +
      'at the server. This window keeps revoking them and saves the list again with the next change; if it closes first, they stay valid until the times shown.',
  );
}
