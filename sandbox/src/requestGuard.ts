// Who may talk to the sandbox at all: programs on this machine. A web page can reach 127.0.0.1 too (no-cors
// requests, or DNS rebinding under its own host name), so every request is refused before it is handled when
// its Host is not a loopback name or it carries an Origin header, which browsers add and API clients do not.
import type { IncomingHttpHeaders } from 'node:http';
import { isLoopbackHost } from '@shared/net/loopbackHost';
import { forbiddenOrigin, invalidRequest, type SandboxHttpError } from './errors';

/** The host part of a Host header value: `127.0.0.1:8080` -> `127.0.0.1`, `[::1]:8080` -> `[::1]`. */
function hostnameOf(host: string): string {
  const bracketed = /^(\[[^\]]*\])(?::\d*)?$/.exec(host);
  if (bracketed) return bracketed[1]!;
  return host.replace(/:\d*$/, '');
}

/** The refusal for a request that does not come from a local program, or undefined. */
export function foreignRequestError(headers: IncomingHttpHeaders): SandboxHttpError | undefined {
  const host = headers.host;
  if (typeof host !== 'string' || !isLoopbackHost(hostnameOf(host.trim()))) {
    return invalidRequest('The Host header must name this machine (127.0.0.1, [::1] or localhost).');
  }
  if (headers.origin !== undefined) return forbiddenOrigin();
  return undefined;
}
