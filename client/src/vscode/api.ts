// The API activate() returns, for other extensions and for the integration tests. `ready` resolves once stored
// tokens have been read; getShortTermToken() returns a fresh value (single flight per profile). `testing` exposes
// seams the in-host tests need (scripted answers, what the user was told); it is not a stable API, and it reaches the
// secrets, so it exists only when the extension runs in Development or Test mode, never when installed (Production):
// any installed extension can call getExtension('c2m.c2m-tokens').exports.
import * as vscode from 'vscode';
import type { SecretStore } from '../core/secretStore';
import type { TokenEngine } from '../core/tokenEngine';
import type { TokenService } from '../core/tokenService';
import type { Notice } from './notifications';
import type { Services } from './services';

export interface C2mApi {
  readonly ready: Promise<void>;
  /** How long activate() itself took (ms). */
  readonly activationMs: number;
  /** When the Tokens view was first drawn, in ms after activate() began; undefined while it has not been (hidden view). */
  readonly firstTreeRenderMs: number | undefined;
  /** Resolves with firstTreeRenderMs once the Tokens view has been drawn. */
  readonly firstTreeRender: Promise<number>;
  /** A valid short-term token of the profile (id or name; default: the active profile). */
  getShortTermToken(profile?: string): Promise<string>;
  /** Token and profile metadata, never values. */
  readonly tokens: TokenService;
  /** Absent in Production mode (an installed extension): see the header. */
  readonly testing?: C2mTesting;
}

/** The API as the in-host tests see it (the extension runs in Test mode there). */
export interface C2mTestApi extends C2mApi {
  readonly testing: C2mTesting;
}

export interface C2mTesting {
  readonly engine: TokenEngine;
  /** The extension's secret storage as the engine sees it (a second engine on it behaves like a second window). */
  readonly secretStore: SecretStore;
  /** Queue answers for the next prompts (input boxes, quick picks, confirmations, file choice). */
  answer(...answers: (string | undefined)[]): void;
  pendingAnswers(): number;
  notices(): Notice[];
  logLines(): string[];
  statusBarText(): string;
  /** Base URL of the sandbox started in this extension host, if any. */
  sandboxBaseUrl(): Promise<string | undefined>;
  /** Where VS Code keeps this extension's data and logs (the leak tests search around them). */
  storagePaths(): { globalStorage: string; logs: string };
  /** Brings the terminal environment up to date; the fingerprint of the token new terminals get (undefined: none). */
  terminalTokenFingerprint(): Promise<string | undefined>;
  /** Re-reads settings into the engine and the views now. */
  syncProfiles(): void;
}

export function createApi(args: {
  ready: Promise<void>;
  activationMs: number;
  engine: TokenEngine;
  store: SecretStore;
  services: Services;
}): C2mApi {
  const { engine, services } = args;
  const idOf = (profile: string | undefined): string | undefined => {
    if (profile === undefined) return undefined;
    const byName = services.state.profiles().find((p) => p.profile.id === profile || p.profile.name === profile);
    return byName?.profile.id ?? profile;
  };
  return {
    ready: args.ready,
    activationMs: args.activationMs,
    get firstTreeRenderMs() {
      return services.tree.firstRenderMs;
    },
    firstTreeRender: services.tree.firstRender,
    // A facade, not the engine itself: other extensions must not reach the engine's secret-handling methods.
    tokens: {
      profiles: () => engine.profiles(),
      tokens: () => engine.tokens(),
      onDidChange: (listener) => engine.onDidChange(listener),
      getShortTermToken: (profileId, minValidityMs) => engine.getShortTermToken(profileId, minValidityMs),
      revokeByFingerprint: (fingerprint) => engine.revokeByFingerprint(fingerprint),
    },
    getShortTermToken: async (profile) => (await engine.getShortTermToken(idOf(profile))).value,
    ...(services.ctx.extension.extensionMode === vscode.ExtensionMode.Production ? {} : { testing: testingOf(args) }),
  };
}

function testingOf({ engine, store, services }: { engine: TokenEngine; store: SecretStore; services: Services }): C2mTesting {
  return {
    engine,
    secretStore: store,
    answer: (...answers) => services.asker.script(...answers),
    pendingAnswers: () => services.asker.pendingScript(),
    notices: () => services.notifier.notices(),
    logLines: () => services.log.lines(),
    statusBarText: () => services.status.text,
    sandboxBaseUrl: () => services.sandbox.inHostBaseUrl(),
    syncProfiles: () => services.syncProfiles(),
    terminalTokenFingerprint: () => services.terminalEnv.update(),
    storagePaths: () => ({
      globalStorage: services.ctx.extension.globalStorageUri.fsPath,
      logs: services.ctx.extension.logUri.fsPath,
    }),
  };
}
