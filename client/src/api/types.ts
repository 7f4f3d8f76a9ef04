// Wire types of the C2M auth contract (c2m-auth.openapi.yaml), field for field, plus the app-level result.
// Snake_case fields are the wire format; IssuedToken is what the rest of the extension sees.

/** POST /auth/tokens/long request body. One credential mechanism per call. */
export interface LongTokenRequest {
  grant_type: 'client_credentials' | 'assertion';
  client_id: string;
  client_secret?: string;
  otp_code?: string;
  assertion_type?: string;
  assertion?: string;
  scopes?: string[];
  /** 3600..7776000; the server may clamp. */
  ttl_seconds?: number;
}

/** The 201 body both token endpoints share in the contract (LongTokenResponse and ShortTokenResponse are identical). */
export interface TokenResponse {
  token_type: 'Bearer';
  access_token: string;
  expires_in: number;
  expires_at: string;
  scopes?: string[];
  token_id?: string;
}

/** POST /auth/tokens/long 201 body (the X-Token-Id header carries the same id). */
export type LongTokenResponse = TokenResponse;

/** POST /auth/tokens/short request body (the long-term token travels in the Authorization header). */
export interface ShortTokenRequest {
  long_token?: string;
  scopes?: string[];
}

/** POST /auth/tokens/short 201 body. */
export type ShortTokenResponse = TokenResponse;

/** Every 4xx/5xx body of the contract. `details` is never surfaced: it may echo the request. */
export interface AuthError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

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
  | { mechanism: 'assertion'; clientId: string; privateKeyPem: string /* PKCS#8 */; audience?: string /* default: baseUrl */ }
  | { mechanism: 'short_term'; clientId: string; shortTermToken: string /* needs tokens:write; sent as Bearer */ };

/** The assertion_type value the contract names for signed-JWT assertions. */
export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
