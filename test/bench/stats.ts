// Timing and summary helpers. Every figure reports the first (cold) run apart from the warm median.

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile (p in 0..100) over a copy of `values`. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

export interface Samples {
  /** The first run, before any warm-up at this size. */
  cold: number;
  /** The runs after it. */
  warm: number[];
}

/** Runs `fn` once cold and then `warmRuns` times, timing each run in milliseconds. */
export async function sample(warmRuns: number, fn: () => unknown): Promise<Samples> {
  const time = async (): Promise<number> => {
    const start = performance.now();
    await fn();
    return performance.now() - start;
  };
  const cold = await time();
  const warm: number[] = [];
  for (let i = 0; i < warmRuns; i++) warm.push(await time());
  return { cold, warm };
}
