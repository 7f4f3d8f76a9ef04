// Sends the one request an agent asked for and the user confirmed, and says what came back, redacted: the token is
// added here (never by the caller), redirects are reported and not followed (a 3xx would take the token elsewhere),
// the body read is bounded, and every text of the answer passes through responseRedaction before it is returned.
// vscode-free: fetch, the token source and the clock are given.
import type { CheckedRequest } from './originGuard';
import { cutSafely, cutMargin, redactForAgent } from './responseRedaction';

/** At most this much of a response body is shown to the agent (bytes read; the rest is not read). */
export const MAX_SHOWN_BODY_BYTES = 65_536;
export const REQUEST_TIMEOUT_MS = 30_000;

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface SendDeps {
  fetch: FetchLike;
  /** Values to mask besides the token of this request (what the extension holds right now). */
  held(): readonly string[];
  timeoutMs?: number;
}

export interface AgentResponse {
  status: number;
  statusText: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  /** The body was longer than MAX_SHOWN_BODY_BYTES: only its beginning is shown. */
  truncated?: boolean;
  /** A 3xx: where it pointed (redacted); it was not followed and its body not read. */
  redirect?: { location: string | null; followed: false };
}

/** Reads at most `limit` bytes of the body; `more` when there was more (then the stream is cancelled). */
async function readBounded(response: Response, limit: number): Promise<{ bytes: Buffer; more: boolean }> {
  if (!response.body) return { bytes: Buffer.alloc(0), more: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { bytes: Buffer.concat(chunks), more: false };
    chunks.push(value);
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return { bytes: Buffer.concat(chunks).subarray(0, limit), more: true };
    }
  }
}

/**
 * Sends `request` with `Authorization: Bearer <token>`. Throws only for a network failure, a timeout or a cancel
 * (with a message that holds no secret); every HTTP answer, a 3xx included, is returned.
 */
export async function sendAuthenticated(
  request: CheckedRequest,
  token: string,
  deps: SendDeps,
  signal?: AbortSignal,
): Promise<AgentResponse> {
  const held = [token, ...deps.held()];
  const controller = new AbortController();
  const onAbort = (): void => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) controller.abort();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, deps.timeoutMs ?? REQUEST_TIMEOUT_MS);
  try {
    let response: Response;
    try {
      response = await deps.fetch(request.url, {
        method: request.method,
        headers: { ...request.headers, Authorization: `Bearer ${token}` },
        body: request.body,
        redirect: 'manual',
        signal: controller.signal,
      });
    } catch {
      // The error may quote the request (its headers): it is not passed on, only what happened.
      throw new Error(
        timedOut
          ? 'no answer within the time limit'
          : signal?.aborted
            ? 'cancelled'
            : `could not reach ${request.origin}`,
      );
    }
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = redactForAgent(value, held);
    });
    const base = {
      status: response.status,
      statusText: redactForAgent(response.statusText, held),
      url: redactForAgent(request.url, held),
      headers,
    };
    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
      await response.body?.cancel().catch(() => undefined);
      const location = response.headers.get('location');
      return {
        ...base,
        status: response.status || 302,
        body: '',
        redirect: { location: location === null ? null : redactForAgent(location, held), followed: false },
      };
    }
    // Read a margin past the bound, so a value spelled across the bound is seen whole and cut away (cutSafely).
    const { bytes, more } = await readBounded(response, MAX_SHOWN_BODY_BYTES + cutMargin(held)).catch(() => {
      throw new Error(
        timedOut ? 'no complete answer within the time limit' : signal?.aborted ? 'cancelled' : 'the answer broke off',
      );
    });
    const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
    const over = more || bytes.byteLength > MAX_SHOWN_BODY_BYTES;
    const shown = over ? cutSafely(text, held) : text;
    return { ...base, body: redactForAgent(shown, held), ...(over ? { truncated: true } : {}) };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}
