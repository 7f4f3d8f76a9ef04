// The reliability tests' world: the core tests' world (test/support/coreWorld.ts: the real sandbox on 127.0.0.1,
// engines ("windows") on one MemorySecretStore, one fake clock the sandbox reads too, optionally skewed), with
// scripted OTP answers and the names these tests use. Everything the engines say is kept for the leak checks.
// In a viaContract() suite the rig's profile reaches the sandbox through `prism proxy` of the contract, unless the
// rig is started `direct` (a fault Prism would turn into something else).
import type { TokenEngineOptions } from '../../client/src/core/engineTypes';
import type { Profile } from '../../client/src/core/profile';
import type { TokenEngine } from '../../client/src/core/tokenEngine';
import type { SandboxClientConfig } from '../../sandbox/src/server';
import { LONG, SHORT, signedIn, world, type World } from '../support/coreWorld';

/** Awaits a rejection and returns it as the CoreError it must be. */
export { rejection as coreRejection } from '../support/coreWorld';

export const SHORT_ROUTE = SHORT;
export const LONG_ROUTE = LONG;

export interface RigOptions {
  /** Server clock minus local clock. */
  skewMs?: number;
  shortTtlSeconds?: number;
  clients?: SandboxClientConfig[];
  profile?: Partial<Profile>;
  /** Answers to the OTP prompt, in order (undefined = the user cancelled). */
  otpCodes?: (string | undefined)[];
  /** Straight to the sandbox even in a viaContract() suite. */
  direct?: boolean;
}

export class Rig {
  private constructor(
    private readonly w: World,
    private readonly options: RigOptions,
  ) {}

  static async start(options: RigOptions = {}): Promise<Rig> {
    const w = await world({ ...options, profile: { name: 'Reliability', ...options.profile } });
    return new Rig(w, options);
  }

  get clock(): World['clock'] {
    return this.w.clock;
  }
  get store(): World['store'] {
    return this.w.store;
  }
  get sandbox(): World['sandbox'] {
    return this.w.sandbox;
  }
  /** Where the profile points: through Prism in a viaContract() suite, else the sandbox. */
  get baseUrl(): string {
    return this.w.baseUrl;
  }
  get profile(): Profile {
    return this.w.profile;
  }
  get logs(): string[] {
    return this.w.journal.logs;
  }
  get failures(): World['journal']['failures'] {
    return this.w.journal.failures;
  }
  get skews(): World['journal']['skews'] {
    return this.w.journal.skews;
  }
  get otpPrompts(): number {
    return this.w.journal.otpPrompts;
  }

  /** A new window on the shared store, answering OTP prompts from the scripted codes. */
  window(extra: Partial<TokenEngineOptions> = {}): TokenEngine {
    return this.w.engine({ prompts: this.scriptedOtp(), ...extra });
  }

  /** A window with the demo client secret and a long-term token. */
  signedIn(extra: Partial<TokenEngineOptions> = {}): Promise<TokenEngine> {
    return signedIn(this.w, { prompts: this.scriptedOtp(), ...extra });
  }

  requests(route: string): number {
    return this.sandbox.stats().byRoute[route] ?? 0;
  }

  stop(): Promise<void> {
    return this.w.stop();
  }

  private scriptedOtp(): TokenEngineOptions['prompts'] {
    const codes = [...(this.options.otpCodes ?? [])];
    const journal = this.w.journal;
    return {
      otpCode: async () => {
        journal.otpPrompts++;
        return codes.shift();
      },
    };
  }
}

export interface Rigs {
  start(options?: RigOptions): Promise<Rig>;
  /** A rig and a window on it with a long-term token, refreshing only when the test asks (autoRefresh off). */
  startSignedIn(options?: RigOptions, extra?: Partial<TokenEngineOptions>): Promise<{ rig: Rig; engine: TokenEngine }>;
}

/** One rig per test, stopped after it (registered inside each describe). */
export function rigs(): Rigs {
  const started: Rig[] = [];
  afterEach(async () => {
    for (const rig of started.splice(0)) await rig.stop();
  });
  const start = async (options?: RigOptions): Promise<Rig> => {
    const rig = await Rig.start(options);
    started.push(rig);
    return rig;
  };
  return {
    start,
    async startSignedIn(options, extra) {
      const rig = await start(options);
      return { rig, engine: await rig.signedIn({ autoRefresh: false, ...extra }) };
    },
  };
}

export function tokenOf(engine: TokenEngine, kind: 'long' | 'short') {
  return engine.tokens().find((t) => t.kind === kind);
}
