// AuthError responses in the contract's shape `{ code, message, details? }`. Handlers throw SandboxHttpError;
// the server turns it into a response. Messages are fixed texts: they never echo a credential.
import type { AuthErrorCode } from '@shared/contract/wire';

export class SandboxHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: AuthErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'SandboxHttpError';
  }
}

export const invalidRequest = (message: string, details?: Record<string, unknown>) =>
  new SandboxHttpError(400, 'invalid_request', message, details);

export const invalidGrant = (message: string) => new SandboxHttpError(400, 'invalid_grant', message);

/**
 * Failed client authentication (wrong secret, wrong or reused one-time code, an assertion that does not verify):
 * 401 as RFC 6749 section 5.2 allows. The challenge names the endpoint's other way in, a short-term token with
 * tokens:write, as RFC 6750 writes it.
 */
export const invalidClient = (message = 'The provided client credentials are invalid.') =>
  new SandboxHttpError(401, 'invalid_client', message, undefined, {
    'WWW-Authenticate': 'Bearer realm="c2m", scope="tokens:write"',
  });

/** The contract's own 400 example, word for word. */
export const unsupportedGrantType = () => new SandboxHttpError(400, 'invalid_grant', 'The grant type is not supported');

export const forbiddenOrigin = () =>
  new SandboxHttpError(
    403,
    'forbidden',
    'Requests from web pages (with an Origin header) are refused: the sandbox serves programs on this machine.',
  );

export const invalidScope = (message: string, details?: Record<string, unknown>) =>
  new SandboxHttpError(400, 'invalid_scope', message, details);

export const invalidToken = (message = 'The provided token is expired or invalid.') =>
  new SandboxHttpError(401, 'invalid_token', message, undefined, {
    'WWW-Authenticate': 'Bearer error="invalid_token"',
  });

export const insufficientScope = (scope: string) =>
  new SandboxHttpError(
    403,
    'insufficient_scope',
    `The token lacks the required scope for this operation (${scope}).`,
    { required_scope: scope },
    {
      'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${scope}"`,
    },
  );

export const notFound = (message = 'The requested resource was not found.') =>
  new SandboxHttpError(404, 'not_found', message);

export const methodNotAllowed = (allow: string) =>
  new SandboxHttpError(405, 'method_not_allowed', `Use ${allow} for this endpoint.`, undefined, { Allow: allow });

export const payloadTooLarge = (limitBytes: number) =>
  new SandboxHttpError(413, 'payload_too_large', `The request body exceeds ${limitBytes} bytes.`);

export function rateLimited(retryAfter: string): SandboxHttpError {
  const when = /^\d+$/.test(retryAfter) ? `after ${retryAfter} seconds` : `after ${retryAfter}`;
  return new SandboxHttpError(429, 'rate_limited', `Too many requests. Please retry ${when}.`, undefined, {
    'Retry-After': retryAfter,
  });
}

export const serverError = () => new SandboxHttpError(500, 'server_error', 'The sandbox failed to handle the request.');
