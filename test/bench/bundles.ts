// Builds what figures 4 and 6 compare with the product's production bundles (test/support/productionBuild.ts): the
// two floors, bundled minified with the same options, and the in-process workers.
import { statSync } from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { REPO } from '../support/productionBuild';

export interface Floors {
  server: string;
  extension: string;
}

const common: esbuild.BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  logLevel: 'silent',
  absWorkingDir: REPO,
};

/** The floors, minified like the product's production build (node20, cjs, no legal comments). */
export async function buildFloors(outDir: string): Promise<Floors> {
  const floors: Floors = {
    server: path.join(outDir, 'minimal-server.js'),
    extension: path.join(outDir, 'minimal-extension.js'),
  };
  await Promise.all([
    esbuild.build({
      ...common,
      entryPoints: [path.join(__dirname, 'floors', 'minimalServer.ts')],
      outfile: floors.server,
    }),
    esbuild.build({
      ...common,
      entryPoints: [path.join(__dirname, 'floors', 'minimalExtension.ts')],
      outfile: floors.extension,
      external: ['vscode'],
    }),
  ]);
  return floors;
}

export interface Workers {
  analysis: string;
  edit: string;
  memory: string;
}

/**
 * The in-process workers, bundled like the product ships: run through tsx instead, every cross-module call of the
 * server's parser goes through a CommonJS export getter, which the bundle does not have (it cost ~10% in profiles).
 * httpyac stays external: it is already a bundle, loaded as its CLI loads it.
 */
export async function buildWorkers(outDir: string): Promise<Workers> {
  const sources: Record<keyof Workers, string> = {
    analysis: 'analysisWorker.ts',
    edit: 'editWorker.ts',
    memory: 'memoryWorker.ts',
  };
  const workers = {} as Workers;
  await Promise.all(
    (Object.keys(sources) as Array<keyof Workers>).map((name) => {
      workers[name] = path.join(outDir, `${name}-worker.js`);
      return esbuild.build({
        ...common,
        minify: false,
        external: ['httpyac'],
        entryPoints: [path.join(__dirname, sources[name])],
        outfile: workers[name],
      });
    }),
  );
  return workers;
}

/** Environment for a worker bundle run from the run folder: it finds httpyac in the repo's node_modules. */
export function workerEnv(): NodeJS.ProcessEnv {
  return { ...process.env, NODE_PATH: path.join(REPO, 'node_modules') };
}

export function sizeOf(file: string): number {
  return statSync(file).size;
}
