// Figure 6: minified bundle sizes from the product's own production build vs the floors bundled the same way.
// The client ships as two bundles: dist/client.js (what activation loads) and dist/lsp.js (the language features with
// vscode-languageclient, required just after activation). Their total is what compares with the floor extension, which
// loads its LanguageClient at activation; the activation bundle alone is listed beside it.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { kB, type BenchContext } from './benchContext';
import type { Row } from './results';
import { sizeOf } from './bundles';

const GOAL = 1.1;

function against(figure: string, sizeKb: number, floorName: string, floorKb: number, goal: boolean): Row {
  const row: Row = {
    figure,
    unit: 'kB',
    median: sizeKb,
    runs: 1,
    reference: `${floorName} ${floorKb.toFixed(1)} kB`,
    ratio: sizeKb / floorKb,
  };
  if (goal) {
    row.goal = `<= ${GOAL.toFixed(2)}x floor`;
    row.met = sizeKb / floorKb <= GOAL;
  }
  return row;
}

export function figure6(ctx: BenchContext): Row[] {
  if ('error' in ctx.production) {
    return [
      {
        figure: '6 bundle sizes',
        unit: 'kB',
        median: null,
        runs: 0,
        note: `production build failed: ${ctx.production.error}`,
      },
    ];
  }
  const { client, lsp, server } = ctx.production;
  const extensionFloor = kB(sizeOf(ctx.floors.extension));
  const serverFloor = kB(sizeOf(ctx.floors.server));
  const clientKb = kB(sizeOf(client));
  const lspKb = existsSync(lsp) ? kB(sizeOf(lsp)) : 0;
  const rows: Row[] = [
    against('6 client: activation bundle client.js', clientKb, 'minimal extension', extensionFloor, false),
    { figure: '6 client: lsp.js (loaded after activation)', unit: 'kB', median: lspKb, runs: 1 },
    against(
      '6 client: client.js + lsp.js (all client code)',
      clientKb + lspKb,
      'minimal extension',
      extensionFloor,
      true,
    ),
    against('6 server bundle (minified)', kB(sizeOf(server)), 'minimal server', serverFloor, true),
  ];
  // Any other bundle the production build writes (the sandbox CLI) ships too: list it.
  const listed = new Set([client, lsp, server]);
  const dist = path.dirname(client);
  for (const name of readdirSync(dist)
    .filter((f) => f.endsWith('.js'))
    .sort()) {
    const file = path.join(dist, name);
    if (listed.has(file)) continue;
    rows.push({ figure: `6 ${name} (minified, also shipped)`, unit: 'kB', median: kB(sizeOf(file)), runs: 1 });
  }
  return rows;
}
