// Reads mocha's summary lines ("  12 passing (3s)", "  1 failing") from a part's output. Every part of
// `npm test` prints them (the in-host and UI runners print the same form), so one parser counts them all.

/**
 * @param {string} output
 * @returns {{ passed: number, failed: number } | undefined} undefined when the output has no "passing" line
 */
export function parseCounts(output) {
  const passing = [...output.matchAll(/^\s*(\d+) passing\b/gm)].at(-1);
  if (!passing) return undefined;
  const failing = [...output.matchAll(/^\s*(\d+) failing\b/gm)].at(-1);
  return { passed: Number(passing[1]), failed: failing ? Number(failing[1]) : 0 };
}
