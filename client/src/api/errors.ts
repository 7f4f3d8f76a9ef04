// The one error type of the API client. Its message is built from redacted text only, and it carries no
// cause, request, response or options object: util.inspect(err) shows nothing a secret could hide in.
import { redact } from './redact';

export type C2mApiErrorKind =
  | 'http' // the server answered 4xx/5xx (status, contract code and message)
  | 'network' // no answer: refused, reset, DNS
  | 'timeout' // no complete answer within timeoutMs
  | 'aborted' // the caller's AbortSignal fired
  | 'invalid_response' // an answer we will not trust: wrong status, not JSON, malformed 201, too large
  | 'redirect' // a 3xx, refused: token requests are never redirected
  | 'insecure_url' // base URL not HTTPS (and not loopback), or not a usable URL
  | 'invalid_request'; // a local input problem (unusable private key, malformed scope), nothing was sent

export interface C2mApiErrorInit {
  kind: C2mApiErrorKind;
  code: string;
  message: string;
  status?: number;
  retryAfterMs?: number;
  retryable?: boolean;
  /** Exact secret values of the failing request, masked in the message in addition to the pattern rules. */
  secrets?: readonly string[];
}

export class C2mApiError extends Error {
  override readonly name = 'C2mApiError';
  readonly kind: C2mApiErrorKind;
  readonly status?: number;
  /** Contract code (invalid_grant, invalid_token, insufficient_scope, not_found, rate_limited, ...) or a local code. */
  readonly code: string;
  /** For 429/503: how long to wait before trying again (ms). */
  readonly retryAfterMs?: number;
  /** Whether the same request could succeed later (network, timeout, 5xx, 429). */
  readonly retryable: boolean;

  constructor(init: C2mApiErrorInit) {
    super(redact(init.message, init.secrets));
    this.kind = init.kind;
    this.code = init.code;
    if (init.status !== undefined) this.status = init.status;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    this.retryable = init.retryable ?? false;
  }
}

export function isC2mApiError(value: unknown): value is C2mApiError {
  return value instanceof C2mApiError;
}
