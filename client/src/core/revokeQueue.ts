// Revokes that failed (network, 5xx) and must be retried later, with capped exponential backoff on the injected
// clock. Jobs live in memory only: their bearer is a token value, which must not be written anywhere else.
import { backoffDelay } from '../api/backoff';
import type { Clock } from './clock';
import type { Disposable } from './tokenService';

export interface RevokeJob {
  profileId: string;
  tokenId: string;
  /** Where the bearer may be sent (the base URL it was issued for). */
  baseUrl: string;
  bearer: string;
}

/** 'done' (revoked, already revoked, or pointless to retry) or 'retry'. */
export type RevokeAttempt = (job: RevokeJob) => Promise<'done' | 'retry'>;

export const REVOKE_RETRY_BASE_MS = 10_000;
export const REVOKE_RETRY_CAP_MS = 15 * 60_000;
export const REVOKE_MAX_ATTEMPTS = 10;

export class RevokeQueue implements Disposable {
  private readonly jobs = new Map<string, { job: RevokeJob; attempts: number; timer: Disposable }>();
  private disposed = false;

  constructor(
    private readonly clock: Clock,
    private readonly random: () => number,
    private readonly attempt: RevokeAttempt,
    /** Tracks background work so the engine's idle() can wait for it. */
    private readonly track: (work: Promise<unknown>) => void,
  ) {}

  /** Schedules a retry of a revoke that just failed once. */
  add(job: RevokeJob): void {
    this.jobs.get(job.tokenId)?.timer.dispose();
    this.arm(job, 1);
  }

  pending(): RevokeJob[] {
    return [...this.jobs.values()].map((entry) => entry.job);
  }

  /** Forget jobs of a profile (e.g. removed): their tokens expire on their own. */
  dropProfile(profileId: string): void {
    for (const [id, entry] of this.jobs) {
      if (entry.job.profileId !== profileId) continue;
      entry.timer.dispose();
      this.jobs.delete(id);
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const entry of this.jobs.values()) entry.timer.dispose();
    this.jobs.clear();
  }

  private arm(job: RevokeJob, attempts: number): void {
    const delay = Math.max(1000, backoffDelay(attempts, this.random, REVOKE_RETRY_BASE_MS, REVOKE_RETRY_CAP_MS));
    const timer = this.clock.setTimer(delay, () => this.track(this.run(job, attempts)));
    this.jobs.set(job.tokenId, { job, attempts, timer });
  }

  private async run(job: RevokeJob, attempts: number): Promise<void> {
    const outcome = await this.attempt(job).catch(() => 'retry' as const);
    if (this.disposed || this.jobs.get(job.tokenId)?.job !== job) return;
    if (outcome === 'done' || attempts >= REVOKE_MAX_ATTEMPTS) this.jobs.delete(job.tokenId);
    else this.arm(job, attempts + 1);
  }
}
