// The C2M auth API client: one typed function per operation of the contract (issue long-term, issue short-term,
// revoke). No vscode import: it runs under plain mocha and inside the extension host.
// Retry policy: none, except issueShortTermToken (network, timeout, 5xx, 429; at most 3 tries, full-jitter
// backoff, Retry-After honoured). The long-term call is never retried: an OTP is single-use. Each call tells
// `onTry` which try of how many starts, so what the user sees comes from this policy, not a copy of it.
// Cancelling (`signal`) stops what has not been sent and every retry. A request that creates a token keeps its
// connection once sent (transport.ts, keepAfterSend): its answer still arrives and the call resolves with the token,
// for the caller to store or revoke. A revoke is aborted outright: it is idempotent, so it can simply be sent again.
import { signClientAssertion } from './assertion';
import { backoffDelay, abortableSleep } from './backoff';
import { baseHref, checkBaseUrl, originOf } from './baseUrl';
import { C2mApiError } from './errors';
import { redact } from './redact';
import { parseRetryAfter } from './retryAfter';
import { exchange, type ExchangeAnswer } from './transport';
import { JWT_BEARER_ASSERTION_TYPE, type LongTokenRequest, type ShortTokenRequest } from '@shared/contract/wire';
import type { IssuedToken, LongTermGrant } from './types';
import {
  cleanText,
  invalidResponse,
  isScopeName,
  parseJsonStrict,
  readAuthError,
  validateIssuedToken,
} from './validate';

export const DEFAULT_TIMEOUT_MS = 15_000;
/** Tries of the short-term exchange, the first one included. */
export const SHORT_EXCHANGE_MAX_TRIES = 3;
/** A Retry-After longer than this is not waited out inside one call: the error carries it so the caller can schedule. */
export const MAX_IN_CALL_RETRY_WAIT_MS = 30_000;

export interface AuthClientOptions {
  baseUrl: string;
  /** Per request, covering the body too. Default 15000. */
  timeoutMs?: number;
  now?: () => number;
  /** [0, 1), for backoff jitter. */
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Receives redacted lines only. */
  log?: (line: string) => void;
}

/** What every call accepts: the caller's cancel, and a report of each try as it starts (1-based, of `tries`). */
export interface CallOptions {
  signal?: AbortSignal;
  onTry?: (attempt: number, tries: number) => void;
}

export interface AuthClient {
  /** The vetted base URL (no trailing slash) and its origin, for binding secrets to where they may be sent. */
  readonly baseUrl: string;
  readonly origin: string;
  /** Never retried (an OTP is single-use). */
  issueLongTermToken(
    grant: LongTermGrant,
    opts?: { scopes?: string[]; ttlSeconds?: number } & CallOptions,
  ): Promise<IssuedToken>;
  /** Retries network errors, timeouts, 5xx and 429: at most 3 tries. */
  issueShortTermToken(longTermToken: string, opts?: { scopes?: string[] } & CallOptions): Promise<IssuedToken>;
  /** 204 resolves; 404 -> C2mApiError status 404 code not_found. */
  revokeToken(tokenId: string, bearerToken: string, opts?: CallOptions): Promise<void>;
}

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
const KNOWN_MEDIA_TYPES = new Set([
  'text/html',
  'text/plain',
  'text/xml',
  'application/xml',
  'application/xhtml+xml',
  'application/octet-stream',
]);
const HEADER_SAFE = /^[\x21-\x7e]+$/;

/** The contract's code for each error status, used when the body does not say. */
const DEFAULT_CODES: Record<number, string> = {
  400: 'invalid_request',
  401: 'invalid_token',
  403: 'insufficient_scope',
  404: 'not_found',
  413: 'payload_too_large',
  429: 'rate_limited',
};

/** The caller cancelled: `what` was not (or no longer) asked for; `detail` says how far it got. */
function cancelled(what: string, detail: string): C2mApiError {
  return new C2mApiError({
    kind: 'aborted',
    code: 'aborted',
    message: `The ${what} request was cancelled (${detail}).`,
  });
}

function localInputError(message: string): C2mApiError {
  return new C2mApiError({ kind: 'invalid_request', code: 'invalid_request', message });
}

function checkHeaderValue(value: string, what: string): void {
  if (typeof value !== 'string' || value.length === 0) throw localInputError(`The ${what} is empty.`);
  if (!HEADER_SAFE.test(value)) throw localInputError(`The ${what} contains spaces, control or non-ASCII characters.`);
}

function checkScopes(scopes: string[] | undefined): void {
  if (scopes === undefined) return;
  if (!Array.isArray(scopes) || !scopes.every(isScopeName)) {
    throw localInputError('Scopes must be a list of names without spaces, such as "jobs:submit".');
  }
}

export function createAuthClient(options: AuthClientOptions): AuthClient {
  const base = checkBaseUrl(options.baseUrl);
  const baseUrl = baseHref(base);
  const origin = originOf(base);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? abortableSleep;
  const log = (line: string, secrets: readonly string[] = []): void => {
    try {
      options.log?.(redact(`c2m-api: ${line}`, secrets));
    } catch {
      // A failing log sink must not turn a successful token call into a failure.
    }
  };

  async function post(
    path: string,
    init: {
      headers: Record<string, string>;
      body?: object;
      signal?: AbortSignal;
      keepAfterSend?: boolean;
      secrets: readonly string[];
    },
  ): Promise<ExchangeAnswer> {
    const started = now();
    const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    try {
      const answer = await exchange({
        url: `${baseUrl}${path}`,
        origin,
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        timeoutMs,
        signal: init.signal,
        keepAfterSend: init.keepAfterSend,
        secrets: init.secrets,
        now,
      });
      log(`POST ${path} -> ${answer.status} (${answer.receivedAt - started} ms)`, init.secrets);
      return answer;
    } catch (error) {
      if (error instanceof C2mApiError)
        log(`POST ${path} failed: ${error.kind} ${error.code}: ${error.message}`, init.secrets);
      throw error;
    }
  }

  function logDisagreement(token: IssuedToken): void {
    if (token.bodyTokenId === undefined) return;
    log(
      `the 201's X-Token-Id (${token.tokenId}) and token_id (${token.bodyTokenId}) disagree: the token is kept, revoked by X-Token-Id first`,
    );
  }

  /** Turns a non-success answer into the typed error: contract code and message, never `details`. */
  function answerError(answer: ExchangeAnswer, expected: number, secrets: readonly string[]): C2mApiError {
    const { status } = answer;
    if (status < 400 || status > 599) {
      return new C2mApiError({
        kind: 'invalid_response',
        code: 'unexpected_status',
        status,
        secrets,
        message: `The server answered ${status} where the contract says ${expected}; nothing was accepted.`,
      });
    }
    let parsed: { code?: string; message?: string } = {};
    if (JSON_MEDIA_TYPE.test(answer.headers.get('content-type') ?? '')) {
      try {
        parsed = readAuthError(parseJsonStrict(answer.text));
      } catch {
        parsed = {};
      }
    }
    // The code is kept verbatim on the error (not only in its message), so it must not carry anything secret either.
    const serverCode =
      parsed.code !== undefined && redact(parsed.code, secrets) === parsed.code ? parsed.code : undefined;
    const code = serverCode ?? DEFAULT_CODES[status] ?? (status >= 500 ? 'server_error' : 'http_error');
    const retryAfterMs =
      status === 429 || status === 503 ? parseRetryAfter(answer.headers.get('retry-after'), now()) : undefined;
    const text =
      parsed.message ?? (status >= 500 ? 'The C2M server had a problem.' : 'The C2M server refused the request.');
    const when = retryAfterMs === undefined ? '' : ` Retry after ${Math.ceil(retryAfterMs / 1000)} s.`;
    return new C2mApiError({
      kind: 'http',
      status,
      code,
      retryAfterMs,
      secrets,
      retryable: status === 429 || status >= 500,
      // Redact before cleaning and shortening, so no partial secret survives a cut.
      message: `${cleanText(redact(text, secrets), 300)} (HTTP ${status} ${code}).${when}`,
    });
  }

  /** A 201 from a token endpoint: JSON content type, strict parse, every field validated. */
  function issuedFrom(answer: ExchangeAnswer, kind: 'long' | 'short', secrets: readonly string[]): IssuedToken {
    if (answer.status !== 201) throw answerError(answer, 201, secrets);
    const contentType = answer.headers.get('content-type') ?? '';
    if (!JSON_MEDIA_TYPE.test(contentType)) {
      // Named only when it is a common type: a hostile header value is never repeated.
      const media = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
      const shown = KNOWN_MEDIA_TYPES.has(media) ? media : media ? 'an unexpected content type' : 'no content type';
      throw invalidResponse(
        `The server answered 201 with ${shown} instead of JSON (a captive portal or proxy login page?); nothing was accepted.`,
      );
    }
    if (answer.text.trim() === '')
      throw invalidResponse('The server answered 201 with an empty body; nothing was accepted.');
    let body: unknown;
    try {
      body = parseJsonStrict(answer.text);
    } catch {
      throw invalidResponse(
        'The server answered 201 with a body that is not valid JSON (or uses __proto__ keys); nothing was accepted.',
      );
    }
    const token = validateIssuedToken(body, answer.headers.get('x-token-id'), kind, answer.receivedAt);
    // Ids are logged, stored and shown: one that repeats a secret of the request is an echo, not an id.
    for (const id of [token.tokenId, token.bodyTokenId ?? '']) {
      if (secrets.some((secret) => secret !== '' && id.includes(secret)))
        throw invalidResponse(
          'The token id in the response repeats a credential of the request; nothing was accepted.',
        );
    }
    return token;
  }

  async function longTermRequest(
    grant: LongTermGrant,
  ): Promise<{ body: LongTokenRequest; headers: Record<string, string>; secrets: string[] }> {
    if (typeof grant.clientId !== 'string' || grant.clientId.trim() === '')
      throw localInputError('The client id is empty.');
    checkHeaderValue(grant.clientId, 'client id');
    const headers: Record<string, string> = { 'x-client-id': grant.clientId };
    switch (grant.mechanism) {
      case 'client_secret':
        if (!grant.clientSecret) throw localInputError('The client secret is empty.');
        return {
          body: { grant_type: 'client_credentials', client_id: grant.clientId, client_secret: grant.clientSecret },
          headers,
          secrets: [grant.clientSecret],
        };
      case 'otp':
        if (!grant.otpCode || !grant.otpCode.trim()) throw localInputError('The one-time code is empty.');
        return {
          body: { grant_type: 'client_credentials', client_id: grant.clientId, otp_code: grant.otpCode.trim() },
          headers,
          secrets: [grant.otpCode.trim()],
        };
      case 'assertion': {
        const assertion = await signClientAssertion({
          clientId: grant.clientId,
          privateKeyPem: grant.privateKeyPem,
          audience: grant.audience ?? baseUrl,
          nowMs: now(),
        });
        return {
          body: {
            grant_type: 'assertion',
            client_id: grant.clientId,
            assertion_type: JWT_BEARER_ASSERTION_TYPE,
            assertion,
          },
          headers,
          secrets: [assertion, grant.privateKeyPem],
        };
      }
      case 'short_term':
        checkHeaderValue(grant.shortTermToken, 'short-term token');
        return {
          body: { grant_type: 'client_credentials', client_id: grant.clientId },
          headers: { ...headers, authorization: `Bearer ${grant.shortTermToken}` },
          secrets: [grant.shortTermToken],
        };
      default: {
        const unknown: { mechanism?: unknown } = grant;
        throw localInputError(`Unknown grant mechanism ${String(unknown.mechanism)}.`);
      }
    }
  }

  async function issueLongTermToken(
    grant: LongTermGrant,
    opts: { scopes?: string[]; ttlSeconds?: number } & CallOptions = {},
  ): Promise<IssuedToken> {
    checkScopes(opts.scopes);
    if (opts.ttlSeconds !== undefined && (!Number.isSafeInteger(opts.ttlSeconds) || opts.ttlSeconds <= 0)) {
      throw localInputError('ttlSeconds must be a positive whole number of seconds.');
    }
    const { body, headers, secrets } = await longTermRequest(grant);
    if (opts.scopes !== undefined) body.scopes = [...opts.scopes];
    if (opts.ttlSeconds !== undefined) body.ttl_seconds = opts.ttlSeconds;
    if (opts.signal?.aborted) throw cancelled('long-term token', 'nothing was sent');
    // One try only: a retried OTP would be rejected as reused, and a lost 201 must surface, not be papered over.
    opts.onTry?.(1, 1);
    const answer = await post('/auth/tokens/long', {
      headers,
      body,
      signal: opts.signal,
      keepAfterSend: true,
      secrets,
    });
    const token = issuedFrom(answer, 'long', secrets);
    log(`issued long-term token ${token.tokenId} via ${grant.mechanism}, expires in ${token.expiresIn} s`);
    logDisagreement(token);
    return token;
  }

  async function issueShortTermToken(
    longTermToken: string,
    opts: { scopes?: string[] } & CallOptions = {},
  ): Promise<IssuedToken> {
    checkHeaderValue(longTermToken, 'long-term token');
    checkScopes(opts.scopes);
    const secrets = [longTermToken];
    const body: ShortTokenRequest = opts.scopes === undefined ? {} : { scopes: [...opts.scopes] };
    for (let attempt = 1; ; attempt++) {
      if (opts.signal?.aborted)
        throw cancelled('short-term token', attempt === 1 ? 'nothing was sent' : `no try after try ${attempt - 1}`);
      opts.onTry?.(attempt, SHORT_EXCHANGE_MAX_TRIES);
      try {
        const answer = await post('/auth/tokens/short', {
          headers: { authorization: `Bearer ${longTermToken}` },
          body,
          signal: opts.signal,
          keepAfterSend: true,
          secrets,
        });
        const token = issuedFrom(answer, 'short', secrets);
        log(`issued short-term token ${token.tokenId || '(no id)'}, expires in ${token.expiresIn} s`);
        logDisagreement(token);
        return token;
      } catch (error) {
        if (!(error instanceof C2mApiError) || !error.retryable || attempt >= SHORT_EXCHANGE_MAX_TRIES) throw error;
        // Cancelled while this try was out: it ended (its answer was not a token), and no other is sent.
        if (opts.signal?.aborted) throw cancelled('short-term token', `no try after try ${attempt}`);
        if (error.retryAfterMs !== undefined && error.retryAfterMs > MAX_IN_CALL_RETRY_WAIT_MS) throw error;
        const delay = Math.max(backoffDelay(attempt, random), error.retryAfterMs ?? 0);
        log(`short-term exchange try ${attempt} failed (${error.code}); retrying in ${delay} ms`);
        // A sleep that rejects was cancelled; one that resolves may still race the caller's abort.
        const stopped = await sleep(delay, opts.signal).then(
          () => opts.signal?.aborted === true,
          () => true,
        );
        if (stopped) throw cancelled('short-term token', `no try after try ${attempt}`);
      }
    }
  }

  async function revokeToken(tokenId: string, bearerToken: string, opts: CallOptions = {}): Promise<void> {
    if (typeof tokenId !== 'string' || tokenId.length === 0 || tokenId.length > 256)
      throw localInputError('The token id is empty or too long.');
    checkHeaderValue(bearerToken, 'bearer token');
    const secrets = [bearerToken];
    if (opts.signal?.aborted) throw cancelled('revoke', 'nothing was sent');
    opts.onTry?.(1, 1);
    const answer = await post(`/auth/tokens/${encodeURIComponent(tokenId)}/revoke`, {
      headers: { authorization: `Bearer ${bearerToken}` },
      signal: opts.signal,
      secrets,
    });
    // Only 204 counts: a 200 from a captive portal must not make the user believe a token is revoked.
    if (answer.status !== 204) throw answerError(answer, 204, secrets);
    log(`revoked token ${tokenId}`);
  }

  return { baseUrl, origin, issueLongTermToken, issueShortTermToken, revokeToken };
}
