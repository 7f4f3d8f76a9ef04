// What the rest of the extension sees of an issued token, and the credentials a long-term token is issued with.
// The wire types are the contract's: @shared/contract/wire.

/** A validated 201, as the extension uses it. */
export interface IssuedToken {
  tokenType: 'Bearer';
  accessToken: string;
  expiresIn: number;
  /** The server's expires_at, kept for display only: expiry is computed from receivedAt + expiresIn. */
  expiresAt: string;
  /** Granted scopes; empty when the server did not list them. */
  scopes: string[];
  /** Server-issued id for revocation (X-Token-Id, else token_id); '' only for a short-term token whose server gave no id at all. */
  tokenId: string;
  /** The body's token_id when it disagrees with X-Token-Id: the id a revoke falls back to when the header's gets 404. */
  bodyTokenId?: string;
  /** Local epoch ms when the 201 arrived: expiry = receivedAt + expiresIn * 1000. */
  receivedAt: number;
}

export type LongTermGrant =
  | { mechanism: 'client_secret'; clientId: string; clientSecret: string }
  | { mechanism: 'otp'; clientId: string; otpCode: string }
  | {
      mechanism: 'assertion';
      clientId: string;
      privateKeyPem: string /* PKCS#8 */;
      audience?: string; /* default: baseUrl */
    }
  | { mechanism: 'short_term'; clientId: string; shortTermToken: string /* needs tokens:write; sent as Bearer */ };
