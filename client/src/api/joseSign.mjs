// The one piece of jose the extension ships: JWT signing for the assertion mechanism (assertion.ts).
// A static, named ESM re-export so esbuild bundles only SignJWT's part of jose (~13 kB) instead of all of it (~62 kB):
// a dynamic import('jose') hands out the whole namespace, which esbuild cannot tree-shake.
// Plain .mjs (typed by joseSign.d.mts) rather than .mts: the unit tests run sources through tsx/cjs, whose hooks
// cover require() only, and a dynamic import() of this file goes through Node's own ESM loader.
export { SignJWT } from 'jose';
