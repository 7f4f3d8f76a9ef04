// The sandbox's own rate limit, on by default so clients can test their 429 handling against something real:
// at most `count` short-term exchanges per long-term token in any `windowSeconds` (a sliding window), answered
// 429 rate_limited with Retry-After: the seconds until the oldest exchange in the window leaves it.
import { rateLimited } from './errors';

export interface ExchangeLimit {
  count: number;
  windowSeconds: number;
}

/** Generous for people and for the product's refresh schedule; 10 exchanges in a burst meet it. */
export const DEFAULT_EXCHANGE_LIMIT: ExchangeLimit = Object.freeze({ count: 6, windowSeconds: 10 });

export function checkExchangeLimit(limit: ExchangeLimit): ExchangeLimit {
  if (
    !Number.isSafeInteger(limit.count) ||
    limit.count < 1 ||
    !Number.isSafeInteger(limit.windowSeconds) ||
    limit.windowSeconds < 1
  ) {
    throw new Error('The exchange limit needs a whole count >= 1 and a whole number of seconds >= 1.');
  }
  return { count: limit.count, windowSeconds: limit.windowSeconds };
}

/** "6/10" -> 6 exchanges per 10 s; "off" -> undefined. */
export function parseExchangeLimit(text: string): ExchangeLimit | 'off' {
  if (text === 'off') return 'off';
  const m = /^(\d{1,9})\/(\d{1,9})$/.exec(text);
  if (!m) throw new Error(`--exchange-limit needs COUNT/SECONDS (e.g. 6/10) or "off", not "${text}".`);
  return checkExchangeLimit({ count: Number(m[1]), windowSeconds: Number(m[2]) });
}

export class ExchangeLimiter {
  /** Long-term token id -> times (epoch ms) of its exchanges inside the window, oldest first. */
  private readonly recent = new Map<string, number[]>();

  constructor(
    private readonly limit: ExchangeLimit | undefined,
    private readonly now: () => number,
  ) {}

  /** Counts one exchange of `longTokenId`, or throws 429 when the window already holds `count` of them. */
  take(longTokenId: string): void {
    if (!this.limit) return;
    const nowMs = this.now();
    const windowMs = this.limit.windowSeconds * 1000;
    // A clock moved backwards (tests) must not leave exchanges stuck in the window for ever.
    const times = (this.recent.get(longTokenId) ?? []).filter((t) => t > nowMs - windowMs && t <= nowMs);
    if (times.length >= this.limit.count) {
      this.recent.set(longTokenId, times);
      throw rateLimited(String(Math.max(1, Math.ceil((times[0]! + windowMs - nowMs) / 1000))));
    }
    times.push(nowMs);
    this.recent.set(longTokenId, times);
  }
}
