// Shared by the in-host suites (test/integration): the API, profiles written to User settings,
// and a sandbox started in the test with clients for every mechanism.
import * as assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { C2mTestApi } from '../../../client/src/integrations/extensionApi';
import type { Profile } from '../../../client/src/core/profile';
import type { TokenInfo, TokenKind } from '../../../client/src/core/tokenService';
import { DEMO_CLIENT } from '../../../sandbox/src/demo';
import { startSandbox } from '../../../sandbox/src/server';
import type { Sandbox, SandboxClientConfig } from '../../../sandbox/src/types';
import { ClientCommands } from '@shared/protocol/clientCommands';

export const EXTENSION_ID = 'c2m.c2m-tokens';

export async function c2mApi(): Promise<C2mTestApi> {
  const extension = vscode.extensions.getExtension<C2mTestApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not loaded`);
  const api = await extension.activate();
  await api.ready;
  // The harness runs the extension in Test mode; an installed (Production) extension exports no `testing`.
  assert.ok(api.testing, 'the testing seams are exported (extensionMode is not Production)');
  return api;
}

export function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('c2m');
}

/** Replaces the User-settings profile list and makes the extension read it now. */
export async function setProfiles(api: C2mTestApi, profiles: Profile[], active?: string): Promise<void> {
  await config().update('profiles', profiles, vscode.ConfigurationTarget.Global);
  await config().update('activeProfile', active, vscode.ConfigurationTarget.Global);
  api.testing.syncProfiles();
  await api.testing.engine.ready;
}

export function userProfiles(): Profile[] {
  return (config().inspect<Profile[]>('profiles')?.globalValue ?? []).map((p) => ({ ...p }));
}

export async function addProfile(api: C2mTestApi, profile: Profile): Promise<void> {
  await setProfiles(
    api,
    [...userProfiles().filter((p) => p.id !== profile.id), profile],
    config().get<string>('activeProfile') || undefined,
  );
}

export function tokenOf(api: C2mTestApi, profileId: string, kind: TokenKind): TokenInfo | undefined {
  return api.tokens.tokens().find((t) => t.profileId === profileId && t.kind === kind);
}

/** Runs a command; its handler resolves to its result (undefined when it failed and told the user). */
/**
 * Rotate, Switch Profile (to a profile the caller names) and the short-term Revoke ask in a modal whoever runs them:
 * VS Code hands the Tokens view's nodes to any extension, so neither an id nor a node proves the user's click. The
 * suites that test what such a command does answer that question as the user who clicked it in the view does (yes),
 * ahead of any answer the test queued for what comes after it (a one-time code, say). The question itself is proved
 * by the attack suites, which run the commands from a second extension. A profile that cannot revoke is warned about
 * instead, and the long-term Revoke was always asked: the suites answer those themselves.
 */
function yesOfTheClick(api: C2mTestApi, command: string, arg: unknown): string | undefined {
  const target = (typeof arg === 'string' ? { profileId: arg } : (arg ?? {})) as {
    profileId?: unknown;
    kind?: unknown;
  };
  const id = target.profileId;
  if (typeof id !== 'string' || !api.tokens.profiles().some((p) => p.id === id)) return undefined;
  let canRevoke: boolean;
  try {
    canRevoke = api.testing.engine.revokeCapability(id).canRevoke;
  } catch {
    // Not a profile the engine knows: the command reports that, and asks nothing.
    return undefined;
  }
  switch (command) {
    case 'c2m.rotateLongTermToken':
      return canRevoke ? 'Rotate' : undefined;
    case 'c2m.switchProfile':
      return api.tokens.profiles().find((p) => p.active)?.id !== id ? 'Make Active' : undefined;
    case 'c2m.revokeToken':
      return canRevoke && target.kind === 'short' ? 'Revoke' : undefined;
    default:
      return undefined;
  }
}

export async function run<T>(command: string, ...args: unknown[]): Promise<T | undefined> {
  const api = await c2mApi();
  const yes = yesOfTheClick(api, command, args[0]);
  if (yes) api.testing.answerFirst(yes);
  return vscode.commands.executeCommand<T | undefined>(command, ...args);
}

export function exchangesOf(sandbox: Sandbox): number {
  return Object.entries(sandbox.stats().byRoute)
    .filter(([route]) => route.startsWith('POST') && route.endsWith('/auth/tokens/short'))
    .reduce((sum, [, n]) => sum + n, 0);
}

export interface TestClients {
  secret: SandboxClientConfig;
  otp: SandboxClientConfig;
  assertion: SandboxClientConfig;
  privateKeyPem: string;
}

export function testClients(secretValue: string): TestClients {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    secret: {
      clientId: 'c2m_it_secret',
      clientSecret: secretValue,
      allowedScopes: ['jobs:*', 'templates:*', 'tokens:*'],
    },
    otp: {
      clientId: 'c2m_it_otp',
      oneTimeCodes: ['111111', '222222', '333333'],
      allowedScopes: ['jobs:*', 'tokens:*'],
    },
    assertion: {
      clientId: 'c2m_it_assertion',
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      allowedScopes: ['jobs:*', 'tokens:*'],
    },
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

export async function startTestSandbox(clients: TestClients): Promise<Sandbox> {
  return startSandbox({ clients: [DEMO_CLIENT, clients.secret, clients.otp, clients.assertion] });
}

export function profileFor(
  id: string,
  baseUrl: string,
  client: SandboxClientConfig,
  mechanism: Profile['mechanism'],
): Profile {
  return { id, name: `IT ${id}`, baseUrl, clientId: client.clientId, mechanism, scopes: ['jobs:*', 'tokens:*'] };
}

/**
 * Re-checks `probe` until it gives a value: on every document or diagnostic change, and on a short poll for what raises
 * no editor event (files on disk, terminals, the sandbox). No fixed sleep decides the outcome.
 */
export async function eventually<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise<void>((resolve) => {
      const subs = [vscode.workspace.onDidChangeTextDocument(done), vscode.languages.onDidChangeDiagnostics(done)];
      const timer = setTimeout(done, 50);
      function done(): void {
        clearTimeout(timer);
        subs.forEach((s) => s.dispose());
        resolve();
      }
    });
  }
}

/** Waits until `condition` holds, re-checking on every token change and on a short poll (never a fixed sleep). */
export async function until(
  api: C2mTestApi,
  condition: () => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  if (condition()) return;
  await new Promise<void>((resolve, reject) => {
    const check = (): void => {
      if (!condition()) return;
      cleanup();
      resolve();
    };
    const sub = api.tokens.onDidChange(check);
    const poll = setInterval(check, 20);
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const cleanup = (): void => {
      sub.dispose();
      clearInterval(poll);
      clearTimeout(timer);
    };
  });
}

/**
 * Accepts the fresh-token completion of `profileName` at `position` as the suggest widget does: the document is the
 * active editor (the window is focused), the item's edit goes in, the cursor lands right after what it inserted, then
 * its command runs (with the id the client gave the item). Resolves once the edit is in; `command` settles when the
 * insertion has finished.
 */
export async function acceptTokenCompletion(
  doc: vscode.TextDocument,
  position: vscode.Position,
  profileName: string,
): Promise<{ command: Thenable<unknown> }> {
  const editor = await vscode.window.showTextDocument(doc);
  const label = (i: vscode.CompletionItem): string => (typeof i.label === 'string' ? i.label : i.label.label);
  const item = await eventually(async () => {
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      doc.uri,
      position,
    );
    return list.items.find(
      (i) => i.command?.command === ClientCommands.insertToken && label(i).includes(`<token: ${profileName}>`),
    );
  }, `the fresh-token completion of ${profileName}`);
  const range = item.range instanceof vscode.Range ? item.range : item.range!.replacing;
  const text = typeof item.insertText === 'string' ? item.insertText : item.insertText!.value;
  assert.ok(await editor.edit((e) => e.replace(range, text)));
  const end = range.start.translate(0, text.length);
  editor.selection = new vscode.Selection(end, end);
  return { command: vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? [])) };
}

/** Puts the cursor of `doc`'s editor (made the active one) at `position`, as a click there does. */
export async function cursorAt(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.TextEditor> {
  const editor = await vscode.window.showTextDocument(doc);
  editor.selection = new vscode.Selection(position, position);
  return editor;
}

/** The quick fixes at `position` with the cursor put there first, as Ctrl+. asks for them. */
export async function quickFixesAt(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.CodeAction[]> {
  await cursorAt(doc, position);
  return vscode.commands.executeCommand<vscode.CodeAction[]>(
    'vscode.executeCodeActionProvider',
    doc.uri,
    new vscode.Range(position, position),
    vscode.CodeActionKind.QuickFix.value,
  );
}

/** A path in the integration run's workspace folder. */
export function workspaceFile(name: string): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the integration run opens a workspace folder');
  return path.join(folder.uri.fsPath, name);
}
