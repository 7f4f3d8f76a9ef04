// The answer a handler produces, kept as data so the server can still decide to drop it (a "lost 201") or delay it.
import type { ServerResponse } from 'node:http';
import type { SandboxHttpError } from './errors';

export interface SandboxResponse {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

/** Token endpoints' answers must never be cached by anything in between. */
const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}): SandboxResponse {
  return {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...NO_STORE, ...headers },
    body: JSON.stringify(value),
  };
}

export function noContent(): SandboxResponse {
  return { status: 204, headers: { ...NO_STORE } };
}

export function errorResponse(error: SandboxHttpError): SandboxResponse {
  const body: Record<string, unknown> = { code: error.code, message: error.message };
  if (error.details) body.details = error.details;
  return jsonResponse(error.status, body, error.headers);
}

/** Writes a response unless the socket is already gone (stopped sandbox, client went away). */
export function writeResponse(res: ServerResponse, response: SandboxResponse): void {
  if (res.destroyed || res.writableEnded) return;
  const headers: Record<string, string | number> = { ...response.headers };
  const hasBody = response.body !== undefined && response.status !== 204 && response.status !== 304;
  if (hasBody) headers['Content-Length'] = Buffer.byteLength(response.body!);
  res.writeHead(response.status, headers);
  res.end(hasBody ? response.body : undefined);
}
