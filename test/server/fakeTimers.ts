// A fake clock with the server's Timers: tests move time by hand and the due callbacks run, in order of their time.
import type { Timers } from '../../server/src/refreshTimers';
import { NOW } from '../support/lsp/tokenScenario';

export class FakeTimers implements Timers {
  now = NOW;
  private pending: { at: number; callback: () => void }[] = [];

  setTimeout(callback: () => void, ms: number): unknown {
    const handle = { at: this.now + ms, callback };
    this.pending.push(handle);
    return handle;
  }

  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((p) => p !== handle);
  }

  /** When the earliest timer is due, or undefined. */
  get nextAt(): number | undefined {
    return this.pending.reduce<number | undefined>(
      (min, p) => (min === undefined || p.at < min ? p.at : min),
      undefined,
    );
  }

  advanceTo(at: number): void {
    this.now = at;
    for (const p of this.pending.filter((x) => x.at <= at)) {
      this.clearTimeout(p);
      p.callback();
    }
  }
}
