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
