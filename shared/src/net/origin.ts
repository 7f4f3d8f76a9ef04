// The origin tokens and secrets are bound to. Shared by the API client (which binds them) and the language features
// (which tell the server each profile's origin, and check it before a quick fix writes a token for a request).

/** scheme://host:port with the port always explicit, so https://a and https://a:443 compare equal. */
export function originOf(url: string | URL): string {
  const u = typeof url === 'string' ? new URL(url) : url;
  const port = u.port || (u.protocol === 'https:' ? '443' : u.protocol === 'http:' ? '80' : '');
  return `${u.protocol}//${u.hostname}${port ? `:${port}` : ''}`;
}
