// Types of joseParts.mjs (see there, and api/joseSign.mjs for why it is plain JavaScript).
export { SignJWT, jwtVerify, importSPKI } from 'jose';
