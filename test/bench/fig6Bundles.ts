// Figure 6: minified bundle sizes from the product's own production build vs the floors bundled the same way.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { kB, type BenchContext } from './context';
import type { Row } from './results';
import { sizeOf } from './bundles';

export function figure6(ctx: BenchContext): Row[] {
  if ('error' in ctx.production) {
    return [{ figure: '6 bundle sizes', unit: 'kB', median: null, runs: 0, note: `production build failed: ${ctx.production.error}` }];
  }
  const pairs = [
    ['client', ctx.production.client, 'minimal extension', ctx.floors.extension],
    ['server', ctx.production.server, 'minimal server', ctx.floors.server],
  ] as const;
  const rows: Row[] = [];
  for (const [name, file, floorName, floorFile] of pairs) {
    const size = kB(sizeOf(file));
    const floor = kB(sizeOf(floorFile));
    rows.push({
      figure: `6 ${name} bundle (minified)`,
      unit: 'kB',
      median: size,
      runs: 1,
      reference: `${floorName} ${floor.toFixed(1)} kB`,
      ratio: size / floor,
      goal: '<= 1.10x floor',
      met: size / floor <= 1.1,
    });
  }
  // Any other bundle the production build writes (the sandbox CLI, a lazily loaded chunk) ships too: list it.
  const dist = path.dirname(ctx.production.client);
  for (const name of readdirSync(dist).filter((f) => f.endsWith('.js')).sort()) {
    const file = path.join(dist, name);
    if (file === ctx.production.client || file === ctx.production.server) continue;
    rows.push({ figure: `6 ${name} (minified, also shipped)`, unit: 'kB', median: kB(sizeOf(file)), runs: 1 });
  }
  return rows;
}
