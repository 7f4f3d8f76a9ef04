// The API activate() returns. Any installed extension can call getExtension('c2m.c2m-tokens').exports, so it carries
// metadata and change events only: a token value reaches another extension through the `c2m` authentication provider
// alone (vscode.authentication.getSession, where VS Code asks the user per extension and account). `testing` exposes
// seams the in-host tests need (token values, scripted answers, what the user was told); it reaches the secrets, so it
// exists only in ExtensionMode.Test (a test run), never in Development, where the user's other extensions run too.
import * as vscode from 'vscode';
import type { SecretStore } from '../core/secretStore';
import type { TokenEngine } from '../core/tokenEngine';
import type { TokenService } from '../core/tokenService';
import type { LeakFinding, LeakScanResult } from './leakScan';
import type { LeakNode, LeakView } from './leakView';
import type { Question } from '../ui/inputs';
import type { Notice } from '../ui/notifications';
import type { ProgressRecord } from '../ui/progress';
import type { Services } from '../services';
import type { AgentTools } from './agentTools/register';

/** What other extensions may know of tokens: profiles, token metadata (never values) and a change event. */
export type TokenMetadata = Pick<TokenService, 'profiles' | 'tokens' | 'onDidChange'>;

export interface C2mApi {
  readonly ready: Promise<void>;
  /** How long activate() itself took (ms). */
  readonly activationMs: number;
  /** When the Tokens view was first drawn, in ms after activate() began; undefined while it has not been (hidden view). */
  readonly firstTreeRenderMs: number | undefined;
  /** Resolves with firstTreeRenderMs once the Tokens view has been drawn. */
  readonly firstTreeRender: Promise<number>;
  /** Token and profile metadata, never values. */
  readonly tokens: TokenMetadata;
  /** Present in Test mode only: see the header. */
  readonly testing?: C2mTesting;
}

/** The API as the in-host tests see it (the extension runs in Test mode there). */
export interface C2mTestApi extends C2mApi {
  readonly testing: C2mTesting;
}

export interface C2mTesting {
  readonly engine: TokenEngine;
  /** A valid short-term token of the profile (id or name; default: the active profile). */
  getShortTermToken(profile?: string): Promise<string>;
  /** The extension's secret storage as the engine sees it (a second engine on it behaves like a second window). */
  readonly secretStore: SecretStore;
  /** Queue answers for the next prompts (input boxes, quick picks, confirmations, file choice). */
  answer(...answers: (string | undefined)[]): void;
  /** Queue an answer for the very next prompt, ahead of those already queued. */
  answerFirst(answer: string | undefined): void;
  pendingAnswers(): number;
  notices(): Notice[];
  /** A mark to find the notices shown after it (noticesSince): unlike notices().length, it counts past the bound. */
  noticeMark(): number;
  /** The notices shown since noticeMark() gave `mark`, oldest first. */
  noticesSince(mark: number): Notice[];
  /** The modal questions asked (the last 20), oldest first, scripted answers or not. */
  questions(): Question[];
  /** The progress notifications shown (the last 20), oldest first. */
  progress(): ProgressRecord[];
  /** Cancels every progress notification on screen, as its Cancel button does; returns how many. */
  cancelProgress(): number;
  /** The Tokens view's description of a profile row, as VS Code draws it ("active · issuing…"). */
  profileDescription(profileId: string): string;
  /** The Tokens view's node of a profile: what the view's own menus pass to a command (its target). */
  viewNode(profileId: string): unknown;
  logLines(): string[];
  statusBarText(): string;
  /** The status bar item as drawn: its text, background colour id (undefined: neutral) and what a click runs. */
  statusBar(): { text: string; background: string | undefined; command: string | undefined };
  /** The Tokens view's description of a token row, as VS Code draws it ("issued just now · 30 days left"). */
  tokenDescription(profileId: string, kind: 'long' | 'short'): string;
  /** Base URL of the sandbox started in this extension host, if any. */
  sandboxBaseUrl(): Promise<string | undefined>;
  /** Where VS Code keeps this extension's data and logs (the leak tests search around them). */
  storagePaths(): { globalStorage: string; logs: string };
  /** Brings the terminal environment up to date; the fingerprint of the token new terminals get (undefined: none). */
  terminalTokenFingerprint(): Promise<string | undefined>;
  /** Re-reads settings into the engine and the views now. */
  syncProfiles(): void;
  /** The Tokens view's node for a token, as its menus pass it to commands. */
  tokenNode(profileId: string, kind: 'long' | 'short'): unknown;
  /** The Leak Scan view's node for a finding, as its context menu passes it to the c2m.leak.* commands. */
  leakNode(finding: LeakFinding): LeakNode;
  /** The registered language-model tools (their prepareInvocation, which VS Code's confirmation shows). */
  agentTools(): AgentTools | undefined;
  /** The Leak Scan view as drawn now (message, top-level rows, finding rows); and the result so far of the running scan. */
  leakView(): ReturnType<LeakView['snapshot']> & { result: LeakScanResult | undefined };
  /** Called after every batch of a running leak scan. */
  onLeakScanProgress(listener: (result: LeakScanResult) => void): vscode.Disposable;
}

export function createApi(args: {
  ready: Promise<void>;
  activationMs: number;
  engine: TokenEngine;
  store: SecretStore;
  services: Services;
  agentTools?: AgentTools;
}): C2mApi {
  const { engine, services } = args;
  return {
    ready: args.ready,
    activationMs: args.activationMs,
    get firstTreeRenderMs() {
      return services.tree.firstRenderMs;
    },
    firstTreeRender: services.tree.firstRender,
    // A facade, not the engine itself: nothing here hands out a value, sends a request or revokes.
    tokens: Object.freeze({
      profiles: () => engine.profiles(),
      tokens: () => engine.tokens(),
      onDidChange: (listener: () => void) => engine.onDidChange(listener),
    }),
    ...(services.ctx.extension.extensionMode === vscode.ExtensionMode.Test ? { testing: testingOf(args) } : {}),
  };
}

function testingOf({
  engine,
  store,
  services,
  agentTools,
}: {
  engine: TokenEngine;
  store: SecretStore;
  services: Services;
  agentTools?: AgentTools;
}): C2mTesting {
  const idOf = (profile: string | undefined): string | undefined => {
    if (profile === undefined) return undefined;
    const byName = services.state.profiles().find((p) => p.profile.id === profile || p.profile.name === profile);
    return byName?.profile.id ?? profile;
  };
  return {
    engine,
    getShortTermToken: async (profile) => (await engine.getShortTermToken(idOf(profile))).value,
    secretStore: store,
    answer: (...answers) => services.asker.script(...answers),
    answerFirst: (answer) => services.asker.scriptFirst(answer),
    pendingAnswers: () => services.asker.pendingScript(),
    notices: () => services.notifier.notices(),
    noticeMark: () => services.notifier.mark(),
    noticesSince: (mark) => services.notifier.since(mark),
    questions: () => services.asker.questions(),
    progress: () => services.progress.records(),
    cancelProgress: () => services.progress.cancelActive(),
    viewNode: (profileId) => services.tree.node('profile', profileId),
    profileDescription: (profileId) => {
      const description = services.tree.getTreeItem(services.tree.node('profile', profileId)).description;
      return typeof description === 'string' ? description : '';
    },
    logLines: () => services.log.lines(),
    statusBarText: () => services.status.text,
    statusBar: () => services.status.shown,
    tokenDescription: (profileId, kind) => {
      const description = services.tree.getTreeItem(services.tree.node('token', profileId, kind)).description;
      return typeof description === 'string' ? description : '';
    },
    sandboxBaseUrl: () => services.sandbox.inHostBaseUrl(),
    syncProfiles: () => services.syncProfiles(),
    leakNode: (finding) => services.leaks.nodeFor(finding),
    agentTools: () => agentTools,
    leakView: () => ({ ...services.leaks.snapshot(), result: services.leaks.result() }),
    onLeakScanProgress: (listener) => services.leaks.onDidProgress(listener),
    tokenNode: (profileId, kind) => services.tree.node('token', profileId, kind),
    terminalTokenFingerprint: () => services.terminalEnv.update(),
    storagePaths: () => ({
      globalStorage: services.ctx.extension.globalStorageUri.fsPath,
      logs: services.ctx.extension.logUri.fsPath,
    }),
  };
}
