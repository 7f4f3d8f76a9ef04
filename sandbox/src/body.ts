// Bounded request-body reading and JSON parsing into null-prototype objects, so a `{"__proto__": ...}` body
// stays an ordinary own key and can never reach Object.prototype.
import type { IncomingMessage } from 'node:http';
import { invalidRequest, payloadTooLarge } from './errors';

export const BODY_LIMIT_BYTES = 64 * 1024;
/** Past the limit the rest is drained (so the client can read the 413) up to this much, then the socket is cut. */
const DRAIN_LIMIT_BYTES = 16 * 1024 * 1024;

export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Reads the whole body; throws 413 (after draining) when it exceeds `limit`. */
export function readBody(req: IncomingMessage, limit = BODY_LIMIT_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > DRAIN_LIMIT_BYTES) {
      req.socket.destroy();
      reject(payloadTooLarge(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > DRAIN_LIMIT_BYTES) {
        req.socket.destroy();
      } else if (size <= limit) {
        chunks.push(chunk);
      }
    });
    req.on('end', () => (size > limit ? reject(payloadTooLarge(limit)) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(invalidRequest('The request body was not received completely.'));
    });
  });
}

/**
 * Only application/json: a web page's no-cors request can send text/plain or a form, never this, so a body a page
 * could have sent is refused without being read.
 */
function isJsonContentType(value: string | undefined): boolean {
  return value !== undefined && value.split(';')[0]!.trim().toLowerCase() === 'application/json';
}

/** Copies parsed JSON into null-prototype objects: `__proto__`, `constructor` are plain data afterwards. */
function detach(value: unknown): JsonValue {
  if (Array.isArray(value)) return value.map(detach);
  if (value !== null && typeof value === 'object') {
    const out = Object.create(null) as JsonObject;
    for (const key of Object.keys(value)) out[key] = detach((value as Record<string, unknown>)[key]);
    return out;
  }
  return value as JsonValue;
}

/**
 * Parses a request body that must be a JSON object. Empty body -> undefined.
 * Non-JSON, a non-object, or a Content-Type other than application/json (absent included) -> 400 invalid_request
 * (400, not 415: the contract's token endpoints define 400 for a bad request and no 415).
 */
export function parseJsonObject(body: Buffer, contentType: string | undefined): JsonObject | undefined {
  const text = body.toString('utf8');
  if (text.trim() === '') return undefined;
  if (!isJsonContentType(contentType))
    throw invalidRequest('The request body must be JSON (Content-Type: application/json).');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidRequest('The request body is not valid JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalidRequest('The request body must be a JSON object.');
  }
  return detach(parsed) as JsonObject;
}

/** Parses a body for echoing: JSON when it parses, else the text, null when empty. */
export function echoBody(body: Buffer): JsonValue {
  const text = body.toString('utf8');
  if (text === '') return null;
  try {
    return detach(JSON.parse(text));
  } catch {
    return text;
  }
}
