// The local sandbox: an in-memory implementation of the C2M auth contract on node:http, listening on loopback.
// This module owns the HTTP server, sockets, stats and the fault pipeline; routes.ts owns the contract.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { isLoopbackHost } from '@shared/net/loopbackHost';
import { AssertionVerifier } from './assertion';
import { readBody } from './body';
import { foreignRequestError } from './requestGuard';
import { registerClients } from './clients';
import { DEMO_CLIENT } from './demo';
import { SandboxHttpError, serverError } from './errors';
import { checkExchangeLimit, DEFAULT_EXCHANGE_LIMIT, ExchangeLimiter } from './exchangeLimit';
import { Faults } from './faults';
import { errorResponse, writeResponse, type SandboxResponse } from './response';
import { routeOf, type SandboxState } from './routes';
import { loopbackListenHost, urlHost } from './loopback';
import { ShortTokenSigner } from './shortJwt';
import { TokenStore } from './tokenStore';
import type { ExchangeLimit, Sandbox, SandboxOptions, SandboxStats } from './types';

export type {
  DropConnectionRule,
  ExchangeLimit,
  ForceStatusRule,
  HoldHandle,
  HoldRule,
  RateLimitRule,
  Sandbox,
  SandboxClientConfig,
  SandboxFaults,
  SandboxOptions,
  SandboxStats,
  StallRule,
} from './types';

/** Mirrors the production base URL https://api.example.com/v1. */
export const BASE_PATH = '/v1';
export const DEFAULT_SHORT_TTL_SECONDS = 900;

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(new Error(`The sandbox could not listen on ${host}:${port}: ${error.code ?? error.message}.`));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function checkOptions(options: SandboxOptions): {
  host: string;
  port: number;
  shortTtlSeconds: number;
  exchangeLimit: ExchangeLimit | undefined;
} {
  const host = loopbackListenHost(options.host ?? '127.0.0.1');
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`The sandbox port must be an integer 0-65535, not ${port}.`);
  const shortTtlSeconds = options.shortTtlSeconds ?? DEFAULT_SHORT_TTL_SECONDS;
  if (!Number.isInteger(shortTtlSeconds) || shortTtlSeconds <= 0)
    throw new Error('shortTtlSeconds must be a positive integer.');
  const limit = options.exchangeLimit ?? DEFAULT_EXCHANGE_LIMIT;
  return { host, port, shortTtlSeconds, exchangeLimit: limit === 'off' ? undefined : checkExchangeLimit(limit) };
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const { host, port, shortTtlSeconds, exchangeLimit } = checkOptions(options);
  const now = options.now ?? Date.now;
  const clients = registerClients(options.clients ?? [DEMO_CLIENT]);

  const server = createServer();
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await listen(server, port, host);
  const address = server.address() as AddressInfo;
  if (!isLoopbackHost(address.address)) {
    server.close();
    throw new Error(
      `"${host}" resolved to ${address.address}, which is not loopback; the sandbox refuses to listen there.`,
    );
  }

  const baseUrl = `http://${urlHost(host)}:${address.port}${BASE_PATH}`;
  const faults = new Faults(now);
  const state: SandboxState = {
    baseUrl,
    shortTtlSeconds,
    now,
    clients,
    store: new TokenStore(),
    signer: new ShortTokenSigner(),
    assertions: new AssertionVerifier(baseUrl, now),
    faults,
    exchanges: new ExchangeLimiter(exchangeLimit, now),
  };
  const stats: SandboxStats = { requests: 0, byRoute: {} };
  let stopped = false;
  /** Latency timers in flight; stop() ends them so nothing outlives the sandbox. */
  const delays = new Set<() => void>();

  const delay = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        delays.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      delays.add(done);
    });

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const rawPath = req.url ?? '/';
    const pathname = new URL(rawPath, 'http://sandbox.invalid').pathname;
    const route = routeOf(method, pathname, BASE_PATH);
    stats.requests += 1;
    stats.byRoute[route.key] = (stats.byRoute[route.key] ?? 0) + 1;

    if (faults.latencyMsValue > 0) await delay(faults.latencyMsValue);
    if (stopped) return;
    if (faults.takeStall(route.key)) return; // left hanging; stop() destroys the socket
    const clientGone = (listener: () => void): void => void res.once('close', listener);
    await faults.takeHold(route.key, false)?.wait(clientGone);
    if (stopped) return;
    if (faults.takeDrop(route.key, false)) {
      req.socket.destroy();
      return;
    }
    let response: SandboxResponse;
    try {
      const body = await readBody(req);
      const foreign = foreignRequestError(req.headers);
      response = foreign
        ? errorResponse(foreign)
        : (faults.takeForced(route.key) ??
          (await route.handle(
            { method, rawPath, headers: req.headers, body, remoteAddress: req.socket.remoteAddress ?? 'unknown' },
            state,
          )));
    } catch (error) {
      response = errorResponse(error instanceof SandboxHttpError ? error : serverError());
    }
    if (stopped) return;
    await faults.takeHold(route.key, true)?.wait(clientGone);
    if (stopped) return;
    if (faults.takeDrop(route.key, true)) {
      req.socket.destroy(); // the work is done (e.g. a token issued) but the client never hears of it
      return;
    }
    writeResponse(res, response);
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    answer(req, res).catch(() => {
      // Never crash the host: whatever went wrong, the client gets a 500 (or a closed socket).
      if (!res.headersSent) writeResponse(res, errorResponse(serverError()));
      else res.destroy();
    });
  });

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= new Promise<void>((resolve) => {
      stopped = true;
      for (const done of [...delays]) done();
      faults.releaseHolds();
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
    return stopping;
  };

  return {
    baseUrl,
    port: address.port,
    faults,
    stats: () => ({ requests: stats.requests, byRoute: { ...stats.byRoute } }),
    isRevoked: (tokenId: string) => state.store.isRevoked(tokenId),
    stop,
  };
}
