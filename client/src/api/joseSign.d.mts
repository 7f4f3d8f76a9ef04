// Types of joseSign.mjs (see there for why it is plain JavaScript).
export { SignJWT } from 'jose';
