// jose is ESM-only and this project type-checks as CommonJS: load it with a dynamic import (esbuild inlines it
// into the bundles; Node's loader handles it under mocha). All of jose: for the sandbox (dist/sandbox.js) and tests.
// The extension's own bundle must not import this module, as esbuild cannot tree-shake a dynamic import('jose'): the
// API client signs through joseSign.mjs, which names the one export it needs.
export type Jose = typeof import('jose', { with: { 'resolution-mode': 'import' } });

let loaded: Promise<Jose> | undefined;

export function loadJose(): Promise<Jose> {
  loaded ??= import('jose');
  return loaded;
}
