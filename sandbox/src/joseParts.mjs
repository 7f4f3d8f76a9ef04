// The parts of jose the sandbox uses: signing and verifying its short-term tokens (shortJwt.ts) and verifying
// assertions against a registered public key (assertion.ts). Named static re-exports let esbuild bundle only these
// into dist/sandbox.js; a dynamic import('jose') would bring all of jose (JWE, remote JWKS, ...), as esbuild cannot
// tree-shake a namespace handed out at run time. Plain .mjs typed by joseParts.d.mts, like api/joseSign.mjs (see there).
export { SignJWT, jwtVerify, importSPKI } from 'jose';
