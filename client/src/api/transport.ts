// One HTTP exchange with the auth server, with the safety rules every call shares: only the configured origin,
// no redirects followed, a deadline that also covers the body, a capped body read, and failures mapped to
// C2mApiError without carrying any request object along. Built on ofetch's public API only (ofetch.raw), so it
// behaves the same with the Node build (tsx/mocha) and the native-fetch build (esbuild bundle).
import { ofetch } from 'ofetch';
import { originOf } from './baseUrl';
import { C2mApiError } from './errors';

/** Bodies larger than this are refused unread: a token answer is a few KB. */
export const MAX_BODY_BYTES = 1_048_576;

export interface ExchangeRequest {
  url: string;
  /** The only origin this request may go to (the base URL's). */
  origin: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /**
   * The caller's cancel. Before the request leaves it stops everything (nothing is sent); once it may have left, it
   * closes the connection, unless keepAfterSend.
   */
  signal?: AbortSignal;
  /**
   * For requests whose answer creates something at the server (a token): once the request may have left, a cancel no
   * longer closes the connection, so the answer still arrives (within timeoutMs) and its token can be stored or
   * revoked instead of living on at the server with nobody holding it.
   */
  keepAfterSend?: boolean;
  /** Exact secret values of this request, masked in any error text. */
  secrets: readonly string[];
  /** Clock for receivedAt. */
  now: () => number;
}

export interface ExchangeAnswer {
  status: number;
  headers: Headers;
  /** The body as text ('' when there was none). */
  text: string;
  /** Local epoch ms when the status line and headers arrived. */
  receivedAt: number;
}

/** Walks an error's cause chain for a Node/undici error code such as ECONNREFUSED. */
function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{2,40}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Reads at most MAX_BODY_BYTES; beyond that the stream is cancelled and the answer refused. */
async function readCapped(response: Response, secrets: readonly string[]): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(secrets);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(secrets);
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks));
}

function tooLarge(secrets: readonly string[]): C2mApiError {
  return new C2mApiError({
    kind: 'invalid_response',
    code: 'response_too_large',
    message: `The server's answer is larger than ${MAX_BODY_BYTES} bytes; refused without reading it.`,
    secrets,
  });
}

/** Sends one request and returns status, headers and body text; never follows a redirect. */
export async function exchange(request: ExchangeRequest): Promise<ExchangeAnswer> {
  const { secrets } = request;
  const target = new URL(request.url);
  if (originOf(target) !== request.origin) {
    // Defence in depth: paths are built by us, but a token must never leave its origin.
    throw new C2mApiError({
      kind: 'insecure_url',
      code: 'cross_origin',
      message: 'Refused to send a request outside the configured C2M origin.',
      secrets,
    });
  }
  const where = `${target.pathname}`;
  if (request.signal?.aborted) throw aborted(where, secrets);

  const controller = new AbortController();
  let timedOut = false;
  const onCallerAbort = (): void => controller.abort();
  // From here on the request may be on the wire: see keepAfterSend.
  const abortable = request.keepAfterSend !== true;
  if (abortable) request.signal?.addEventListener('abort', onCallerAbort, { once: true });
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, request.timeoutMs);

  const failure = (error: unknown): C2mApiError => {
    if (error instanceof C2mApiError) return error;
    if (timedOut) {
      return new C2mApiError({
        kind: 'timeout',
        code: 'timeout',
        retryable: true,
        secrets,
        message: `No complete answer from ${request.origin}${where} within ${request.timeoutMs < 1000 ? `${request.timeoutMs} ms` : `${Math.round(request.timeoutMs / 100) / 10} s`}.`,
      });
    }
    if (abortable && request.signal?.aborted) return aborted(where, secrets);
    const code = networkCode(error);
    return new C2mApiError({
      kind: 'network',
      code: 'network_error',
      retryable: true,
      secrets,
      message: `Could not reach ${request.origin}${where}${code ? ` (${code})` : ''}.`,
    });
  };

  try {
    let response: Response;
    try {
      response = await ofetch.raw(request.url, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        signal: controller.signal,
        retry: 0,
        redirect: 'manual',
        ignoreResponseError: true,
        // 'stream' leaves the body unread, so readCapped decides how much of it to take.
        responseType: 'stream',
      });
    } catch (error) {
      throw failure(error);
    }
    const receivedAt = request.now();
    // Node's fetch exposes the 3xx itself; browser-style fetch gives an opaque redirect with status 0.
    if (
      response.type === 'opaqueredirect' ||
      response.status === 0 ||
      (response.status >= 300 && response.status < 400)
    ) {
      await response.body?.cancel().catch(() => undefined);
      const location = response.headers.get('location');
      let to = '';
      try {
        if (location) to = ` to ${originOf(new URL(location, target))}`;
      } catch {
        // unparseable Location: say nothing about it
      }
      throw new C2mApiError({
        kind: 'redirect',
        code: 'redirect_refused',
        status: response.status || undefined,
        secrets,
        message:
          `The server answered ${request.origin}${where} with a redirect${response.status ? ` (${response.status})` : ''}${to}; ` +
          'token requests never follow redirects, nothing was sent there. Check the configured base URL.',
      });
    }
    let text: string;
    try {
      text = await readCapped(response, secrets);
    } catch (error) {
      throw failure(error);
    }
    return { status: response.status, headers: response.headers, text, receivedAt };
  } finally {
    clearTimeout(timer);
    request.signal?.removeEventListener('abort', onCallerAbort);
  }
}

function aborted(where: string, secrets: readonly string[]): C2mApiError {
  return new C2mApiError({
    kind: 'aborted',
    code: 'aborted',
    message: `The request to ${where} was cancelled.`,
    secrets,
  });
}
