// What every figure gets from the runner: the generated inputs, the run folder, the bundles, the run sizes.
import type { ProductBundles } from '../support/productionBuild';
import type { Floors, Workers } from './bundles';
import type { InputSet } from './benchInputs';

export interface BenchContext {
  runDir: string;
  inputs: InputSet;
  /** Warm runs behind each median (>= 5). */
  warmRuns: number;
  quick: boolean;
  requestSizes: readonly number[];
  envSizes: readonly number[];
  /** The development bundle `npm run build` wrote (dist/server.js): what the LSP figures spawn. */
  devServer: string;
  floors: Floors;
  /** Bundled in-process workers (figure 1's sides, figure 5's httpyac). */
  workers: Workers;
  /** The product's minified bundles from its own `esbuild.mjs --production`, built in a shadow folder. */
  production: ProductBundles | { error: string };
  log(message: string): void;
}

/** The request count LSP figures use: the 10,000-request file (or the largest generated one below it). */
export function lspSize(ctx: BenchContext): number {
  return ctx.requestSizes.includes(10_000) ? 10_000 : Math.max(...ctx.requestSizes);
}

/** How many of the file's tokens the LSP figures declare as the extension's own (in the token state). */
export const TOKEN_STATE_SIZE = 50;

export function kB(bytes: number): number {
  return bytes / 1000;
}
