// The reliability tests' world: the real sandbox on 127.0.0.1 and token engines ("windows") on one shared
// MemorySecretStore, all on one fake clock (the sandbox reads it too, optionally skewed). Everything the engines
// say (log lines, failures, skew reports) is kept so the leak checks can search it.
import { strict as assert } from 'node:assert';
import { inspect } from 'node:util';
import { FakeClock } from '../../client/src/core/clock';
import type { ClockSkewReport, TokenEngineOptions, TokenFailure } from '../../client/src/core/engineTypes';
import { CoreError } from '../../client/src/core/errors';
import type { Profile } from '../../client/src/core/profile';
import { MemorySecretStore } from '../../client/src/core/secretStore';
import { TokenEngine } from '../../client/src/core/tokenEngine';
import { DEMO_CLIENT, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET } from '../../client/src/sandbox/demo';
import { startSandbox, type Sandbox, type SandboxClientConfig } from '../../client/src/sandbox/server';

export const SHORT_ROUTE = 'POST /auth/tokens/short';
export const LONG_ROUTE = 'POST /auth/tokens/long';

export interface RigOptions {
  /** Server clock minus local clock. */
  skewMs?: number;
  shortTtlSeconds?: number;
  clients?: SandboxClientConfig[];
  profile?: Partial<Profile>;
  /** Answers to the OTP prompt, in order (undefined = the user cancelled). */
  otpCodes?: (string | undefined)[];
}

export class Rig {
  readonly clock = new FakeClock(Date.UTC(2026, 5, 1, 8, 0, 0));
  readonly store = new MemorySecretStore();
  readonly logs: string[] = [];
  readonly failures: TokenFailure[] = [];
  readonly skews: ClockSkewReport[] = [];
  otpPrompts = 0;
  profile!: Profile;
  sandbox!: Sandbox;
  private readonly windows: TokenEngine[] = [];

  private constructor(private readonly options: RigOptions) {}

  static async start(options: RigOptions = {}): Promise<Rig> {
    const rig = new Rig(options);
    rig.sandbox = await startSandbox({
      now: () => rig.clock.now() + (options.skewMs ?? 0),
      shortTtlSeconds: options.shortTtlSeconds ?? 900,
      clients: options.clients ?? [DEMO_CLIENT],
    });
    rig.profile = {
      id: 'p1', name: 'Reliability', baseUrl: rig.sandbox.baseUrl, clientId: DEMO_CLIENT_ID,
      mechanism: 'client_secret', scopes: ['jobs:*', 'tokens:*'], ...options.profile,
    };
    return rig;
  }

  /** A new window on the shared store. Backoff sleeps resolve at once: the fake clock is what moves time. */
  window(extra: Partial<TokenEngineOptions> = {}): TokenEngine {
    const codes = [...(this.options.otpCodes ?? [])];
    const engine = new TokenEngine({
      store: this.store,
      profiles: [this.profile],
      clock: this.clock,
      random: () => 0.5,
      sleep: () => Promise.resolve(),
      log: (line) => this.logs.push(line),
      prompts: {
        otpCode: async () => {
          this.otpPrompts++;
          return codes.shift();
        },
      },
      ...extra,
    });
    engine.onDidFail((f) => this.failures.push(f));
    engine.onClockSkew((s) => this.skews.push(s));
    this.windows.push(engine);
    return engine;
  }

  /** A window with the demo client secret and a long-term token. */
  async signedIn(extra: Partial<TokenEngineOptions> = {}): Promise<TokenEngine> {
    const engine = this.window(extra);
    await engine.ready;
    await engine.setClientSecret(this.profile.id, DEMO_CLIENT_SECRET);
    await engine.issueLongTermToken(this.profile.id);
    return engine;
  }

  requests(route: string): number {
    return this.sandbox.stats().byRoute[route] ?? 0;
  }

  async stop(): Promise<void> {
    for (const engine of this.windows.splice(0)) engine.dispose();
    await this.sandbox.stop();
  }
}

/** One rig per test, stopped after it (registered inside each describe). */
export function rigs(): { start(options?: RigOptions): Promise<Rig> } {
  const started: Rig[] = [];
  afterEach(async () => {
    for (const rig of started.splice(0)) await rig.stop();
  });
  return {
    async start(options) {
      const rig = await Rig.start(options);
      started.push(rig);
      return rig;
    },
  };
}

export function tokenOf(engine: TokenEngine, kind: 'long' | 'short') {
  return engine.tokens().find((t) => t.kind === kind);
}

export async function coreRejection(promise: Promise<unknown>): Promise<CoreError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof CoreError, `expected a CoreError, got ${inspect(error)}`);
    return error;
  }
  return assert.fail('expected a rejection');
}
