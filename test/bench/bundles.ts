// Builds what figures 4 and 6 compare: the product's own production bundles (its esbuild.mjs, run in a shadow
// folder so the repo's dist/ is untouched) and the two floors, bundled minified with the same options.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';

export const REPO = path.resolve(__dirname, '..', '..');

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
  const floors: Floors = { server: path.join(outDir, 'minimal-server.js'), extension: path.join(outDir, 'minimal-extension.js') };
  await Promise.all([
    esbuild.build({ ...common, entryPoints: [path.join(__dirname, 'floors', 'minimalServer.ts')], outfile: floors.server }),
    esbuild.build({
      ...common,
      entryPoints: [path.join(__dirname, 'floors', 'minimalExtension.ts')],
      outfile: floors.extension,
      external: ['vscode'],
    }),
  ]);
  return floors;
}

/** Build outputs and the script itself stay out of the shadow folder; everything else is linked. */
const SHADOW_SKIP = new Set(['.git', 'dist', 'out', 'esbuild.mjs', 'bench-results.json']);

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
  const sources: Record<keyof Workers, string> = { analysis: 'analysisWorker.ts', edit: 'editWorker.ts', memory: 'memoryWorker.ts' };
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

export interface ProductBundles {
  /** What activation loads. */
  client: string;
  /** The language features with the language client, required by the client after activation. */
  lsp: string;
  server: string;
}

/**
 * Runs `node esbuild.mjs --production` in `shadowDir`, whose sources are links to the repo's: the product's own
 * build script and options, writing to shadowDir/dist instead of the repo's dist/ (which other work may be using).
 */
export function buildProductionShadow(shadowDir: string): ProductBundles {
  mkdirSync(shadowDir, { recursive: true });
  for (const entry of readdirSync(REPO)) {
    if (!SHADOW_SKIP.has(entry)) symlinkSync(path.join(REPO, entry), path.join(shadowDir, entry));
  }
  copyFileSync(path.join(REPO, 'esbuild.mjs'), path.join(shadowDir, 'esbuild.mjs'));
  execFileSync(process.execPath, ['esbuild.mjs', '--production', '--metafile'], { cwd: shadowDir, stdio: 'pipe' });
  const dist = path.join(shadowDir, 'dist');
  return { client: path.join(dist, 'client.js'), lsp: path.join(dist, 'lsp.js'), server: path.join(dist, 'server.js') };
}

/**
 * The modules a bundle of the shadow build holds code of (esbuild's metafile, which `--metafile` writes beside it),
 * as paths relative to the repo: the shadow's links resolve to the repo's files. A module tree-shaken to nothing
 * is left out.
 */
export function bundledModules(bundle: string): Set<string> {
  const meta = JSON.parse(readFileSync(`${bundle}.meta.json`, 'utf8')) as esbuild.Metafile;
  const output = Object.values(meta.outputs).find((o) => o.entryPoint !== undefined);
  if (!output) throw new Error(`${bundle}: no entry point in its metafile`);
  const workingDir = path.dirname(path.dirname(bundle));
  return new Set(
    Object.entries(output.inputs)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([file]) => path.relative(REPO, path.resolve(workingDir, file)).split(path.sep).join('/')),
  );
}

export function sizeOf(file: string): number {
  return statSync(file).size;
}
