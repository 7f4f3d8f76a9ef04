// All of jose, for the tests (key generation and export). jose is ESM-only and this project type-checks as
// CommonJS: Node's loader handles the dynamic import under mocha. Product code does not use it, as esbuild cannot
// tree-shake a dynamic import('jose'): the API client signs through client/src/api/joseSign.mjs and the sandbox
// through sandbox/src/joseParts.mjs, which name the exports they need.
export type Jose = typeof import('jose', { with: { 'resolution-mode': 'import' } });

let loaded: Promise<Jose> | undefined;

export function loadJose(): Promise<Jose> {
  loaded ??= import('jose');
  return loaded;
}
