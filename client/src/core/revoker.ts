// Revoking at the server, now or later: a revoke that fails where waiting can help (network, timeout, 5xx, 429,
// untrusted workspace) is retried with capped exponential backoff on the injected clock, never sooner than the
// server's Retry-After. Any other answer (403, 400, a malformed reply) ends the job: asking again cannot change it.
// Jobs live in memory only: their bearer is a token value, which must not be written anywhere else. 404 (already
// revoked) and 401 (the bearer is dead, and so is the token or its parent) count as done.
import type { AuthClient } from '../api/authClient';
import { backoffDelay } from '../api/backoff';
import { isC2mApiError } from '../api/errors';
import type { Clock } from './clock';
import { CoreError } from './errors';
import type { Profile } from './profile';
import { isLocalTokenId } from './secretRecords';
import type { Disposable } from './tokenService';

export interface RevokeJob {
  profileId: string;
  tokenId: string;
  /** Where the bearer may be sent (the base URL it was issued for). */
  baseUrl: string;
  bearer: string;
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
}

export const REVOKE_RETRY_BASE_MS = 10_000;
export const REVOKE_RETRY_CAP_MS = 15 * 60_000;
export const REVOKE_MAX_ATTEMPTS = 10;

/** One try's outcome: done, or the error and whether (and not before when) trying again can help. */
type Attempt = 'done' | { error: CoreError; retry: boolean; notBeforeMs?: number };

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
   * Revokes now; undefined when done. Otherwise the error is returned (and reported as a failure event with
   * `background`, for callers that do not throw it), and a retry is scheduled if waiting can help.
   */
  async revoke(profile: Profile, tokenId: string, bearer: string, background: boolean): Promise<CoreError | undefined> {
    const job: RevokeJob = { profileId: profile.id, tokenId, baseUrl: profile.baseUrl, bearer };
    if (isLocalTokenId(tokenId)) {
      // The server gave this token no id, so there is nothing to name in a revoke; it dies with its long-term
      // token or at its expiry.
      this.deps.log(`token ${tokenId} (${profile.name}) has no server id: dropped here, not revoked at the server`);
      return undefined;
    }
    const outcome: Attempt = this.deps.networkAllowed(profile)
      ? await this.attempt(job)
      : {
        retry: true,
        error: new CoreError(
          'network_blocked',
          `Token ${tokenId} of "${profile.name}" is no longer used here, but it could not be revoked at the server: ` +
            'this base URL comes from workspace settings and the workspace is not trusted.',
          { action: 'retry' },
        ),
      };
    if (outcome === 'done') return undefined;
    if (outcome.retry) {
      this.schedule(job, 1, outcome.notBeforeMs);
      this.deps.log(`revoke of token ${tokenId} (${profile.name}) failed, will retry: ${outcome.error.message}`);
    } else {
      this.deps.log(`revoke of token ${tokenId} (${profile.name}) failed, not retried: ${outcome.error.message}`);
    }
    this.deps.fail(profile.id, outcome.error, background);
    return outcome.error;
  }

  pending(): { profileId: string; tokenId: string }[] {
    return [...this.jobs.values()].map(({ job }) => ({ profileId: job.profileId, tokenId: job.tokenId }));
  }

  dispose(): void {
    this.disposed = true;
    for (const entry of this.jobs.values()) entry.timer.dispose();
    this.jobs.clear();
  }

  private async attempt(job: RevokeJob): Promise<Attempt> {
    try {
      await this.deps.clientFor(job.baseUrl).revokeToken(job.tokenId, job.bearer);
      this.deps.log(`revoked token ${job.tokenId} at the server`);
      return 'done';
    } catch (error) {
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
              'change that: it stays valid at the server until it expires (revoke it there if it may have leaked).',
            { ...(failure.apiCode !== undefined ? { apiCode: failure.apiCode } : {}), ...(failure.status !== undefined ? { status: failure.status } : {}) },
          ),
        };
      }
      const notBeforeMs = isC2mApiError(error) ? error.retryAfterMs : undefined;
      return {
        retry: true,
        ...(notBeforeMs !== undefined ? { notBeforeMs } : {}),
        error: new CoreError(failure.code, `${failure.message} It is no longer used here; the revoke will be retried.`, {
          retryable: true, action: 'retry',
          ...(failure.apiCode !== undefined ? { apiCode: failure.apiCode } : {}),
          ...(failure.status !== undefined ? { status: failure.status } : {}),
        }),
      };
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
        if (!outcome.retry) this.deps.log(`revoke of token ${job.tokenId} failed, not retried: ${outcome.error.message}`);
        this.deps.fail(job.profileId, outcome.error, true);
      }
    }
    if (this.disposed || this.jobs.get(job.tokenId)?.job !== job) return;
    if (outcome === 'done' || attempts >= REVOKE_MAX_ATTEMPTS) this.jobs.delete(job.tokenId);
    else if (outcome === 'blocked') this.schedule(job, attempts + 1);
    else if (outcome.retry) this.schedule(job, attempts + 1, outcome.notBeforeMs);
    else this.jobs.delete(job.tokenId);
  }
}
