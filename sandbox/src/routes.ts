// The contract's three operations plus the echoing protected resource. Each handler gets the request as data
// and returns a SandboxResponse or throws a SandboxHttpError; the server owns sockets and faults.
import type { IncomingHttpHeaders } from 'node:http';
import type { TokenResponse } from '@shared/contract/wire';
import type { AssertionVerifier } from './assertion';
import { authenticate, authenticateLong, bearerToken } from './bearer';
import { echoBody, parseJsonObject } from './body';
import type { RegisteredClient } from './clients';
import { insufficientScope, invalidRequest, invalidToken, methodNotAllowed, notFound } from './errors';
import type { ExchangeLimiter } from './exchangeLimit';
import type { Faults } from './faults';
import { checkGrant, mechanismOf } from './grants';
import { parseLongTokenRequest, parseShortTokenRequest } from './requestSchemas';
import { jsonResponse, noContent, type SandboxResponse } from './response';
import { resolveScopes, scopesCover } from './scopes';
import type { ShortTokenSigner } from './shortJwt';
import type { TokenRecord, TokenStore } from './tokenStore';

export const MIN_TTL_SECONDS = 3600;
export const MAX_TTL_SECONDS = 7_776_000;
export const DEFAULT_TTL_SECONDS = 2_592_000;

export interface SandboxState {
  baseUrl: string;
  shortTtlSeconds: number;
  now: () => number;
  clients: ReadonlyMap<string, RegisteredClient>;
  store: TokenStore;
  signer: ShortTokenSigner;
  assertions: AssertionVerifier;
  faults: Faults;
  exchanges: ExchangeLimiter;
}

export interface SandboxRequest {
  method: string;
  /** The path as received, query included, e.g. '/v1/jobs?x=1'. */
  rawPath: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  remoteAddress: string;
}

export interface Route {
  /** Stats and fault key, e.g. 'POST /auth/tokens/{id}/revoke'. */
  key: string;
  handle(request: SandboxRequest, state: SandboxState): Promise<SandboxResponse>;
}

/** Issue times are whole seconds, so `expires_at` and a JWT's `exp` say the same thing. */
const wholeSecond = (ms: number) => Math.floor(ms / 1000) * 1000;
const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function tokenIssued(accessToken: string, record: TokenRecord, expiresIn: number): SandboxResponse {
  const body: TokenResponse = {
    token_type: 'Bearer',
    access_token: accessToken,
    expires_in: expiresIn,
    expires_at: isoSeconds(record.expiresAt),
    scopes: [...record.scopes],
    token_id: record.tokenId,
  };
  return jsonResponse(201, body, { 'X-Token-Id': record.tokenId });
}

/** The bucket a request counts against for the rate limit: its client, as far as it can be told cheaply. */
async function clientKeyOf(token: string | undefined, request: SandboxRequest, state: SandboxState): Promise<string> {
  if (token !== undefined) {
    const long = state.store.findLongByValue(token);
    if (long) return long.clientId;
    const short = await state.signer.verify(token, state.now());
    if (short) return short.sub;
  }
  return `anonymous@${request.remoteAddress}`;
}

function parseBody(request: SandboxRequest) {
  return parseJsonObject(request.body, request.headers['content-type']);
}

async function issueLong(request: SandboxRequest, state: SandboxState): Promise<SandboxResponse> {
  const body = parseLongTokenRequest(parseBody(request));
  const headerClientId = request.headers['x-client-id'];
  if (headerClientId !== undefined && headerClientId !== body.client_id) {
    throw invalidRequest('The X-Client-Id header does not match client_id.');
  }
  state.faults.checkRateLimit(body.client_id);
  const bearer = bearerToken(request.headers);
  const grant = await checkGrant(mechanismOf(body, bearer), body, bearer, state);
  const scopes = resolveScopes(body.scopes, grant.ceiling);
  const ttl = Math.min(MAX_TTL_SECONDS, Math.max(MIN_TTL_SECONDS, body.ttl_seconds ?? DEFAULT_TTL_SECONDS));
  grant.commit();
  const { record, value } = state.store.issueLong(grant.client.clientId, scopes, wholeSecond(state.now()), ttl);
  return tokenIssued(value, record, ttl);
}

async function issueShort(request: SandboxRequest, state: SandboxState): Promise<SandboxResponse> {
  const body = parseShortTokenRequest(parseBody(request));
  const headerToken = bearerToken(request.headers);
  if (headerToken !== undefined && body.long_token !== undefined && headerToken !== body.long_token) {
    throw invalidRequest(
      'Send the long-term token once: in the Authorization header or as long_token, not two different ones.',
    );
  }
  const token = headerToken ?? body.long_token;
  if (token === undefined) throw invalidToken('A long-term token is required: Authorization: Bearer <long_token>.');
  state.faults.checkRateLimit(await clientKeyOf(token, request, state));
  const parent = await authenticateLong(token, state);
  state.exchanges.take(parent.tokenId);
  const scopes = resolveScopes(body.scopes, parent.scopes);
  const issuedAt = wholeSecond(state.now());
  const record = state.store.registerShort(parent, scopes, issuedAt, state.shortTtlSeconds);
  const jwt = await state.signer.sign({
    sub: parent.clientId,
    scope: scopes.join(' '),
    jti: record.tokenId,
    iat: issuedAt / 1000,
    exp: record.expiresAt / 1000,
  });
  return tokenIssued(jwt, record, state.shortTtlSeconds);
}

async function revoke(tokenId: string, request: SandboxRequest, state: SandboxState): Promise<SandboxResponse> {
  // The contract defines no body here, so whatever comes (axios sends `null` as JSON for `data: null`) is ignored.
  const token = bearerToken(request.headers);
  if (token === undefined) throw invalidToken('A token with tokens:revoke is required: Authorization: Bearer <token>.');
  state.faults.checkRateLimit(await clientKeyOf(token, request, state));
  const caller = await authenticate(token, state);
  if (!scopesCover(caller.scopes, 'tokens:revoke')) throw insufficientScope('tokens:revoke');
  const target = state.store.get(tokenId);
  // Another client's token answers exactly like an unknown one, so ids do not leak.
  if (!target || target.clientId !== caller.clientId) throw notFound('No token with this id.');
  state.store.revoke(tokenId);
  return noContent();
}

const MASKED_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);

function maskedHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    out[name] = !MASKED_HEADERS.has(name)
      ? text
      : name === 'authorization'
        ? text.replace(/^(\S+)\s.*$/s, '$1 ***')
        : '***';
  }
  return out;
}

async function protectedResource(request: SandboxRequest, state: SandboxState): Promise<SandboxResponse> {
  const token = bearerToken(request.headers);
  if (token === undefined) throw invalidToken('A short-term token is required: Authorization: Bearer <token>.');
  state.faults.checkRateLimit(await clientKeyOf(token, request, state));
  const record = await authenticate(token, state);
  if (record.kind !== 'short') {
    throw invalidToken('API calls need a short-term token; exchange the long-term token at /auth/tokens/short.');
  }
  return jsonResponse(200, {
    method: request.method,
    path: request.rawPath,
    headers: maskedHeaders(request.headers),
    body: echoBody(request.body),
    token: { client_id: record.clientId, token_id: record.tokenId, scopes: record.scopes },
  });
}

function postOnly(key: string, handler: Route['handle']): Route {
  const method = key.slice(0, key.indexOf(' '));
  return method === 'POST' ? { key, handle: handler } : { key, handle: () => Promise.reject(methodNotAllowed('POST')) };
}

const REVOKE_PATH = /^\/auth\/tokens\/([^/]+)\/revoke$/;

/** Finds the route for a request. `basePath` is the base URL's path ('/v1'); anything outside it is 404. */
export function routeOf(method: string, pathname: string, basePath: string): Route {
  if (pathname !== basePath && !pathname.startsWith(`${basePath}/`)) {
    return { key: `${method} ${pathname}`, handle: () => Promise.reject(notFound()) };
  }
  const path = pathname.slice(basePath.length) || '/';
  if (path === '/auth/tokens/long') return postOnly(`${method} ${path}`, issueLong);
  if (path === '/auth/tokens/short') return postOnly(`${method} ${path}`, issueShort);
  const revokeMatch = REVOKE_PATH.exec(path);
  if (revokeMatch) {
    let tokenId: string;
    try {
      tokenId = decodeURIComponent(revokeMatch[1]!);
    } catch {
      tokenId = revokeMatch[1]!;
    }
    return postOnly(`${method} /auth/tokens/{id}/revoke`, (request, state) => revoke(tokenId, request, state));
  }
  return { key: `${method} ${path}`, handle: protectedResource };
}
