// Trust boundary for what the server sends. A 201 becomes an IssuedToken only if every field is usable
// (the token is written into headers and files later); anything else is an invalid_response and nothing is returned.
// Messages name the faulty field, never its value.
import { C2mApiError } from './errors';
import type { IssuedToken } from './types';

/** Longest access token we accept (JWTs with many scopes stay far below this). */
export const MAX_TOKEN_LENGTH = 16_384;
/** expires_in bounds per operation: the contract caps long-term ttl at 90 days; short-term tokens live minutes. */
export const MAX_EXPIRES_IN = { long: 7_776_000, short: 86_400 } as const;

const TOKEN_CHARS = /^[\x21-\x7e]+$/; // visible ASCII: no spaces, no control chars, nothing a header rejects
/** Ids go into URL paths, logs and the UI: letters, digits and the punctuation of UUIDs, base64 and URNs. */
const TOKEN_ID = /^[A-Za-z0-9._~:+/=-]{1,256}$/;
const SCOPE = /^[\x21-\x7e]{1,200}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i;

export function invalidResponse(message: string): C2mApiError {
  return new C2mApiError({ kind: 'invalid_response', code: 'invalid_response', message });
}

/**
 * JSON.parse that refuses `__proto__` keys at any depth. JSON.parse itself makes them own properties, but any
 * later spread/assign would turn them into a prototype; refusing them keeps the data boring.
 */
export function parseJsonStrict(text: string): unknown {
  return JSON.parse(text, (key, value: unknown) => {
    if (key === '__proto__') throw new SyntaxError('__proto__ key');
    return value;
  });
}

/** A scope name as the contract allows it on the wire: visible ASCII, no spaces, at most 200 characters. */
export function isScopeName(value: unknown): value is string {
  return typeof value === 'string' && SCOPE.test(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function own(obj: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

/** Validates a 201 body of either token endpoint. `headerTokenId` is the X-Token-Id header (null when absent). */
export function validateIssuedToken(
  body: unknown,
  headerTokenId: string | null,
  kind: 'long' | 'short',
  receivedAt: number,
): IssuedToken {
  if (!isRecord(body)) throw invalidResponse('The token response is not a JSON object.');

  const tokenType = own(body, 'token_type');
  if (typeof tokenType !== 'string' || tokenType.toLowerCase() !== 'bearer') {
    throw invalidResponse('The token response has no token_type "Bearer".');
  }

  const accessToken = own(body, 'access_token');
  if (typeof accessToken !== 'string' || accessToken.length === 0) {
    throw invalidResponse('The token response has no access_token.');
  }
  if (accessToken.length > MAX_TOKEN_LENGTH) throw invalidResponse('The access_token in the response is too long.');
  if (!TOKEN_CHARS.test(accessToken)) {
    throw invalidResponse('The access_token in the response contains spaces, control or non-ASCII characters.');
  }

  const expiresIn = own(body, 'expires_in');
  if (
    typeof expiresIn !== 'number' ||
    !Number.isSafeInteger(expiresIn) ||
    expiresIn <= 0 ||
    expiresIn > MAX_EXPIRES_IN[kind]
  ) {
    throw invalidResponse(
      `The token response's expires_in is not a whole number of seconds in 1..${MAX_EXPIRES_IN[kind]}.`,
    );
  }

  const expiresAt = own(body, 'expires_at');
  if (typeof expiresAt !== 'string' || !ISO_DATE_TIME.test(expiresAt) || !Number.isFinite(Date.parse(expiresAt))) {
    throw invalidResponse("The token response's expires_at is not an ISO 8601 date-time.");
  }

  const rawScopes = own(body, 'scopes');
  let scopes: string[] = [];
  if (rawScopes !== undefined) {
    if (!Array.isArray(rawScopes) || rawScopes.length > 500 || !rawScopes.every(isScopeName)) {
      throw invalidResponse("The token response's scopes is not a list of scope names.");
    }
    scopes = [...(rawScopes as string[])];
  }

  const bodyId = own(body, 'token_id');
  if (bodyId !== undefined && (typeof bodyId !== 'string' || !TOKEN_ID.test(bodyId))) {
    throw invalidResponse("The token response's token_id is not a usable identifier.");
  }
  const headerId = headerTokenId === null ? undefined : headerTokenId.trim();
  if (headerId !== undefined && !TOKEN_ID.test(headerId)) {
    throw invalidResponse('The X-Token-Id header is not a usable identifier.');
  }
  if (kind === 'long' && headerId === undefined) {
    throw invalidResponse('The long-term token response has no X-Token-Id header (required by the contract).');
  }
  // Ids that disagree (a mock server's placeholder header, say) do not make the token unusable: the server issued it,
  // so it is kept and revoked by the header's id (the contract's identifier "for revocation and audit"), the body's
  // kept as the fallback.
  const disagreeing = bodyId !== undefined && headerId !== undefined && bodyId !== headerId;

  return {
    tokenType: 'Bearer',
    accessToken,
    expiresIn,
    expiresAt,
    scopes,
    tokenId: headerId ?? (bodyId as string | undefined) ?? '',
    ...(disagreeing ? { bodyTokenId: bodyId as string } : {}),
    receivedAt,
  };
}

/** The contract's AuthError code and message, if the body has them in a usable form. `details` is ignored on purpose. */
export function readAuthError(body: unknown): { code?: string; message?: string } {
  if (!isRecord(body)) return {};
  const code = own(body, 'code');
  const message = own(body, 'message');
  return {
    ...(typeof code === 'string' && /^[a-z][a-z0-9_]{0,39}$/.test(code) ? { code } : {}),
    // Not shortened here: the caller redacts first, so a secret cut in half by truncation cannot slip through.
    ...(typeof message === 'string' && message.trim() !== '' ? { message: message.slice(0, 20_000) } : {}),
  };
}

/** Server text made safe to show: control characters out, whitespace folded, length capped. */
export function cleanText(text: string, max: number): string {
  const folded = text
    // eslint-disable-next-line no-control-regex -- control characters are exactly what this removes
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return folded.length > max ? `${folded.slice(0, max)}…` : folded;
}
