// The product's own production bundles, built by its esbuild.mjs in a shadow folder so the repo's dist/ is untouched:
// what the bench measures (figures 4 and 6) and the bundle-contents test checks.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import type * as esbuild from 'esbuild';

export const REPO = path.resolve(__dirname, '..', '..');

/** Build outputs and the script itself stay out of the shadow folder; everything else is linked. */
const SHADOW_SKIP = new Set(['.git', 'dist', 'out', 'esbuild.mjs', 'bench-results.json']);

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
