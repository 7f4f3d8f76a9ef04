// Which scopes a narrowed short-term token may ask for. The contract's wildcard rule: 'area:*' covers every
// 'area:…' scope and '*' covers all; a consumer asking for scopes the long-term token lacks gets a clear error
// instead of a 400 from the server.

export function coveredBy(granted: readonly string[], wanted: string): boolean {
  return granted.some((g) => g === wanted || g === '*' || (g.endsWith(':*') && wanted.startsWith(g.slice(0, -1))));
}

/** Sorted, deduplicated: one cache key per set of scopes whatever order the consumer listed them in. */
export function normaliseScopes(scopes: readonly string[]): string[] {
  return [...new Set(scopes.map((s) => s.trim()).filter((s) => s.length > 0))].sort();
}

/** Same set of scopes (order and duplicates aside). */
export function sameScopes(a: readonly string[], b: readonly string[]): boolean {
  const x = normaliseScopes(a);
  const y = normaliseScopes(b);
  return x.length === y.length && x.every((s, i) => s === y[i]);
}
