// A token's fingerprint: how the language server recognises a token without ever holding its value.
import * as crypto from 'node:crypto';

/** First 16 hex chars of SHA-256 over the token value: lets the server recognise a token without holding it. */
export function tokenFingerprint(value: string): string {
  // crypto.hash (Node >= 20.12) is the one-shot form: no Hash object per token when a file holds thousands.
  const hex =
    typeof crypto.hash === 'function'
      ? crypto.hash('sha256', value, 'hex')
      : crypto.createHash('sha256').update(value, 'utf8').digest('hex');
  return hex.slice(0, 16);
}
