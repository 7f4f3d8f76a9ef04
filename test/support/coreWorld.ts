// The token engine's test world: a real sandbox on 127.0.0.1 and engines (windows) on one memory secret store,
// all on one fake clock (no sleeps). Shared by the core.*.test.ts files. In a viaContract() suite the profile's base
// URL is a route through `prism proxy` of the contract (test/support/prism/proxy.ts), unless the world is asked to be direct.
import { strict as assert } from 'node:assert';
import { inspect } from 'node:util';
import { createAuthClient, type AuthClient } from '../../client/src/api/authClient';
import type { IssuedToken } from '../../client/src/api/types';
import { FakeClock } from './fakeClock';
import type { AuditEntry, ClockSkewReport, ExpiryWarning, TokenFailure } from '../../client/src/core/engineTypes';
import { CoreError } from '../../client/src/core/errors';
import type { Profile } from '../../client/src/core/profile';
import { MemorySecretStore } from './memorySecretStore';
import { TokenEngine } from '../../client/src/core/tokenEngine';
import { DEMO_CLIENT, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TOTP_SECRET } from '../../sandbox/src/demo';
import { startSandbox, type Sandbox, type SandboxClientConfig } from '../../sandbox/src/server';
import { totp } from '../../sandbox/src/totp';
import { activeContractProxy, type ContractRoute } from './prism/proxy';

/**
 * Awaits a rejection and returns it as the CoreError it must be. Defined here, not re-exported from the reliability
 * rig: the rig imports this file, and the cycle left SHORT uninitialised whenever this file was loaded first.
 */
export async function rejection(promise: Promise<unknown>): Promise<CoreError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof CoreError, `expected a CoreError, got ${inspect(error)}`);
    return error;
  }
  return assert.fail('expected a rejection');
}

export const T0 = Date.UTC(2026, 2, 1, 9, 0, 0);
export const SHORT = 'POST /auth/tokens/short';
export const LONG = 'POST /auth/tokens/long';
export const REVOKE = 'POST /auth/tokens/{id}/revoke';

/** Everything the engine said to the outside world, for assertions and leak checks. */
export interface Journal {
  logs: string[];
  audits: AuditEntry[];
  failures: TokenFailure[];
  warnings: ExpiryWarning[];
  skews: ClockSkewReport[];
  otpPrompts: number;
}

export interface World {
  clock: FakeClock;
  sandbox: Sandbox;
  /** Through Prism in a viaContract() suite (undefined when direct). */
  route: ContractRoute | undefined;
  /** Where the profile points: the route's base URL, or the sandbox's own. */
  baseUrl: string;
  store: MemorySecretStore;
  profile: Profile;
  engines: TokenEngine[];
  journal: Journal;
  /** A new window on the same store (and the same journal). */
  engine(opts?: Partial<ConstructorParameters<typeof TokenEngine>[0]>): TokenEngine;
  shortExchanges(): number;
  stop(): Promise<void>;
}

export const sandboxes: Sandbox[] = [];
const worlds: World[] = [];

export async function world(
  opts: {
    skewMs?: number;
    shortTtlSeconds?: number;
    clients?: SandboxClientConfig[];
    profile?: Partial<Profile>;
    /** Straight to the sandbox even in a viaContract() suite: faults that only make sense without Prism in between. */
    direct?: boolean;
  } = {},
): Promise<World> {
  const clock = new FakeClock(T0);
  const sandbox = await startSandbox({
    now: () => clock.now() + (opts.skewMs ?? 0),
    shortTtlSeconds: opts.shortTtlSeconds ?? 900,
    clients: opts.clients ?? [DEMO_CLIENT],
  });
  sandboxes.push(sandbox);
  const proxy = opts.direct ? undefined : activeContractProxy();
  const route = proxy ? await proxy.route(sandbox) : undefined;
  const baseUrl = route?.baseUrl ?? sandbox.baseUrl;
  const store = new MemorySecretStore();
  const profile: Profile = {
    id: 'p1',
    name: 'Sandbox',
    baseUrl,
    clientId: DEMO_CLIENT_ID,
    mechanism: 'client_secret',
    scopes: ['jobs:*', 'tokens:*'],
    ...opts.profile,
  };
  const journal: Journal = { logs: [], audits: [], failures: [], warnings: [], skews: [], otpPrompts: 0 };
  const engines: TokenEngine[] = [];
  const w: World = {
    clock,
    sandbox,
    route,
    baseUrl,
    store,
    profile,
    engines,
    journal,
    engine(extra = {}) {
      const engine = new TokenEngine({
        store,
        profiles: [w.profile],
        clock,
        random: () => 0.5,
        // Retry backoff inside the API client must not wait on the fake clock nobody advances.
        sleep: () => Promise.resolve(),
        log: (line) => journal.logs.push(line),
        audit: (entry) => journal.audits.push(entry),
        prompts: {
          otpCode: async () => {
            journal.otpPrompts++;
            return totp(DEMO_TOTP_SECRET, clock.now());
          },
        },
        ...extra,
      });
      engine.onDidFail((f) => journal.failures.push(f));
      engine.onExpiryWarning((x) => journal.warnings.push(x));
      engine.onClockSkew((s) => journal.skews.push(s));
      engines.push(engine);
      return engine;
    },
    shortExchanges: () => sandbox.stats().byRoute[SHORT] ?? 0,
    async stop() {
      for (const e of engines) e.dispose();
      try {
        await route?.close();
      } finally {
        await sandbox.stop();
      }
    },
  };
  worlds.push(w);
  return w;
}

export async function signedIn(w: World, extra: Parameters<World['engine']>[0] = {}): Promise<TokenEngine> {
  const engine = w.engine(extra);
  await engine.ready;
  await engine.setClientSecret('p1', DEMO_CLIENT_SECRET);
  await engine.issueLongTermToken('p1');
  return engine;
}

/** The real API client on the world's sandbox and fake clock, for wrapping to force an interleaving. */
export function realClient(w: Pick<World, 'baseUrl' | 'clock'>): AuthClient {
  return createAuthClient({ baseUrl: w.baseUrl, now: () => w.clock.now() });
}

/** A real client that tells `seen` of every token the server issued through it, once the answer is in. */
export function recordingClient(
  w: Pick<World, 'baseUrl' | 'clock'>,
  seen: { long?: (token: IssuedToken) => void; short?: (token: IssuedToken) => void },
): AuthClient {
  const real = realClient(w);
  return {
    ...real,
    async issueLongTermToken(grant, opts) {
      const token = await real.issueLongTermToken(grant, opts);
      seen.long?.(token);
      return token;
    },
    async issueShortTermToken(long, opts) {
      const token = await real.issueShortTermToken(long, opts);
      seen.short?.(token);
      return token;
    },
  };
}

/**
 * A client whose short-term exchange number `skip + 1` gets its answer, then waits for `meanwhile` before handing it
 * over: `meanwhile` lands exactly while that answer is on its way (earlier and later exchanges pass straight through).
 */
export function exchangeThen(w: World, meanwhile: () => Promise<unknown>, skip = 0): AuthClient {
  const real = realClient(w);
  let seen = 0;
  let done: Promise<unknown> | undefined;
  return {
    ...real,
    async issueShortTermToken(long, opts) {
      const issued = await real.issueShortTermToken(long, opts);
      if (seen++ === skip) done = meanwhile();
      await done;
      return issued;
    },
  };
}

export function info(engine: TokenEngine, kind: 'long' | 'short') {
  return engine.tokens().find((t) => t.profileId === 'p1' && t.kind === kind);
}

/** Each describe below registers this (a top-level hook would run around every test file of the suite). */
export async function cleanup(): Promise<void> {
  // Everything is stopped even when a world's route reports what Prism found; then that report fails the hook.
  let failure: unknown;
  for (const w of worlds.splice(0)) await w.stop().catch((error: unknown) => (failure ??= error));
  for (const s of sandboxes.splice(0)) await s.stop();
  if (failure !== undefined) throw failure;
}
