// How a caller follows and cancels a token operation, without the core knowing any UI: plain callbacks and an
// AbortSignal. Steps and try numbers come from where the work happens (the API client's retry policy reports each
// try), so a progress display never guesses them.
import type { TokenInfo } from './tokenService';

/** What is being sent to the server right now. */
export type OperationStep = 'issue_long' | 'rotate_long' | 'refresh_short' | 'revoke_long' | 'revoke_short';

export interface OperationProgress {
  step: OperationStep;
  /** 1-based try of this step, of `tries` the retry policy allows. */
  attempt: number;
  tries: number;
}

/** The end of work a caller stopped waiting for: a request already sent was answered after all (or failed). */
export type LateOutcome = { ok: true; info?: TokenInfo } | { ok: false; error: unknown };

export interface OperationControl {
  /**
   * Cancels. What was not sent is not sent, retries stop, and the call rejects at once with CoreError 'aborted'. A
   * request that may have left and whose answer creates a token still gets its answer: that token is stored as if
   * the call had not been cancelled (or revoked if something else replaced it meanwhile), never left unheld.
   */
  signal?: AbortSignal;
  /** Each request as it starts. */
  onProgress?: (progress: OperationProgress) => void;
  /** After a cancel: how the work ended once its answer came. */
  onLateOutcome?: (outcome: LateOutcome) => void;
}

/** What a profile is busy with, for the views ("issuing…"); background refreshes and revoke retries included. */
export type Activity = 'issuing' | 'refreshing' | 'revoking';

/** The control a flight hands its work: the shared cancel (every waiter cancelled) and a progress fan-out. */
export interface FlightControl {
  signal: AbortSignal;
  onProgress(progress: OperationProgress): void;
}

interface Waiter {
  control: OperationControl;
  cancelled: boolean;
}

interface Flight<T> {
  promise: Promise<T>;
  controller: AbortController;
  waiters: Set<Waiter>;
  last?: OperationProgress;
}

/**
 * One in-flight operation per key, like SingleFlight, with cancel per caller: a caller that cancels stops waiting at
 * once; the work itself is cancelled only when every caller has (a caller without a signal, such as a background
 * refresh, never does). Nothing is cached: once it settles, the next caller starts a new operation.
 */
export class CancellableFlight<T> {
  private readonly inFlight = new Map<string, Flight<T>>();

  /** `started` sees each operation's own promise, which outlives callers who cancelled (the engine's idle() waits for it). */
  constructor(private readonly started: (work: Promise<T>) => void = () => undefined) {}

  /** `cancelled` makes the error a caller who cancels gets (only callers with a signal can). */
  run(
    key: string,
    operation: (control: FlightControl) => Promise<T>,
    control: OperationControl = {},
    cancelled: () => Error = () => new Error('cancelled'),
  ): Promise<T> {
    let flight = this.inFlight.get(key);
    if (!flight) {
      const controller = new AbortController();
      const created: Flight<T> = {
        controller,
        waiters: new Set(),
        promise: Promise.resolve() as unknown as Promise<T>,
      };
      const flightControl: FlightControl = {
        signal: controller.signal,
        onProgress: (progress) => {
          created.last = progress;
          for (const w of created.waiters) if (!w.cancelled) safely(() => w.control.onProgress?.(progress));
        },
      };
      // Started on a microtask so even a synchronous throw settles after the entry is registered (and then removed).
      created.promise = Promise.resolve()
        .then(() => operation(flightControl))
        .finally(() => {
          if (this.inFlight.get(key) === created) this.inFlight.delete(key);
        });
      this.inFlight.set(key, created);
      this.started(created.promise);
      flight = created;
    }
    return this.wait(flight, control, cancelled);
  }

  has(key: string): boolean {
    return this.inFlight.has(key);
  }

  private wait(flight: Flight<T>, control: OperationControl, cancelled: () => Error): Promise<T> {
    const waiter: Waiter = { control, cancelled: false };
    flight.waiters.add(waiter);
    if (flight.last) {
      const last = flight.last;
      safely(() => control.onProgress?.(last));
    }
    const leave = (): void => void flight.waiters.delete(waiter);
    const { signal } = control;
    if (!signal) return flight.promise.finally(leave);
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        waiter.cancelled = true;
        if ([...flight.waiters].every((w) => w.cancelled)) flight.controller.abort();
        reject(cancelled());
        flight.promise
          .then(
            (value) => safely(() => control.onLateOutcome?.({ ok: true, ...infoOf(value) })),
            (error: unknown) => safely(() => control.onLateOutcome?.({ ok: false, error })),
          )
          .finally(leave);
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      flight.promise.then(resolve, reject).finally(() => {
        signal.removeEventListener('abort', onAbort);
        if (!waiter.cancelled) leave();
      });
    });
  }
}

/** A flight's value as a TokenInfo, when it is one or carries one ({ value, info }). */
function infoOf(value: unknown): { info?: TokenInfo } {
  if (typeof value !== 'object' || value === null) return {};
  if ('info' in value && typeof value.info === 'object' && value.info !== null)
    return { info: value.info as TokenInfo };
  if ('tokenId' in value && 'kind' in value) return { info: value as TokenInfo };
  return {};
}

/** A caller's callback never breaks the work it follows. */
function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // ignored on purpose
  }
}

/** Which activities run per profile; the newest one started is the one shown. */
export class ActivityTracker {
  private readonly running = new Map<string, Activity[]>();

  constructor(private readonly changed: () => void) {}

  async run<T>(profileId: string, activity: Activity, work: () => Promise<T>): Promise<T> {
    const list = this.running.get(profileId) ?? [];
    list.push(activity);
    this.running.set(profileId, list);
    this.changed();
    try {
      return await work();
    } finally {
      const now = this.running.get(profileId) ?? [];
      const at = now.lastIndexOf(activity);
      if (at >= 0) now.splice(at, 1);
      if (now.length === 0) this.running.delete(profileId);
      this.changed();
    }
  }

  of(profileId: string): Activity | undefined {
    return this.running.get(profileId)?.at(-1);
  }
}
