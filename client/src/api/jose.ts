// jose is ESM-only and this project type-checks as CommonJS: load it with a dynamic import (esbuild inlines it
// into the bundles; Node's loader handles it under mocha). One shared promise for the API client and the sandbox.
export type Jose = typeof import('jose', { with: { 'resolution-mode': 'import' } });

let loaded: Promise<Jose> | undefined;

export function loadJose(): Promise<Jose> {
  loaded ??= import('jose');
  return loaded;
}
