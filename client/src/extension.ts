// Entry point. activate() only wires things together: no network, no sandbox, no language server at activation
// (they start lazily), so it stays well under 10 ms. It returns the extension's API.
import * as vscode from 'vscode';
import { registerLanguageFeatures } from './lsp';
import { createApi, type C2mApi } from './vscode/api';
import { COMMAND_IDS, createCommands } from './vscode/commands';
import { profileNotice } from './vscode/config';
import { createCtx } from './vscode/context';
import { wireEngine } from './vscode/engineHost';
import { Asker } from './vscode/inputs';
import { Log } from './vscode/log';
import { Notifier } from './vscode/notifications';
import { SandboxLauncher } from './vscode/sandboxLauncher';
import type { Services } from './vscode/services';
import { TokenStatusBar } from './vscode/statusBar';
import { TokensTree } from './vscode/tree';
import { ViewState } from './vscode/viewState';

export type { C2mApi } from './vscode/api';

let sandbox: SandboxLauncher | undefined;

export function activate(context: vscode.ExtensionContext): C2mApi {
  const started = performance.now();
  const ctx = createCtx(context);
  const log = ctx.extLifetime.push(new Log());
  const asker = new Asker();
  const notifier = new Notifier(log, (command, ...args) => vscode.commands.executeCommand(command, ...args));
  sandbox = new SandboxLauncher(context.extensionPath, (line) => log.info(line));
  ctx.extLifetime.push(sandbox);

  const { engine, store, ready, syncProfiles } = wireEngine(ctx, { log, notifier, asker });
  const state = ctx.extLifetime.push(new ViewState(engine));
  const tree = ctx.extLifetime.push(new TokensTree(state, (entry) => profileNotice(entry, vscode.workspace.isTrusted)));
  const status = ctx.extLifetime.push(new TokenStatusBar(state));

  const services: Services = {
    ctx, engine, state, tree, status, log, notifier, asker, sandbox,
    syncProfiles: () => {
      syncProfiles();
      state.invalidate();
    },
  };
  const commands = createCommands(services);
  for (const id of COMMAND_IDS) ctx.extLifetime.push(vscode.commands.registerCommand(id, commands[id]));

  // .http/.env language features: the language client starts lazily, on the first matching document.
  registerLanguageFeatures({ extensionPath: context.extensionPath, subscriptions: ctx.clientLifetime.sink }, engine, {
    log: (line) => log.info(line),
    isTrusted: () => vscode.workspace.isTrusted,
  });

  const activationMs = performance.now() - started;
  log.debug(`activated in ${activationMs.toFixed(2)} ms`);
  return createApi({ ready, activationMs, engine, store, services });
}

export async function deactivate(): Promise<void> {
  // The in-host sandbox holds a listening socket: close it before the host goes.
  await sandbox?.stop().catch(() => undefined);
  sandbox = undefined;
}
