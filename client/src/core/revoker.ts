// Revoking at the server, now or later: a revoke that fails where waiting can help (network, timeout, 5xx, 429,
// untrusted workspace) is retried with capped exponential backoff on the injected clock, never sooner than the
// server's Retry-After. Any other answer (403, 400, a malformed reply) ends the job: asking again cannot change it.
// 404 (already revoked) and 401 (the bearer is dead, and so is the token or its parent) count as done.
// Every job is handed to the journal (pendingRevokes.ts) before its first try and taken out when it ends, so a
// window that closes with a revoke unfinished lets the next start say which tokens may still be live.
// A revoke the user cancels is aborted at once (it is idempotent: sending it again is harmless) and queued like one
// that failed on the network: the token is no longer held here, so it must still end at the server.
import type { AuthClient } from '../api/authClient';
import { backoffDelay } from '../api/backoff';
import { isC2mApiError } from '../api/errors';
import type { Clock } from './clock';
import type { OperationControl } from './operation';
import { CoreError } from './errors';
import type { Profile } from './profile';
import { isLocalTokenId } from './secretRecords';
import type { Disposable, TokenKind } from './tokenService';

/** A token to revoke: which one, with which bearer, and what the user is told about it if that fails. */
export interface RevokeTarget {
  tokenId: string;
  kind: TokenKind;
  /** A token with tokens:revoke: the token itself, or the long-term token a short-term one came from. */
  bearer: string;
  scopes: string[];
  /** Local epoch ms: until then the token works at the server unless revoked. */
  expiresAt: number;
  /** Tried when tokenId gets 404: the body's token_id of a 201 whose two ids disagreed. */
  fallbackId?: string;
}

export interface RevokeJob extends RevokeTarget {
  profileId: string;
  /** Where the bearer may be sent (the base URL it was issued for). */
  baseUrl: string;
}

/**
 * done: the server revoked it (or it was dead already); refused: the server will not, it stays valid until it
 * expires; pending: queued, retried later; untracked: the server gave it no id, it dies with its parent or expiry.
 */
export type RevokeOutcome = 'done' | 'refused' | 'pending' | 'untracked';

export interface RevokeResult {
  outcome: RevokeOutcome;
  error?: CoreError;
}

/** Keeps jobs across window restarts (secret storage: a job holds its bearer). */
export interface RevokeJournal {
  add(job: RevokeJob): Promise<void>;
  remove(tokenId: string): Promise<void>;
}

export interface RevokerDeps {
  clock: Clock;
  random: () => number;
  clientFor(baseUrl: string): AuthClient;
  /** The profile as configured now; undefined once removed (its pending revokes are dropped). */
  profileOf(profileId: string): Profile | undefined;
  networkAllowed(profile: Profile): boolean;
  log(line: string): void;
  /** toCoreError with the engine's clock and every secret it knows masked (a server may echo one in any answer). */
  coreErrorOf(error: unknown, what: string): CoreError;
  /** Reports a failure (onDidFail); `background` as in TokenFailure. */
  fail(profileId: string, error: CoreError, background: boolean): void;
  /** Tracks background work so the engine's idle() can wait for it. */
  track(work: Promise<unknown>): void;
  journal: RevokeJournal;
  /** Every ending of a job, first try or retry: the audit trail records it. `pending` only for a first try. */
  settled(job: RevokeJob, outcome: RevokeOutcome): void;
  /** Marks the profile as revoking while `work` runs (the views show it). */
  busy<T>(profileId: string, work: () => Promise<T>): Promise<T>;
}

/** The caller's cancel and progress, for a revoke sent now. */
export type RevokeControl = Pick<OperationControl, 'signal' | 'onProgress'>;

export const REVOKE_RETRY_BASE_MS = 10_000;
export const REVOKE_RETRY_CAP_MS = 15 * 60_000;
export const REVOKE_MAX_ATTEMPTS = 10;

/** One try's outcome: done, or the error and whether (and not before when) trying again can help. */
type Attempt = 'done' | { error: CoreError; retry: boolean; notBeforeMs?: number; cancelled?: boolean };

/** Waiting can fix these: no answer, a server error, or the server asking us to slow down. */
function worthRetrying(error: unknown): boolean {
  if (!isC2mApiError(error)) return false;
  if (error.kind === 'network' || error.kind === 'timeout') return true;
  return error.kind === 'http' && error.status !== undefined && (error.status >= 500 || error.status === 429);
}

export class Revoker implements Disposable {
  private readonly jobs = new Map<string, { job: RevokeJob; timer: Disposable }>();
  private disposed = false;

  constructor(private readonly deps: RevokerDeps) {}

  /**
   * Revokes now. Unless done, the error is returned (and reported as a failure event with `background`, for
   * callers that do not throw it), and a retry is scheduled if waiting can help.
   */
  async revoke(
    profile: Profile,
    target: RevokeTarget,
    background: boolean,
    control?: RevokeControl,
  ): Promise<RevokeResult> {
    const job: RevokeJob = { ...target, scopes: [...target.scopes], profileId: profile.id, baseUrl: profile.baseUrl };
    const { tokenId } = job;
    if (isLocalTokenId(tokenId)) {
      // The server gave this token no id, so there is nothing to name in a revoke; it dies with its long-term
      // token or at its expiry.
      this.deps.log(`token ${tokenId} (${profile.name}) has no server id: dropped here, not revoked at the server`);
      this.deps.settled(job, 'untracked');
      return { outcome: 'untracked' };
    }
    await this.deps.journal.add(job);
    return this.first(profile, job, background, control);
  }

  /** A job the journal kept from an earlier window: tried again now, then like any other. */
  async resume(profile: Profile, job: RevokeJob): Promise<RevokeResult> {
    return this.first(profile, job, true);
  }

  private async first(
    profile: Profile,
    job: RevokeJob,
    background: boolean,
    control?: RevokeControl,
  ): Promise<RevokeResult> {
    const { tokenId } = job;
    const outcome: Attempt = this.deps.networkAllowed(profile)
      ? await this.attempt(job, control)
      : {
          retry: true,
          error: new CoreError(
            'network_blocked',
            `Token ${tokenId} of "${profile.name}" is no longer used here, but it could not be revoked at the server: ` +
              'this base URL comes from workspace settings and the workspace is not trusted.',
            { action: 'retry' },
          ),
        };
    if (outcome === 'done') {
      await this.end(job, 'done');
      return { outcome: 'done' };
    }
    if (outcome.retry) {
      this.schedule(job, 1, outcome.notBeforeMs);
      this.deps.log(`revoke of token ${tokenId} (${profile.name}) failed, will retry: ${outcome.error.message}`);
      this.deps.settled(job, 'pending');
    } else {
      this.deps.log(`revoke of token ${tokenId} (${profile.name}) failed, not retried: ${outcome.error.message}`);
      await this.end(job, 'refused');
    }
    // The user who cancelled is told by the command; a failure event would tell them again.
    if (!outcome.cancelled) this.deps.fail(profile.id, outcome.error, background);
    return { outcome: outcome.retry ? 'pending' : 'refused', error: outcome.error };
  }

  /** The job is over (done, refused, or given up): out of the journal, into the audit trail. */
  private async end(job: RevokeJob, outcome: 'done' | 'refused'): Promise<void> {
    this.deps.settled(job, outcome);
    await this.deps.journal.remove(job.tokenId);
  }

  pending(): { profileId: string; tokenId: string }[] {
    return [...this.jobs.values()].map(({ job }) => ({ profileId: job.profileId, tokenId: job.tokenId }));
  }

  dispose(): void {
    this.disposed = true;
    for (const entry of this.jobs.values()) entry.timer.dispose();
    this.jobs.clear();
  }

  private async attempt(job: RevokeJob, control?: RevokeControl): Promise<Attempt> {
    try {
      await this.deps.busy(job.profileId, () => this.revokeEither(job, control));
      return 'done';
    } catch (error) {
      if (isC2mApiError(error) && error.kind === 'aborted') {
        return {
          retry: true,
          cancelled: true,
          error: new CoreError(
            'aborted',
            `Cancelled revoking token ${job.tokenId} at the server. It is no longer used here; the revoke is retried in the background ` +
              `(until it succeeds, it works at the server, at most until ${new Date(job.expiresAt).toISOString()}).`,
            { retryable: true },
          ),
        };
      }
      if (isC2mApiError(error) && (error.status === 404 || error.status === 401)) {
        this.deps.log(`token ${job.tokenId} was already revoked or expired at the server (${error.status})`);
        return 'done';
      }
      const failure = this.deps.coreErrorOf(error, `Revoking token ${job.tokenId} failed`);
      if (!worthRetrying(error)) {
        return {
          retry: false,
          error: new CoreError(
            failure.code,
            `${failure.message} It is no longer used here, but the server refused to revoke it and asking again cannot ` +
              `change that: ${stillValid(job)}`,
            {
              ...(failure.apiCode !== undefined ? { apiCode: failure.apiCode } : {}),
              ...(failure.status !== undefined ? { status: failure.status } : {}),
            },
          ),
        };
      }
      const notBeforeMs = isC2mApiError(error) ? error.retryAfterMs : undefined;
      return {
        retry: true,
        ...(notBeforeMs !== undefined ? { notBeforeMs } : {}),
        error: new CoreError(
          failure.code,
          `${failure.message} It is no longer used here; the revoke will be retried (until it succeeds, it works at the server, at most until ${new Date(job.expiresAt).toISOString()}).`,
          {
            retryable: true,
            action: 'retry',
            ...(failure.apiCode !== undefined ? { apiCode: failure.apiCode } : {}),
            ...(failure.status !== undefined ? { status: failure.status } : {}),
          },
        ),
      };
    }
  }

  /** Revokes by the job's id; on 404, by its fallback id, if it has one. */
  private async revokeEither(job: RevokeJob, control?: RevokeControl): Promise<void> {
    const client = this.deps.clientFor(job.baseUrl);
    const step = job.kind === 'long' ? 'revoke_long' : 'revoke_short';
    const call = {
      ...(control?.signal ? { signal: control.signal } : {}),
      onTry: (attempt: number, tries: number) => control?.onProgress?.({ step, attempt, tries }),
    } as const;
    try {
      await client.revokeToken(job.tokenId, job.bearer, call);
      this.deps.log(`revoked token ${job.tokenId} at the server`);
    } catch (error) {
      if (job.fallbackId === undefined || !isC2mApiError(error) || error.status !== 404) throw error;
      this.deps.log(
        `the server knows no token ${job.tokenId} (404): revoking by the response body's id ${job.fallbackId}`,
      );
      await client.revokeToken(job.fallbackId, job.bearer, call);
      this.deps.log(`revoked token ${job.fallbackId} at the server`);
    }
  }

  private schedule(job: RevokeJob, attempts: number, notBeforeMs = 0): void {
    this.jobs.get(job.tokenId)?.timer.dispose();
    const backoff = backoffDelay(attempts, this.deps.random, REVOKE_RETRY_BASE_MS, REVOKE_RETRY_CAP_MS);
    // The server's Retry-After is a floor, not capped: sending sooner would only be refused again.
    const delay = Math.max(1000, backoff, notBeforeMs);
    const timer = this.deps.clock.setTimer(delay, () => this.deps.track(this.retry(job, attempts)));
    this.jobs.set(job.tokenId, { job, timer });
  }

  private async retry(job: RevokeJob, attempts: number): Promise<void> {
    const profile = this.deps.profileOf(job.profileId);
    // An untrusted workspace is not an error to report again: the job just waits for trust.
    let outcome: Attempt | 'blocked' = 'done';
    if (profile && !this.deps.networkAllowed(profile)) outcome = 'blocked';
    else if (profile) {
      outcome = await this.attempt(job);
      if (outcome !== 'done') {
        if (!outcome.retry)
          this.deps.log(`revoke of token ${job.tokenId} failed, not retried: ${outcome.error.message}`);
        this.deps.fail(job.profileId, outcome.error, true);
      }
    }
    if (this.disposed || this.jobs.get(job.tokenId)?.job !== job) return;
    if (outcome === 'done') {
      this.jobs.delete(job.tokenId);
      await this.end(job, 'done');
    } else if (attempts >= REVOKE_MAX_ATTEMPTS || (outcome !== 'blocked' && !outcome.retry)) {
      this.jobs.delete(job.tokenId);
      if (attempts >= REVOKE_MAX_ATTEMPTS && profile) {
        this.deps.fail(
          job.profileId,
          new CoreError(
            'api',
            `Revoking token ${job.tokenId} was given up after ${attempts} tries: ${stillValid(job)}`,
          ),
          true,
        );
      }
      await this.end(job, 'refused');
    } else if (outcome === 'blocked') this.schedule(job, attempts + 1);
    else this.schedule(job, attempts + 1, outcome.notBeforeMs);
  }
}

/** Which token stays usable at the server, until when, and what the user can do about it. */
export function stillValid(job: Pick<RevokeTarget, 'tokenId' | 'kind' | 'expiresAt'>): string {
  const until = new Date(job.expiresAt).toISOString();
  const which = job.kind === 'long' ? 'long-term token' : 'short-term token';
  const children = job.kind === 'long' ? ', and so do the short-term tokens issued from it' : '';
  return (
    `The ${which} ${job.tokenId} stays valid at the server until ${until}${children}. To end it sooner, revoke it at the server ` +
    '(or ask its administrator); to let this profile revoke its own tokens, add tokens:revoke to its scopes ' +
    '(Edit Profile) and issue a new long-term token.'
  );
}
