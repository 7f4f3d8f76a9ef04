// One API client per base URL, made on first use on the engine's clock, randomness and log: a token is only ever
// sent by the client of the base URL it was issued for, and connections and retry state are shared per server.
import { createAuthClient, type AuthClient } from '../api/authClient';
import { clockSleep, type Clock } from './clock';
import type { TokenEngineOptions } from './engineTypes';

export interface AuthClientsDeps {
  clock: Clock;
  random: () => number;
  log(line: string): void;
  options: Pick<TokenEngineOptions, 'createClient' | 'sleep' | 'timeoutMs'>;
}

export class AuthClients {
  private readonly clients = new Map<string, AuthClient>();

  constructor(private readonly deps: AuthClientsDeps) {}

  for(baseUrl: string): AuthClient {
    let client = this.clients.get(baseUrl);
    if (!client) {
      const { clock, random, options } = this.deps;
      client =
        options.createClient?.(baseUrl) ??
        createAuthClient({
          baseUrl,
          now: () => clock.now(),
          random,
          sleep: options.sleep ?? clockSleep(clock),
          log: (line) => this.deps.log(line),
          ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
        });
      this.clients.set(baseUrl, client);
    }
    return client;
  }
}
