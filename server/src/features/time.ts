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

export function absolute(at: number): string {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return 'invalid date';
  // endsWith + slice rather than replace(): this runs once per diagnostic of a big file.
  const iso = d.toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}
