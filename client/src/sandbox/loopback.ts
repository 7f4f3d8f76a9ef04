// The sandbox hands out working credentials to anyone who can reach it, so it listens on loopback only.
import { isIP } from 'node:net';

/** True for 127.0.0.0/8, ::1 (also IPv4-mapped 127.x) and 'localhost'. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (bare.toLowerCase() === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || /^::ffff:127\./i.test(bare) || /^(0{1,4}:){7}0{0,3}1$/.test(bare);
  return false;
}

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
