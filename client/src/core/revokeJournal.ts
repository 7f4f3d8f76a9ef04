// The revokes not finished yet, kept in the SecretStore (a job holds its bearer, a token value, so it may live
// nowhere else) under one key shared by the windows: each window adds and removes its own entries by token id.
// If the window closes first, the next start finds them, says which tokens may still be live and tries again.
// If the store refuses a write, the entry stays in memory, the user is told which token ids may be live, and the
// write is tried again with the next change.
import type { RevokeJob, RevokeJournal } from './revoker';
import type { SecretStore } from './secretStore';

export const REVOKE_JOURNAL_KEY = 'c2m/revoke-journal';

type Change = { add: RevokeJob } | { remove: string };

const isString = (x: unknown): x is string => typeof x === 'string' && x.length > 0;

function isJob(x: unknown): x is RevokeJob {
  if (typeof x !== 'object' || x === null) return false;
  const o = x as Record<string, unknown>;
  return (
    isString(o.profileId) &&
    isString(o.tokenId) &&
    isString(o.baseUrl) &&
    isString(o.bearer) &&
    (o.kind === 'long' || o.kind === 'short') &&
    Array.isArray(o.scopes) &&
    o.scopes.every(isString) &&
    typeof o.expiresAt === 'number' &&
    Number.isFinite(o.expiresAt)
  );
}

/** The stored jobs; a damaged entry (or value) is skipped, never thrown. */
export function decodeJournal(raw: string | undefined): RevokeJob[] {
  if (raw === undefined) return [];
  try {
    const value: unknown = JSON.parse(raw);
    const jobs = typeof value === 'object' && value !== null ? (value as { jobs?: unknown }).jobs : undefined;
    return Array.isArray(jobs) ? jobs.filter(isJob) : [];
  } catch {
    return [];
  }
}

/** Jobs found at start: by profile, and apart those whose token has expired (dead at the server: nothing to say or send). */
export function sortUnfinished(
  jobs: readonly RevokeJob[],
  now: number,
): { expired: RevokeJob[]; live: Map<string, RevokeJob[]> } {
  const expired: RevokeJob[] = [];
  const live = new Map<string, RevokeJob[]>();
  for (const job of jobs) {
    if (now >= job.expiresAt) expired.push(job);
    else live.set(job.profileId, [...(live.get(job.profileId) ?? []), job]);
  }
  return { expired, live };
}

export class SecretRevokeJournal implements RevokeJournal {
  /** Changes the store has not taken yet, oldest first. */
  private unsaved: Change[] = [];
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: SecretStore,
    /** A write failed: these token ids may be live and are only remembered by this window until a write succeeds. */
    private readonly onUnsaved: (jobs: RevokeJob[], error: unknown) => void,
  ) {}

  /** Every job in the store (from this window or one that closed). */
  async read(): Promise<RevokeJob[]> {
    return decodeJournal(await this.store.get(REVOKE_JOURNAL_KEY));
  }

  add(job: RevokeJob): Promise<void> {
    return this.change({ add: job });
  }

  remove(tokenId: string): Promise<void> {
    return this.change({ remove: tokenId });
  }

  /** Jobs this window holds that the store does not have yet. */
  unsavedJobs(): RevokeJob[] {
    const jobs = new Map<string, RevokeJob>();
    for (const c of this.unsaved) {
      if ('add' in c) jobs.set(c.add.tokenId, c.add);
      else jobs.delete(c.remove);
    }
    return [...jobs.values()];
  }

  private change(change: Change): Promise<void> {
    const run = async (): Promise<void> => {
      this.unsaved.push(change);
      try {
        const jobs = new Map((await this.read()).map((j) => [j.tokenId, j]));
        const before = JSON.stringify([...jobs.values()]);
        for (const c of this.unsaved) {
          if ('add' in c) jobs.set(c.add.tokenId, c.add);
          else jobs.delete(c.remove);
        }
        const list = [...jobs.values()];
        if (JSON.stringify(list) !== before) {
          if (list.length === 0) await this.store.delete(REVOKE_JOURNAL_KEY);
          else await this.store.store(REVOKE_JOURNAL_KEY, JSON.stringify({ v: 1, jobs: list }));
        }
        this.unsaved = [];
      } catch (error) {
        const pending = this.unsavedJobs();
        if (pending.length > 0) this.onUnsaved(pending, error);
      }
    };
    const next = this.chain.then(run, run);
    this.chain = next;
    return next;
  }
}
