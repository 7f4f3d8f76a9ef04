// Test tokens: JWT-shaped strings with chosen claims (signature is random-looking bytes, never verified by the server).
import { createHash } from 'node:crypto';

const b64 = (v: unknown): string => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

export function makeJwt(
  payload: Record<string, unknown>,
  header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' },
): string {
  const body = `${b64(header)}.${b64(payload)}`;
  const signature = createHash('sha256').update(body).digest('base64url');
  return `${body}.${signature}`;
}

/** A long-term token in the contract's `lt_…` format. */
export function makeLongTerm(seed: string): string {
  return `lt_${createHash('sha256').update(seed).digest('hex').slice(0, 32)}`;
}
