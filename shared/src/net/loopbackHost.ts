// Which hosts are this machine: the one exception to HTTPS-only (the local sandbox), for the API client and the sandbox.
import { isIP } from 'node:net';

/** 127.0.0.0/8, ::1 and localhost. WHATWG URL parsing already normalises 127.1, 0x7f.0.0.1 and [0::1]. */
export function isLoopbackHost(hostname: string): boolean {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  if (bare.toLowerCase() === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || /^::ffff:127\./i.test(bare) || /^(0{1,4}:){7}0{0,3}1$/.test(bare);
  return false;
}
