// When the client must be asked to pull diagnostics or code lenses again although nothing was sent: a token crosses
// into "expiring" or "expired", a document's diagnostics change by themselves, a lens countdown reaches the next minute.
// One timer for all of them, set for the earliest. The kinds are kept apart because they refresh different things:
// a lens minute passing changes no diagnostic, so only lenses are pulled again then.
// Times are on the client's clock (the token state's `now`), compared with `now()`.

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Node's timers, unref'd: a pending crossing never keeps the server process alive. */
export const nodeTimers: Timers = {
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** setTimeout's ceiling (about 24.8 days); a later crossing is re-scheduled when this fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class RefreshTimers {
  /** Per document: when its diagnostics next change by themselves. */
  private readonly diagnostics = new Map<string, number>();
  /** Per document: when one of its lens texts (counting minutes) next changes. */
  private readonly lenses = new Map<string, number>();
  /** When a known token crosses its expiring margin or its expiry (every document's diagnostics may change). */
  private tokenCrossings = new Set<number>();
  private timer: unknown;
  private stopped = false;

  /** `due(diagnosticsToo)`: refresh lenses, and diagnostics too unless only lens countdowns were due. */
  constructor(
    private readonly timers: Timers,
    private readonly now: () => number,
    private readonly due: (diagnosticsToo: boolean) => void,
  ) {}

  setDiagnostics(uri: string, at: number | undefined): void {
    setOrDelete(this.diagnostics, uri, at);
    this.schedule();
  }

  setLens(uri: string, at: number | undefined): void {
    setOrDelete(this.lenses, uri, at);
    this.schedule();
  }

  /** Replaces the crossings of the previous token state; past ones are ignored. */
  setTokenCrossings(times: Iterable<number>): void {
    const now = this.now();
    this.tokenCrossings = new Set([...times].filter((at) => Number.isFinite(at) && at > now));
    this.schedule();
  }

  /** A closed document has no tick left. */
  forget(uri: string): void {
    this.diagnostics.delete(uri);
    this.lenses.delete(uri);
    this.schedule();
  }

  /** Shutdown: no timer is left and none is set again. */
  stop(): void {
    this.stopped = true;
    this.clear();
  }

  private clear(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    this.clear();
    if (this.stopped) return;
    const now = this.now();
    let next: number | undefined;
    for (const at of this.times()) if (at > now && (next === undefined || at < next)) next = at;
    if (next === undefined) return;
    this.timer = this.timers.setTimeout(
      () => {
        this.timer = undefined;
        this.fire();
      },
      Math.min(MAX_TIMER_MS, next - now),
    );
  }

  private *times(): Iterable<number> {
    yield* this.diagnostics.values();
    yield* this.lenses.values();
    yield* this.tokenCrossings;
  }

  private fire(): void {
    const at = this.now();
    let diagnosticsDue = false;
    for (const [uri, when] of this.diagnostics) {
      if (when > at) continue;
      this.diagnostics.delete(uri);
      diagnosticsDue = true;
    }
    for (const when of this.tokenCrossings) {
      if (when > at) continue;
      this.tokenCrossings.delete(when);
      diagnosticsDue = true;
    }
    for (const [uri, when] of this.lenses) if (when <= at) this.lenses.delete(uri);
    this.due(diagnosticsDue);
    this.schedule();
  }
}

function setOrDelete(map: Map<string, number>, key: string, at: number | undefined): void {
  if (at !== undefined) map.set(key, at);
  else map.delete(key);
}
