// Relative and absolute time texts for hover, code lens and diagnostics.

/** `42 s`, `3 min`, `5 h`, `2 days`. */
export function span(ms: number): string {
  const s = Math.max(0, Math.floor(Math.abs(ms) / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 48 * 3600) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86400)} days`;
}

/** "in 3 min" / "3 min ago". */
export function relative(at: number, now: number): string {
  return at >= now ? `in ${span(at - now)}` : `${span(now - at)} ago`;
}

const DAY_MS = 86_400_000;
/** The `YYYY-MM-DD` of the last few days formatted: the expired tokens of a file mostly share a handful of days. */
const days = new Map<number, string>();
const DAYS_KEPT = 64;

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * `2026-11-28T04:42:13Z` (milliseconds only when there are any). One runs per expired token of a file, so the date part
 * is formatted once per day and the time of day by arithmetic (Date#toISOString was 8% of a 1,000-request analysis).
 */
export function absolute(time: number): string {
  const at = Math.trunc(time); // as Date does
  const date = dayOf(at);
  if (date === undefined) return fromDate(at);
  const inDay = at - Math.floor(at / DAY_MS) * DAY_MS;
  const ms = inDay % 1000;
  const s = Math.floor(inDay / 1000);
  const clock = `${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
  return ms === 0 ? `${date}T${clock}Z` : `${date}T${clock}.${String(ms).padStart(3, '0')}Z`;
}

/** The date part of `at`, or undefined when toISOString must say it all (invalid, or a year outside 0000-9999). */
function dayOf(at: number): string | undefined {
  if (!Number.isFinite(at)) return undefined;
  const day = Math.floor(at / DAY_MS);
  let date = days.get(day);
  if (date === undefined) {
    const d = new Date(day * DAY_MS);
    if (Number.isNaN(d.getTime()) || Number.isNaN(new Date(at).getTime())) return undefined;
    const iso = d.toISOString();
    if (iso.length !== 24) return undefined; // a six-digit, signed year
    date = iso.slice(0, 10);
    if (days.size >= DAYS_KEPT) days.clear();
    days.set(day, date);
  }
  return date;
}

function fromDate(at: number): string {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return 'invalid date';
  const iso = d.toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}
