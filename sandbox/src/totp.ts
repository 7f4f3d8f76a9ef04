// RFC 4226 HOTP / RFC 6238 TOTP (SHA-1, 6 digits, 30 s steps): the sandbox verifies demo OTP codes with it,
// and tests and the extension compute the current demo code with `totp()`.
import { createHmac } from 'node:crypto';

export const TOTP_STEP_SECONDS = 30;
const DIGITS = 6;
const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Decodes RFC 4648 base32 (case-insensitive; spaces, dashes and `=` padding ignored). Throws on any other character. */
export function decodeBase32(input: string): Buffer {
  const clean = input.replace(/[\s=-]/g, '').toUpperCase();
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of clean) {
    const index = BASE32_ALPHABET.indexOf(char);
    if (index < 0) throw new Error('Invalid base32 secret: only A-Z and 2-7 are allowed.');
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((value >>> bits) & 0xff);
    }
  }
  if (bytes.length === 0) throw new Error('Invalid base32 secret: it is empty.');
  return Buffer.from(bytes);
}

/** The RFC 6238 time step that contains `atMs`. */
export function totpStep(atMs: number): number {
  return Math.floor(atMs / 1000 / TOTP_STEP_SECONDS);
}

/** The HOTP code for a counter (RFC 4226 dynamic truncation). */
export function hotp(key: Buffer, counter: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const digest = createHmac('sha1', key).update(message).digest();
  const offset = digest[digest.length - 1]! & 0x0f;
  const binary = digest.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** DIGITS).padStart(DIGITS, '0');
}

/** The TOTP code valid at `atMs` (epoch ms) for a base32 secret. */
export function totp(secretBase32: string, atMs: number): string {
  return hotp(decodeBase32(secretBase32), totpStep(atMs));
}

/**
 * The step (within ±`window` steps of `atMs`) whose code equals `code`, or undefined.
 * Checks every step in the window so the time taken does not reveal which one matched.
 */
export function matchTotpStep(key: Buffer, code: string, atMs: number, window = 1): number | undefined {
  const current = totpStep(atMs);
  let matched: number | undefined;
  for (let step = current - window; step <= current + window; step++) {
    if (hotp(key, step) === code && matched === undefined) matched = step;
  }
  return matched;
}
