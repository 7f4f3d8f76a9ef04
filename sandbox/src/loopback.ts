// The sandbox hands out working credentials to anyone who can reach it, so it listens on loopback only.
import { isIP } from 'node:net';
import { isLoopbackHost } from '@shared/net/loopbackHost';

/** The host to listen on (IPv6 without brackets); throws a clear error for anything that is not loopback. */
export function loopbackListenHost(host: string): string {
  if (!isLoopbackHost(host)) {
    throw new Error(`The sandbox listens on loopback only (127.0.0.1, ::1 or localhost), not on "${host}".`);
  }
  return host.startsWith('[') ? host.slice(1, -1) : host;
}

/** The host as it appears in a URL: IPv6 in brackets. */
export function urlHost(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}
