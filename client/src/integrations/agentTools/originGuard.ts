// Where an agent's request may go: the active profile's origin, under its base URL's path, and nowhere else. The
// agent gives a path (or an absolute URL that spells the profile's origin exactly); everything that could make a URL
// parser, a proxy or the server read another host or another path is refused before anything is built: other hosts,
// scheme-relative `//host`, userinfo (`user@host`), `@`, backslashes (read as `/` by WHATWG URL), control characters,
// dot segments in any encoding (`..`, `%2e%2E`, double-encoded), encoded slashes, and headers that say where the request
// goes (Host, Forwarded) or who sends it (Authorization: the tool adds the token itself).
// Pure and vscode-free: the request tool and its property tests use it alike.

export type GuardResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/** The methods an agent may use; CONNECT, TRACE (echoes the request, token included) and others are refused. */
export const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type Method = (typeof METHODS)[number];

export const MAX_PATH_LENGTH = 4096;
export const MAX_HEADERS = 50;
export const MAX_HEADER_VALUE_LENGTH = 8192;
export const MAX_REQUEST_BODY_BYTES = 1_048_576;

/**
 * Headers the agent may not set. Authorization and Proxy-Authorization: the tool sends the token; a caller's own would
 * replace or shadow it. The others steer where a proxy or server routes the request, or how the message is framed.
 */
const REFUSED_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'host',
  'forwarded',
  'x-forwarded-host',
  'x-forwarded-server',
  'x-forwarded-proto',
  'x-forwarded-port',
  'x-host',
  'x-original-host',
  'x-original-url',
  'x-rewrite-url',
  'x-http-method-override',
  'x-method-override',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'te',
  'trailer',
  'upgrade',
  'expect',
]);

/** RFC 9110 token characters: a header name is one of these, nothing else. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Control characters and whitespace (tab, CR, LF, space, DEL, and the Unicode spaces): a URL parser strips or rewrites
// some of them, so a path holding one is refused rather than guessed at.
// eslint-disable-next-line no-control-regex
const CONTROL_OR_SPACE = /[\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200f\u2028\u2029\u202f\u205f\u3000\ufeff]/;

export interface Target {
  /** The full URL the request goes to. */
  url: string;
  /** Its origin (scheme://host:port), the profile's. */
  origin: string;
}

const refuse = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

/** Percent-decodes up to three times (double and triple encoding), or undefined when a round does not decode. */
function decodedSegment(segment: string): string | undefined {
  let current = segment;
  for (let round = 0; round < 3; round++) {
    if (!current.includes('%')) return current;
    try {
      current = decodeURIComponent(current);
    } catch {
      return undefined;
    }
  }
  return current.includes('%') ? undefined : current;
}

/** The path part of what the agent gave (before `?`), checked segment by segment. */
function checkPathPart(pathPart: string): string | undefined {
  if (pathPart.includes('@'))
    return 'an "@" in the path is refused (it could be read as user information before a host)';
  for (const segment of pathPart.split('/').slice(1)) {
    const decoded = decodedSegment(segment);
    if (decoded === undefined)
      return 'a path segment is not valid percent-encoding (or is encoded more than three times)';
    // `..;x` is `..` to servers that strip path parameters; fullwidth dots to those that normalise Unicode.
    if (/^[.\uff0e\u3002]{1,2}$/.test(decoded.split(';')[0]!)) {
      return 'dot segments ("." or "..", in any encoding) are refused: the path must stay under the base URL';
    }
    if (decoded.includes('/') || decoded.includes('\\')) return 'an encoded "/" or "\\" in the path is refused';
    if (decoded.includes('@')) return 'an encoded "@" in the path is refused';
    if (CONTROL_OR_SPACE.test(decoded)) return 'control characters or spaces in the path are refused (even encoded)';
  }
  return undefined;
}

/** The base URL's origin and path (no trailing slash), or a reason. */
function baseOf(baseUrl: string): GuardResult<{ origin: string; basePath: string }> {
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    return refuse("the active profile's base URL is not a valid URL");
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:')
    return refuse("the active profile's base URL is not http(s)");
  if (base.username || base.password || base.search || base.hash)
    return refuse("the active profile's base URL has user information, a query or a fragment");
  return { ok: true, value: { origin: base.origin, basePath: base.pathname.replace(/\/+$/, '') } };
}

/**
 * The URL an agent's `path` names under `baseUrl`, or why it is refused. `path` is relative to the base URL (`/jobs`
 * under `https://api.example.com/v1` is `https://api.example.com/v1/jobs`), or an absolute URL that starts with the
 * base URL exactly (same scheme, host and port, spelled as the base URL spells them).
 */
export function resolveTarget(baseUrl: string, path: unknown): GuardResult<Target> {
  const base = baseOf(baseUrl);
  if (!base.ok) return base;
  const { origin, basePath } = base.value;
  if (typeof path !== 'string' || path === '') return refuse('path must be a non-empty string such as "/jobs"');
  if (path.length > MAX_PATH_LENGTH) return refuse(`path is longer than ${MAX_PATH_LENGTH} characters`);
  if (path.includes('\\')) return refuse('a backslash is refused (URL parsers read it as "/")');
  if (CONTROL_OR_SPACE.test(path))
    return refuse('control characters or spaces are refused (percent-encode them in a query)');
  if (path.includes('#')) return refuse('a fragment (#...) is refused');

  let relative = path;
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(path)) {
    // An absolute URL: only one spelled exactly as the base URL begins; another host, port, scheme or user@ is refused.
    const prefix = `${origin}${basePath}`;
    const lower = path.toLowerCase();
    if (!lower.startsWith(prefix.toLowerCase()) || !/^(?:[/?]|$)/.test(path.slice(prefix.length))) {
      return refuse(`only ${prefix} may be called: give a path such as "/jobs" instead of another origin or path`);
    }
    relative = path.slice(prefix.length) || '/';
    if (relative.startsWith('?')) relative = `/${relative}`;
  }
  if (!relative.startsWith('/')) return refuse('path must start with "/" (it is relative to the base URL)');
  if (relative.startsWith('//')) return refuse('a path starting with "//" is refused (it would name another host)');

  const query = relative.indexOf('?');
  const pathPart = query === -1 ? relative : relative.slice(0, query);
  const problem = checkPathPart(pathPart);
  if (problem) return refuse(problem);

  let url: URL;
  try {
    url = new URL(`${origin}${basePath}${relative}`);
  } catch {
    return refuse('the path does not make a valid URL');
  }
  // Defence in depth: whatever the parser made of it must still be the profile's origin, under its path.
  if (url.origin !== origin || url.username || url.password) return refuse("the URL would leave the profile's origin");
  if (url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`))
    return refuse("the URL would leave the base URL's path");
  return { ok: true, value: { url: url.href, origin } };
}

export function checkMethod(method: unknown): GuardResult<Method> {
  const upper = typeof method === 'string' ? method.toUpperCase() : '';
  const found = METHODS.find((m) => m === upper);
  return found ? { ok: true, value: found } : refuse(`method must be one of ${METHODS.join(', ')}`);
}

/** The agent's headers as a plain record, or why they are refused (one refused header refuses the request). */
export function checkHeaders(headers: unknown): GuardResult<Record<string, string>> {
  if (headers === undefined || headers === null) return { ok: true, value: {} };
  if (typeof headers !== 'object' || Array.isArray(headers))
    return refuse('headers must be an object of name: value strings');
  const entries = Object.entries(headers as Record<string, unknown>);
  if (entries.length > MAX_HEADERS) return refuse(`at most ${MAX_HEADERS} headers`);
  const out: Record<string, string> = {};
  const seen = new Set<string>();
  for (const [name, value] of entries) {
    if (!HEADER_NAME.test(name)) return refuse(`"${name.slice(0, 40)}" is not a valid header name`);
    const lower = name.toLowerCase();
    if (REFUSED_HEADERS.has(lower)) {
      return refuse(
        lower === 'authorization' || lower === 'proxy-authorization'
          ? `the ${name} header is refused: the tool sends the profile's token itself`
          : `the ${name} header is refused: it would change where or how the request is sent`,
      );
    }
    if (seen.has(lower)) return refuse(`the ${name} header is given twice`);
    seen.add(lower);
    if (typeof value !== 'string') return refuse(`the value of ${name} must be a string`);
    if (value.length > MAX_HEADER_VALUE_LENGTH)
      return refuse(`the value of ${name} is longer than ${MAX_HEADER_VALUE_LENGTH} characters`);
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value))
      return refuse(`the value of ${name} holds control characters (a line break would add headers)`);
    out[name] = value;
  }
  return { ok: true, value: out };
}

export function checkBody(method: Method, body: unknown): GuardResult<string | undefined> {
  if (body === undefined || body === null || body === '') return { ok: true, value: undefined };
  if (typeof body !== 'string') return refuse('body must be a string (JSON as text)');
  if (method === 'GET' || method === 'HEAD') return refuse(`a ${method} request has no body`);
  if (Buffer.byteLength(body, 'utf8') > MAX_REQUEST_BODY_BYTES)
    return refuse(`body is larger than ${MAX_REQUEST_BODY_BYTES} bytes`);
  return { ok: true, value: body };
}

export interface AgentRequestInput {
  method?: unknown;
  path?: unknown;
  headers?: unknown;
  body?: unknown;
}

export interface CheckedRequest {
  method: Method;
  url: string;
  origin: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** Every check at once: the request as it may be sent, or the first reason it may not. */
export function checkRequest(baseUrl: string, input: AgentRequestInput): GuardResult<CheckedRequest> {
  const method = checkMethod(input.method ?? 'GET');
  if (!method.ok) return method;
  const target = resolveTarget(baseUrl, input.path);
  if (!target.ok) return target;
  const headers = checkHeaders(input.headers);
  if (!headers.ok) return headers;
  const body = checkBody(method.value, input.body);
  if (!body.ok) return body;
  return {
    ok: true,
    value: {
      method: method.value,
      url: target.value.url,
      origin: target.value.origin,
      headers: headers.value,
      body: body.value,
    },
  };
}
