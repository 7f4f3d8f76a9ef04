// Wire types of the C2M auth contract (c2m-auth.openapi.yaml), field for field: the one place the API client and
// the sandbox take them from. Snake_case fields are the wire format.

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

/** The assertion_type value the contract names for signed-JWT assertions. */
export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** The error codes the contract's AuthError bodies carry. */
export type AuthErrorCode =
  | 'invalid_request'
  | 'invalid_grant'
  | 'invalid_client'
  | 'forbidden'
  | 'invalid_scope'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'not_found'
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'rate_limited'
  | 'server_error';

/** The assertion algorithms the contract accepts (the key decides which). */
export type AssertionAlg = 'RS256' | 'ES256' | 'EdDSA';
