// jose is ESM-only and this project type-checks as CommonJS: load it with a dynamic import (esbuild inlines it
// into the bundles; Node's loader handles it under mocha). All of jose, for the tests (key generation and export).
// No bundle should import this module, as esbuild cannot tree-shake a dynamic import('jose'): the API client signs
// through joseSign.mjs and the sandbox through sandbox/joseParts.mjs, which name the exports they need.
export type Jose = typeof import('jose', { with: { 'resolution-mode': 'import' } });

let loaded: Promise<Jose> | undefined;

export function loadJose(): Promise<Jose> {
  loaded ??= import('jose');
  return loaded;
}
