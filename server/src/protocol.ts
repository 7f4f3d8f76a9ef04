// The one file shared by the extension (client) and the language server. It declares the custom LSP messages
// and the token metadata they carry. Token *values* never appear here: LSP traces are logged verbatim.
import { createHash } from 'node:crypto';

/** First 16 hex chars of SHA-256 over the token value: lets the server recognise a token without holding it. */
export function tokenFingerprint(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 16);
}
