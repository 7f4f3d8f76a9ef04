// The only door to code-server: a reverse proxy on 127.0.0.1 that passes requests to code-server's private Unix
// socket only when their Host (and Origin, when a browser sent one) names a loopback address. code-server checks
// that a WebSocket's Origin matches its Host, but after DNS rebinding a hostile page's Host and Origin both name the
// attacker's domain; code-server cannot refuse a Host itself, so this gate does. (code-server's password stops
// other local users and pages that never learn it; the gate stops the pages that would try.)
import http from 'node:http';
import net from 'node:net';

/** Hostnames a browser sends for a server it reached on loopback by a loopback name. */
const LOOPBACK_HOSTNAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Headers code-server would read instead of Host (reverse-proxy conventions): dropped, so Host decides. */
const FORWARDING_HEADERS = [
  'forwarded',
  'x-forwarded-host',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-port',
];

/**
 * Why a request must not pass, or undefined when it may.
 * @param {import('node:http').IncomingHttpHeaders} headers
 * @returns {string | undefined}
 */
export function refusal(headers) {
  const host = headers.host;
  if (!host || !LOOPBACK_HOSTNAMES.has(hostnameOf(`http://${host}`) ?? ''))
    return `Host "${host ?? ''}" is not a loopback address`;
  const origin = headers.origin;
  if (origin !== undefined && !LOOPBACK_HOSTNAMES.has(hostnameOf(origin) ?? ''))
    return `Origin "${origin}" is not a loopback address`;
  return undefined;
}

/** @param {string} url */
function hostnameOf(url) {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/** @param {import('node:http').IncomingMessage} request */
function forwardedHeaders(request) {
  const headers = { ...request.headers };
  for (const name of FORWARDING_HEADERS) delete headers[name];
  return headers;
}

/**
 * @typedef {object} Gate
 * @property {number} port
 * @property {() => Promise<void>} close
 */

/**
 * @param {{ socketPath: string, port: number }} options  port 0: one the OS picks
 * @returns {Promise<Gate>}
 */
export async function startLoopbackGate({ socketPath, port }) {
  /** @type {Set<import('node:net').Socket>} */
  const sockets = new Set();
  const server = http.createServer((request, response) => {
    const why = refusal(request.headers);
    if (why) {
      response
        .writeHead(403, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' })
        .end(`Forbidden: ${why}.\n`);
      return;
    }
    const upstream = http.request(
      { socketPath, method: request.method, path: request.url, headers: forwardedHeaders(request) },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
        answer.pipe(response);
      },
    );
    upstream.once('error', () => {
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
      response.end();
    });
    request.pipe(upstream);
  });
  server.on('upgrade', (request, client, head) => {
    const why = refusal(request.headers);
    if (why) {
      client.end(
        `HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\nForbidden: ${why}.\n`,
      );
      return;
    }
    const upstream = net.connect(socketPath, () => {
      const headers = forwardedHeaders(request);
      const lines = [`${request.method} ${request.url} HTTP/1.1`];
      for (const [name, value] of Object.entries(headers)) {
        for (const one of Array.isArray(value) ? value : [value ?? '']) lines.push(`${name}: ${one}`);
      }
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    const closeBoth = () => {
      upstream.destroy();
      client.destroy();
    };
    upstream.once('error', closeBoth);
    client.once('error', closeBoth);
    upstream.once('close', closeBoth);
    client.once('close', closeBoth);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(undefined);
    });
  });
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('the gate has no port');
  return {
    port: address.port,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
