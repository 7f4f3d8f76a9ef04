// Test hooks: latency, forced statuses, dropped connections, stalls, holds and a per-client rate limit. All off until
// set; reset() turns everything off again. Rules fire in the order they were added; `times` counts down per match.
import { rateLimited } from './errors';
import { jsonResponse, type SandboxResponse } from './response';
import type {
  DropConnectionRule,
  ForceStatusRule,
  HoldHandle,
  HoldRule,
  RateLimitRule,
  SandboxFaults,
  StallRule,
} from './types';

interface Counted<T> {
  rule: T;
  left: number;
}

function counted<T extends { times?: number }>(rule: T): Counted<T> {
  const times = rule.times ?? Number.POSITIVE_INFINITY;
  if (!(times > 0)) throw new Error('times must be a positive number.');
  return { rule: { ...rule }, left: times };
}

/** A rule route matches the full key ('POST /auth/tokens/short'), or just its path ('/auth/tokens/short'). */
function routeMatches(ruleRoute: string | undefined, routeKey: string): boolean {
  return ruleRoute === undefined || ruleRoute === routeKey || ruleRoute === routeKey.slice(routeKey.indexOf(' ') + 1);
}

function take<T extends { route?: string }>(
  rules: Counted<T>[],
  routeKey: string,
  extra: (rule: T) => boolean = () => true,
): T | undefined {
  const index = rules.findIndex((entry) => routeMatches(entry.rule.route, routeKey) && extra(entry.rule));
  if (index < 0) return undefined;
  const entry = rules[index]!;
  entry.left -= 1;
  if (entry.left <= 0) rules.splice(index, 1);
  return entry.rule;
}

/**
 * One hold(): the requests it keeps waiting until release(). Tests wait on arrived() and abandoned() instead of
 * sleeping, so "the request is at the server" and "the client gave up on it" are events, not guesses.
 */
export class Hold implements HoldHandle {
  private released = false;
  private held = 0;
  private gone = 0;
  private readonly waiting = new Set<() => void>();
  private arrivals: { count: number; resolve: () => void }[] = [];
  private goneWaiters: (() => void)[] = [];

  constructor(
    readonly rule: HoldRule,
    private readonly onRelease: (hold: Hold) => void,
  ) {}

  arrived(count = 1): Promise<void> {
    if (this.held >= count) return Promise.resolve();
    return new Promise((resolve) => this.arrivals.push({ count, resolve }));
  }

  abandoned(): Promise<void> {
    if (this.gone > 0) return Promise.resolve();
    return new Promise((resolve) => this.goneWaiters.push(resolve));
  }

  abandonedCount(): number {
    return this.gone;
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.onRelease(this);
    for (const go of [...this.waiting]) go();
    this.waiting.clear();
  }

  /**
   * Used by the server: resolves on release(). `clientGone` registers a callback for when the client closes the
   * connection meanwhile (the request still goes on when released; its answer then reaches nobody).
   */
  wait(clientGone: (listener: () => void) => void): Promise<void> {
    if (this.released) return Promise.resolve();
    this.held += 1;
    const ready = this.arrivals.filter((a) => a.count <= this.held);
    this.arrivals = this.arrivals.filter((a) => a.count > this.held);
    const waiting = new Promise<void>((resolve) => this.waiting.add(resolve));
    let answered = false;
    void waiting.then(() => (answered = true));
    clientGone(() => {
      if (answered) return;
      this.gone += 1;
      for (const resolve of this.goneWaiters.splice(0)) resolve();
    });
    for (const a of ready) a.resolve();
    return waiting;
  }
}

export class Faults implements SandboxFaults {
  private latency = 0;
  private forced: Counted<ForceStatusRule>[] = [];
  private drops: Counted<DropConnectionRule>[] = [];
  private stalls: Counted<StallRule>[] = [];
  private holds: Counted<{ route?: string; afterProcessing: boolean; hold: Hold; skip: number }>[] = [];
  private limit: RateLimitRule | undefined;
  /** client key -> start of its current window (epoch ms) and requests counted in it. */
  private windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly now: () => number) {}

  latencyMs(ms: number): void {
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new Error('latencyMs needs a finite number of milliseconds >= 0.');
    this.latency = ms;
  }

  forceStatus(rule: ForceStatusRule): void {
    if (!Number.isInteger(rule.status) || rule.status < 100 || rule.status > 599)
      throw new Error('forceStatus needs an HTTP status 100-599.');
    this.forced.push(counted(rule));
  }

  dropConnection(rule: DropConnectionRule): void {
    this.drops.push(counted(rule));
  }

  rateLimit(rule: RateLimitRule): void {
    if (!(rule.perClient >= 0) || !(rule.windowMs > 0))
      throw new Error('rateLimit needs perClient >= 0 and windowMs > 0.');
    this.limit = { ...rule };
    this.windows.clear();
  }

  stall(rule: StallRule): void {
    this.stalls.push(counted(rule));
  }

  hold(rule: HoldRule): HoldHandle {
    const hold = new Hold({ ...rule }, (done) => {
      this.holds = this.holds.filter((entry) => entry.rule.hold !== done);
    });
    if (rule.skip !== undefined && !(Number.isInteger(rule.skip) && rule.skip >= 0))
      throw new Error('skip must be a whole number >= 0.');
    this.holds.push(
      counted({
        route: rule.route,
        afterProcessing: rule.afterProcessing ?? false,
        hold,
        skip: rule.skip ?? 0,
        ...(rule.times !== undefined ? { times: rule.times } : {}),
      }),
    );
    return hold;
  }

  reset(): void {
    this.latency = 0;
    this.forced = [];
    this.drops = [];
    this.stalls = [];
    for (const entry of [...this.holds]) entry.rule.hold.release();
    this.holds = [];
    this.limit = undefined;
    this.windows.clear();
  }

  // ---- used by the server -------------------------------------------------------------------------------------

  get latencyMsValue(): number {
    return this.latency;
  }

  takeStall(routeKey: string): boolean {
    return take(this.stalls, routeKey) !== undefined;
  }

  /** A hold for this phase: before processing (nothing happened yet) or after (the answer is decided, not sent). */
  takeHold(routeKey: string, afterProcessing: boolean): Hold | undefined {
    const skipping = this.holds.find(
      (entry) =>
        entry.rule.skip > 0 &&
        entry.rule.afterProcessing === afterProcessing &&
        routeMatches(entry.rule.route, routeKey),
    );
    if (skipping) {
      skipping.rule.skip -= 1; // let through, not counted against `times`
      return undefined;
    }
    return take(this.holds, routeKey, (rule) => rule.afterProcessing === afterProcessing)?.hold;
  }

  /** Lets every held request go on (the sandbox is stopping). */
  releaseHolds(): void {
    for (const entry of [...this.holds]) entry.rule.hold.release();
  }

  /** A drop rule for this phase: before processing (nothing happens server-side) or after (the work is done). */
  takeDrop(routeKey: string, afterProcessing: boolean): boolean {
    return take(this.drops, routeKey, (rule) => (rule.afterProcessing ?? false) === afterProcessing) !== undefined;
  }

  takeForced(routeKey: string): SandboxResponse | undefined {
    const rule = take(this.forced, routeKey);
    if (!rule) return undefined;
    const response: SandboxResponse =
      typeof rule.body === 'string'
        ? { status: rule.status, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: rule.body }
        : rule.body === undefined
          ? { status: rule.status, headers: {} }
          : jsonResponse(rule.status, rule.body);
    if (rule.contentType !== undefined) response.headers['Content-Type'] = rule.contentType;
    Object.assign(response.headers, rule.headers ?? {});
    return response;
  }

  /** Counts a request for `clientKey`; throws 429 rate_limited with Retry-After once the window's budget is spent. */
  checkRateLimit(clientKey: string): void {
    const limit = this.limit;
    if (!limit) return;
    const nowMs = this.now();
    let window = this.windows.get(clientKey);
    if (!window || nowMs >= window.start + limit.windowMs || nowMs < window.start) {
      window = { start: nowMs, count: 0 };
      this.windows.set(clientKey, window);
    }
    if (window.count >= limit.perClient) {
      const seconds = Math.max(1, Math.ceil((window.start + limit.windowMs - nowMs) / 1000));
      throw rateLimited(limit.retryAfter ?? String(seconds));
    }
    window.count += 1;
  }
}
