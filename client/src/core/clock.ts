// Time as a dependency: the engine never calls Date.now() or setTimeout() directly, so tests drive it with a
// fake clock (no sleeps) and a machine that sleeps and wakes can be simulated by jumping the clock.
import type { Disposable } from './tokenService';

export interface Clock {
  /** Wall-clock epoch ms. */
  now(): number;
  /** Calls `fn` once after `ms`; disposing cancels it. */
  setTimer(ms: number, fn: () => void): Disposable;
}

/** setTimeout caps delays at 2^31-1 ms (~24.8 days) and fires at once beyond that; longer timers are chained. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export const realClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    let handle: NodeJS.Timeout | undefined;
    const arm = (remaining: number): void => {
      const step = Math.min(Math.max(0, remaining), MAX_TIMER_MS);
      handle = setTimeout(() => (remaining > step ? arm(remaining - step) : fn()), step);
      // A pending refresh must never keep the extension host (or a test process) alive on its own.
      handle.unref?.();
    };
    arm(ms);
    return { dispose: () => clearTimeout(handle) };
  },
};

/** A clock that moves only when told to; advancing fires every timer that became due, in time order. */
export class FakeClock implements Clock {
  private current: number;
  private seq = 0;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimer(ms: number, fn: () => void): Disposable {
    const id = ++this.seq;
    this.timers.set(id, { at: this.current + Math.max(0, ms), fn });
    return { dispose: () => void this.timers.delete(id) };
  }

  /** Moves time forward by `ms`, firing due timers (including ones they schedule) at their own due time. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const next = this.nextDue(target);
      if (!next) break;
      this.timers.delete(next[0]);
      this.current = Math.max(this.current, next[1].at);
      next[1].fn();
    }
    this.current = target;
  }

  /** Moves the clock without firing anything: what a suspended machine sees when it wakes up. */
  jump(ms: number): void {
    this.current += ms;
  }

  pendingTimers(): number {
    return this.timers.size;
  }

  private nextDue(limit: number): [number, { at: number; fn: () => void }] | undefined {
    let best: [number, { at: number; fn: () => void }] | undefined;
    for (const entry of this.timers) {
      if (entry[1].at <= limit && (!best || entry[1].at < best[1].at)) best = entry;
    }
    return best;
  }
}

/** A sleep on top of a Clock, for the API client's retry backoff; it rejects as soon as `signal` aborts (a cancel). */
export function clockSleep(clock: Clock): (ms: number, signal?: AbortSignal) => Promise<void> {
  return (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(new Error('cancelled'));
        return;
      }
      const onAbort = (): void => {
        timer.dispose();
        reject(new Error('cancelled'));
      };
      const timer = clock.setTimer(ms, () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
}
