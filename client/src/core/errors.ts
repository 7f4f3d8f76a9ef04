// The engine's one error type: a code the UI can branch on, an action it can offer, and a message fit to show.
// Messages are built from fixed text, profile names and redacted API messages only: never a token, secret or OTP.
import { isC2mApiError } from '../api/errors';
import { redact } from '../api/redact';

export type CoreErrorCode =
  | 'no_profile' // unknown profile id, or no active profile
  | 'no_long_token' // nothing to exchange: issue a long-term token first
  | 'long_expired' // the long-term token expired
  | 'origin_changed' // stored credentials belong to another base URL or client id: not sent
  | 'reissue_needed' // the server rejected the long-term token (401), also after re-reading storage
  | 'missing_secret' // client secret or private key not set (or bound elsewhere)
  | 'credentials_rejected' // the long-term endpoint refused the client secret, one-time code or assertion (400/401)
  | 'needs_short_token' // step-up mechanism without a usable short-term token
  | 'revoked' // revoked or signed out while the request was in flight: its answer was discarded
  | 'network_blocked' // Restricted Mode: this base URL comes from workspace settings
  | 'cancelled' // the user dismissed the OTP prompt
  | 'aborted' // the user cancelled an operation while it ran (its progress notification): the message says what still happens
  | 'rate_limited' // 429: `retryAt` says when
  | 'unreadable' // a stored record could not be read
  | 'store_failed' // secret storage refused a write: a token issued may be live with nobody holding it (the message says which)
  | 'other_window' // another window changed the tokens and this window's copy of secret storage cannot see it
  | 'ids_disagree' // a notice, not a failure: a 201's X-Token-Id and token_id differ (the token is stored)
  | 'api'; // any other API failure (network, timeout, 4xx/5xx, invalid response)

/** What the UI can offer next to the message. */
export type FailureAction = 'issue' | 'rotate' | 'retry' | 'setClientSecret' | 'setPrivateKey' | 'newCode' | 'reload';

export class CoreError extends Error {
  override readonly name = 'CoreError';
  readonly code: CoreErrorCode;
  readonly action?: FailureAction;
  /** Epoch ms before which a retry is pointless (429 Retry-After). */
  readonly retryAt?: number;
  /** The API client's error code/status, when this came from the server or the network. */
  readonly apiCode?: string;
  readonly status?: number;
  /** Whether the same call may succeed later without user action. */
  readonly retryable: boolean;
  /**
   * What went wrong, without the operation it interrupted (the message says both): the API client's redacted
   * message, for a notification that names the operation itself. Set on errors made by toCoreError.
   */
  readonly reason?: string;

  constructor(
    code: CoreErrorCode,
    message: string,
    extra: {
      action?: FailureAction;
      retryAt?: number;
      apiCode?: string;
      status?: number;
      retryable?: boolean;
      reason?: string;
    } = {},
  ) {
    super(redact(message));
    this.code = code;
    if (extra.reason !== undefined) this.reason = redact(extra.reason);
    if (extra.action !== undefined) this.action = extra.action;
    if (extra.retryAt !== undefined) this.retryAt = extra.retryAt;
    if (extra.apiCode !== undefined) this.apiCode = extra.apiCode;
    if (extra.status !== undefined) this.status = extra.status;
    this.retryable = extra.retryable ?? false;
  }
}

/**
 * Any thrown value as a CoreError, keeping only the API client's (already redacted) message and codes:
 * no cause chain, so inspecting the error cannot reveal a request or a response.
 */
export function toCoreError(error: unknown, what: string, now: number, known: readonly string[] = []): CoreError {
  if (error instanceof CoreError) return error;
  if (isC2mApiError(error)) {
    // The API client masks the secrets of the failing request; `known` adds the profile's other secrets, which a
    // server that knows them (it issued the client secret) could echo in the answer to an unrelated request.
    const message = redact(`${what}: ${error.message}`, known);
    const reason = redact(error.message, known);
    if (error.status === 429) {
      const retryAt = now + (error.retryAfterMs ?? 60_000);
      return new CoreError('rate_limited', message, {
        retryAt,
        apiCode: error.code,
        status: 429,
        retryable: true,
        action: 'retry',
        reason,
      });
    }
    return new CoreError('api', message, {
      reason,
      apiCode: error.code,
      status: error.status,
      retryable: error.retryable,
      ...(error.retryable ? { action: 'retry' as const } : {}),
      ...(error.retryAfterMs !== undefined ? { retryAt: now + error.retryAfterMs } : {}),
    });
  }
  // Unknown errors (a keychain failure, a bug) may carry anything: their message is redacted and shortened,
  // and the original is not kept as a cause.
  const detail = error instanceof Error ? `${error.name}: ${redact(error.message, known).slice(0, 200)}` : typeof error;
  return new CoreError('api', `${what}: unexpected ${detail}.`, {
    retryable: true,
    action: 'retry',
    reason: `unexpected ${detail}.`,
  });
}
