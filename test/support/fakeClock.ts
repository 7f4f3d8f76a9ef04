// A clock for tests: time moves only when the test says so, so the engine's timers run without sleeps, and a
// machine that sleeps and wakes is a jump of the clock.
import type { Clock } from '../../client/src/core/clock';
import type { Disposable } from '../../client/src/core/tokenService';

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
