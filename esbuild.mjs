// Builds the extension's bundles. Two products ship (client, with its lazily loaded language features, and server)
// plus the sandbox CLI;
// `--tests` adds the in-host integration suite. esbuild does not type-check: `npm run typecheck` does.
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const withTests = args.has('--tests') || watch;
// `--metafile`: each product bundle also writes <bundle>.meta.json, esbuild's account of which modules it holds
// (test/unit/bundle.contents.test.ts reads them).
const metafile = args.has('--metafile');
const require = createRequire(import.meta.url);

/**
 * ofetch's Node build bundles a fetch polyfill (node-fetch-native) although Node >= 18 has fetch.
 * Point the bare specifier at its platform-neutral build, which uses globalThis.fetch.
 * @type {esbuild.Plugin}
 */
const nativeOfetch = {
  name: 'native-ofetch',
  setup(build) {
    build.onResolve({ filter: /^ofetch$/ }, () => ({
      path: path.join(path.dirname(require.resolve('ofetch/package.json')), 'dist', 'index.mjs'),
    }));
  },
};

/**
 * Prints problems in a form VS Code's $esbuild-watch problem matcher understands, and always a finish line.
 * The docs' sample throws on `location: null`; this one does not.
 * @type {esbuild.Plugin}
 */
const reporter = {
  name: 'reporter',
  setup(build) {
    const name = build.initialOptions.outfile ?? build.initialOptions.outdir ?? 'bundle';
    build.onStart(() => {
      if (watch) console.log('[watch] build started');
    });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log(`${result.errors.length ? 'failed' : 'built'} ${path.relative(process.cwd(), name)}`);
      if (watch) console.log('[watch] build finished');
    });
  },
};

/**
 * Writes the build's metafile beside its bundle.
 * @type {esbuild.Plugin}
 */
const metafileWriter = {
  name: 'metafile-writer',
  setup(build) {
    const out = build.initialOptions.outfile;
    build.onEnd((result) => {
      if (out && result.metafile) fs.writeFileSync(`${out}.meta.json`, JSON.stringify(result.metafile));
    });
  },
};

/** @type {esbuild.BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'silent',
  legalComments: production ? 'none' : 'inline',
  metafile,
  plugins: [nativeOfetch, reporter, ...(metafile ? [metafileWriter] : [])],
};

/** @type {esbuild.BuildOptions[]} */
const targets = [
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  // The language features with vscode-languageclient: required by dist/client.js after activation (client/src/host/loadLanguageFeatures.ts).
  { ...common, entryPoints: ['client/src/lsp/index.ts'], outfile: 'dist/lsp.js', external: ['vscode'] },
  { ...common, entryPoints: ['server/src/main.ts'], outfile: 'dist/server.js' },
  { ...common, entryPoints: ['sandbox/src/cli.ts'], outfile: 'dist/sandbox.js' },
];
if (withTests) {
  // The in-host suite: index.js plus one bundle per test/integration/*.test.ts, which index.js finds at
  // run time. Each suite gets its own file so a new suite needs no registration anywhere.
  const suiteDir = 'test/integration';
  const suites = fs.readdirSync(suiteDir).filter((name) => name.endsWith('.test.ts'));
  // No stale suites from deleted sources (only those: a run in progress elsewhere may be reading the others).
  const outDir = 'out/test/integration';
  const built = fs.existsSync(outDir) ? fs.readdirSync(outDir) : [];
  for (const name of built.filter((n) => /\.test\.js(\.map)?$/.test(n))) {
    if (!suites.includes(name.replace(/\.js(\.map)?$/, '.ts'))) fs.rmSync(path.join(outDir, name), { force: true });
  }
  targets.push({
    ...common,
    minify: false,
    sourcemap: true,
    entryPoints: ['index.ts', ...suites].map((name) => path.join(suiteDir, name)),
    outdir: outDir,
    external: ['vscode'],
  });
}

const contexts = await Promise.all(targets.map((options) => esbuild.context(options)));
try {
  if (watch) {
    await Promise.all(contexts.map((ctx) => ctx.watch()));
    // Keep the contexts alive; Ctrl+C ends the process.
    await new Promise(() => {});
  } else {
    const results = await Promise.allSettled(contexts.map((ctx) => ctx.rebuild()));
    if (results.some((r) => r.status === 'rejected' || r.value.errors.length > 0)) {
      process.exitCode = 1;
      console.error('esbuild: build failed');
    }
  }
} finally {
  if (!watch) await Promise.all(contexts.map((ctx) => ctx.dispose()));
}
