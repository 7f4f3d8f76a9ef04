// The origin tokens and secrets are bound to. Shared by the API client (which binds them) and the language features
// (which tell the server each profile's origin, and check it before a quick fix writes a token for a request), and
// the language server's destination guard (which compares a request's origin with the token's).

/** scheme://host:port with the port always explicit, so https://a and https://a:443 compare equal. */
export function originOf(url: string | URL): string {
  const u = typeof url === 'string' ? new URL(url) : url;
  const port = u.port || (u.protocol === 'https:' ? '443' : u.protocol === 'http:' ? '80' : '');
  return `${u.protocol}//${u.hostname}${port ? `:${port}` : ''}`;
}

/**
 * The origin of an absolute http(s) URL as a user wrote it in a request, or undefined for anything else (a relative
 * URL, another scheme, a URL that does not parse). A URL without a scheme is not guessed at: REST Client and httpYac
 * fill in different defaults.
 */
export function originOfUrl(url: string): string | undefined {
  if (!/^https?:\/\//i.test(url)) return undefined;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  return u.hostname ? originOf(u) : undefined;
}

/**
 * An origin as users write it, for messages: the scheme's default port left out (https://a, http://a:8080).
 * Comparisons use originOf()'s explicit form; this one is only shown. What does not parse is shown as given.
 */
export function shownOrigin(origin: string): string {
  try {
    const u = new URL(origin);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return origin;
    // URL drops the scheme's default port from `host` by itself.
    return `${u.protocol}//${u.host}`;
  } catch {
    return origin;
  }
}
