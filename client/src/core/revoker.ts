// Revoking at the server, now or later: a revoke that fails (network, 5xx, untrusted workspace) is retried with
// capped exponential backoff on the injected clock. Jobs live in memory only: their bearer is a token value,
// which must not be written anywhere else. 404 (already revoked) and 401 (the bearer is dead, and so is the
// token or its parent) count as done.
import type { AuthClient } from '../api/authClient';
import { backoffDelay } from '../api/backoff';
import { isC2mApiError } from '../api/errors';
import type { Clock } from './clock';
import type { TokenFailure } from './engineTypes';
import { CoreError, toCoreError } from './errors';
import type { Profile } from './profile';
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
  fail(failure: TokenFailure): void;
  /** Tracks background work so the engine's idle() can wait for it. */
  track(work: Promise<unknown>): void;
}

export const REVOKE_RETRY_BASE_MS = 10_000;
export const REVOKE_RETRY_CAP_MS = 15 * 60_000;
export const REVOKE_MAX_ATTEMPTS = 10;

export class Revoker implements Disposable {
  private readonly jobs = new Map<string, { job: RevokeJob; timer: Disposable }>();
  private disposed = false;

  constructor(private readonly deps: RevokerDeps) {}

  /**
   * Revokes now; undefined when done. Otherwise a retry is scheduled and the error returned (and reported as a
   * failure event with `background`, for callers that do not throw it).
   */
  async revoke(profile: Profile, tokenId: string, bearer: string, background: boolean): Promise<CoreError | undefined> {
    const job: RevokeJob = { profileId: profile.id, tokenId, baseUrl: profile.baseUrl, bearer };
    const outcome = this.deps.networkAllowed(profile)
      ? await this.attempt(job)
      : new CoreError(
        'network_blocked',
        `Token ${tokenId} of "${profile.name}" is no longer used here, but it could not be revoked at the server: ` +
          'this base URL comes from workspace settings and the workspace is not trusted.',
      );
    if (outcome === 'done') return undefined;
    this.schedule(job, 1);
    this.deps.log(`revoke of token ${tokenId} (${profile.name}) failed, will retry: ${outcome.message}`);
    this.deps.fail({ profileId: profile.id, error: outcome, action: 'retry', background });
    return outcome;
  }

  pending(): { profileId: string; tokenId: string }[] {
    return [...this.jobs.values()].map(({ job }) => ({ profileId: job.profileId, tokenId: job.tokenId }));
  }

  dispose(): void {
    this.disposed = true;
    for (const entry of this.jobs.values()) entry.timer.dispose();
    this.jobs.clear();
  }

  private async attempt(job: RevokeJob): Promise<'done' | CoreError> {
    try {
      await this.deps.clientFor(job.baseUrl).revokeToken(job.tokenId, job.bearer);
      this.deps.log(`revoked token ${job.tokenId} at the server`);
      return 'done';
    } catch (error) {
      if (isC2mApiError(error) && (error.status === 404 || error.status === 401)) {
        this.deps.log(`token ${job.tokenId} was already revoked or expired at the server (${error.status})`);
        return 'done';
      }
      const failure = toCoreError(error, `Revoking token ${job.tokenId} failed`, this.deps.clock.now());
      return new CoreError(failure.code, `${failure.message} It is no longer used here; the revoke will be retried.`, {
        retryable: true, action: 'retry',
      });
    }
  }

  private schedule(job: RevokeJob, attempts: number): void {
    this.jobs.get(job.tokenId)?.timer.dispose();
    const delay = Math.max(1000, backoffDelay(attempts, this.deps.random, REVOKE_RETRY_BASE_MS, REVOKE_RETRY_CAP_MS));
    const timer = this.deps.clock.setTimer(delay, () => this.deps.track(this.retry(job, attempts)));
    this.jobs.set(job.tokenId, { job, timer });
  }

  private async retry(job: RevokeJob, attempts: number): Promise<void> {
    const profile = this.deps.profileOf(job.profileId);
    let outcome: 'done' | 'retry' = 'done';
    if (profile) {
      const result = this.deps.networkAllowed(profile) ? await this.attempt(job) : 'retry';
      if (result instanceof CoreError) this.deps.fail({ profileId: job.profileId, error: result, action: 'retry', background: true });
      outcome = result === 'done' ? 'done' : 'retry';
    }
    if (this.disposed || this.jobs.get(job.tokenId)?.job !== job) return;
    if (outcome === 'done' || attempts >= REVOKE_MAX_ATTEMPTS) this.jobs.delete(job.tokenId);
    else this.schedule(job, attempts + 1);
  }
}
