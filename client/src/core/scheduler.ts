// One timer per profile for its next due moment (refresh point, retry, expiry warning, status change), plus a
// heartbeat that notices when the wall clock jumped: timers do not run while a machine sleeps, so after a wake
// everything is re-checked at once instead of when a long-delayed timer finally fires.
import type { Clock } from './clock';
import { WAKE_TOLERANCE_MS, wokeUp } from './refreshPolicy';
import type { Disposable } from './tokenService';

export const HEARTBEAT_MS = 60_000;

export class Scheduler implements Disposable {
  private readonly timers = new Map<string, { at: number; timer: Disposable }>();
  private heartbeat: Disposable | undefined;
  private lastBeat: number;
  private disposed = false;

  constructor(
    private readonly clock: Clock,
    private readonly onDue: (key: string) => void,
    private readonly onWake: (sleptMs: number) => void,
    private readonly heartbeatMs = HEARTBEAT_MS,
  ) {
    this.lastBeat = clock.now();
    if (heartbeatMs > 0) this.beat();
  }

  /** (Re)schedules `key` at epoch ms `at`; undefined cancels it. */
  schedule(key: string, at: number | undefined): void {
    const existing = this.timers.get(key);
    if (existing && existing.at === at) return;
    existing?.timer.dispose();
    this.timers.delete(key);
    if (at === undefined || this.disposed) return;
    const timer = this.clock.setTimer(Math.max(0, at - this.clock.now()), () => {
      this.timers.delete(key);
      const now = this.clock.now();
      if (wokeUp(at, now)) this.onWake(now - at);
      else this.onDue(key);
    });
    this.timers.set(key, { at, timer });
  }

  dispose(): void {
    this.disposed = true;
    this.heartbeat?.dispose();
    for (const { timer } of this.timers.values()) timer.dispose();
    this.timers.clear();
  }

  private beat(): void {
    this.heartbeat = this.clock.setTimer(this.heartbeatMs, () => {
      const now = this.clock.now();
      const gap = now - this.lastBeat;
      this.lastBeat = now;
      if (gap > this.heartbeatMs + WAKE_TOLERANCE_MS) this.onWake(gap - this.heartbeatMs);
      if (!this.disposed) this.beat();
    });
  }
}
