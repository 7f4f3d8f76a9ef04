// Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. Servers and proxies send odd values; none of them
// may make us hammer the server (negative, past) or wait forever (1e9), so everything lands in [0, MAX].

/** Used when the header is present but unusable (negative, non-numeric, unparseable date). */
export const DEFAULT_RETRY_AFTER_MS = 60_000;
/** No wait is longer than this, whatever the server says. */
export const MAX_RETRY_AFTER_MS = 3_600_000;

const DELAY_SECONDS = /^\d+$/;
// IMF-fixdate, obsolete RFC 850 and asctime forms all start with a day name.
const HTTP_DATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s+\S/;

/** Milliseconds to wait, or undefined when there is no header. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (DELAY_SECONDS.test(text)) {
    // Digits only; a huge value is clamped rather than parsed into Infinity.
    return text.length > 10 ? MAX_RETRY_AFTER_MS : Math.min(Number(text) * 1000, MAX_RETRY_AFTER_MS);
  }
  if (HTTP_DATE.test(text)) {
    const at = Date.parse(text);
    if (Number.isFinite(at)) return Math.min(Math.max(0, at - nowMs), MAX_RETRY_AFTER_MS);
  }
  return DEFAULT_RETRY_AFTER_MS;
}
