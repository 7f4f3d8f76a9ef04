// Stand-ins: what the server sees instead of a token's secret part.
import { tokenFingerprint } from './fingerprint';
import type { TokenShape } from './grammar';

// The client rewrites documents before syncing them (LSP traces are logged verbatim): a JWT keeps its header and
// payload (claims, not secrets) and its signature becomes STAND_IN + fingerprint + `_` filler of the same length;
// an `lt_` token's body likewise. Positions do not move, and the server still knows which token it is.

const STAND_IN = 'C2MFP';
const STAND_IN_MIN = STAND_IN.length + 16;

function standInPart(secret: string, fingerprint: string): string {
  if (secret.length < STAND_IN_MIN) return '_'.repeat(secret.length);
  return STAND_IN + fingerprint + '_'.repeat(secret.length - STAND_IN_MIN);
}

/** The stand-in for one token value (same length; a JWE is blanked). */
export function standInFor(value: string, kind: TokenShape): string {
  if (kind === 'longTerm') return `lt_${standInPart(value.slice(3), tokenFingerprint(value))}`;
  const dot = value.indexOf('.');
  if (kind === 'jwe') return value.slice(0, dot) + value.slice(dot).replace(/[^.]/g, '_');
  const sig = value.lastIndexOf('.') + 1;
  return value.slice(0, sig) + standInPart(value.slice(sig), tokenFingerprint(value));
}

/** The fingerprint a stand-in carries, or undefined for a real token value. */
export function standInFingerprint(value: string): string | undefined {
  const at = value.startsWith('lt_') ? 3 : value.lastIndexOf('.') + 1;
  if (!value.startsWith(STAND_IN, at) || value.length < at + STAND_IN_MIN) return undefined;
  const fp = value.slice(at + STAND_IN.length, at + STAND_IN_MIN);
  if (!/^[0-9a-f]{16}$/.test(fp)) return undefined;
  for (let i = at + STAND_IN_MIN; i < value.length; i++) if (value.charCodeAt(i) !== 95 /* _ */) return undefined;
  return fp;
}
