// Entry point. activate() only wires things together: no network, no sandbox, no language server at activation
// (they start lazily), so it stays well under 10 ms. It returns the extension's API.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { localHistoryPath, restClientHistoryPath } from './integrations/leakScan/requestHistory';
import { loadLanguageFeatures, type LanguageFeatures } from './host/loadLanguageFeatures';
import type { TokenInfo } from './core/tokenService';
import { useHeldSecrets } from './api/redact';
import { createApi, type C2mApi } from './integrations/extensionApi';
import { AUTH_PROVIDER_ID, authProviderLabel, C2mAuthProvider } from './integrations/authProvider';
import { registerCommands } from './commands/index';
import { runCommand } from './host/runCommand';
import { envSyncEnabled, envSyncTargets, profileNotice, terminalInjectToken, whyNoNetwork } from './host/config';
import { registerAgentTools } from './integrations/agentTools/register';
import { createCtx } from './host/context';
import { ProfileSettings } from './host/profileSettings';
import { RevokedTokens } from './host/revokedTokens';
import { wireEngine } from './engineHost';
import { EnvSync } from './integrations/envSync';
import { EnvWriter } from './integrations/envWriter';
import { Asker } from './ui/inputs';
import { LeakView } from './integrations/leakView';
import { Log } from './host/log';
import { Notifier } from './ui/notifications';
import { ProgressRunner, withProgressFor } from './ui/progress';
import { SandboxLauncher } from './integrations/sandboxLauncher';
import type { Services } from './services';
import { TokenStatusBar } from './ui/statusBar';
import { TerminalEnv } from './integrations/terminalEnv';
import { TokensTree } from './ui/tree';
import { ViewState } from './ui/viewState';
import { isGitIgnored, workspaceGitContext } from './integrations/gitContext';
import { addToGitIgnore } from './integrations/gitIgnore';
import { heldSpans } from './api/heldSecrets';
import { readRestClientEnvironment } from './integrations/restClientEnvironment';
import { errorText } from './host/errorText';
import { guarded, toldAs } from './ui/guarded';
import { maskTokenId } from './ui/viewFormat';
import { useL10n } from './host/l10n';

export type { C2mApi } from './integrations/extensionApi';

let sandbox: SandboxLauncher | undefined;

export function activate(context: vscode.ExtensionContext): C2mApi {
  const started = performance.now();
  // First: the vscode-free modules' texts come from VS Code's l10n from here on.
  useL10n(vscode.l10n);
  const ctx = createCtx(context);
  const log = ctx.extLifetime.push(new Log());
  const asker = new Asker();
  const notifier = new Notifier(log, runCommand, {
    show: (severity, message, titles) =>
      severity === 'error'
        ? vscode.window.showErrorMessage(message, ...titles)
        : severity === 'warning'
          ? vscode.window.showWarningMessage(message, ...titles)
          : vscode.window.showInformationMessage(message, ...titles),
    details: (message, detail) => vscode.window.showInformationMessage(message, { modal: true, detail }),
  });
  sandbox = new SandboxLauncher(context.extensionPath, (line) => log.info(line));
  ctx.extLifetime.push(sandbox);

  const settings = ctx.extLifetime.push(new ProfileSettings());
  const { engine, store, ready } = wireEngine(ctx, { log, notifier, asker, settings });
  // Every log line, notice and error message masks the values the engine holds, in any spelling.
  ctx.extLifetime.push(
    useHeldSecrets(() => {
      const { tokens, secrets } = engine.heldSecrets();
      return [...tokens, ...secrets];
    }),
  );
  const state = ctx.extLifetime.push(new ViewState(engine, settings, ready));
  const tree = ctx.extLifetime.push(
    new TokensTree(
      state,
      (entry) => profileNotice(entry, vscode.workspace.isTrusted),
      Date.now,
      () => performance.now() - started,
    ),
  );
  const status = ctx.extLifetime.push(new TokenStatusBar(state));
  const progress = new ProgressRunner();
  // What the language features and Leak Scan fetch or revoke is a user's command: under progress, like the others.
  const userTokens = withProgressFor(engine, progress);

  // Editor-wide features: .env sync, terminal environment, authentication provider, workspace leak scan.
  let lsp: LanguageFeatures | undefined;
  // The language features keep the window's token memory (from just after activation); until then, what is held now.
  const known = (): readonly TokenInfo[] => lsp?.knownTokens() ?? engine.tokens();
  const envWriter = new EnvWriter({
    asker,
    log,
    notifier,
    globalState: context.globalState,
    isIgnored: isGitIgnored,
    isTrusted: () => vscode.workspace.isTrusted,
    known,
    profileName: (id) => engine.profiles().find((p) => p.id === id)?.name ?? id,
  });
  const envSync = ctx.extLifetime.push(
    new EnvSync({
      tokens: engine,
      writer: envWriter,
      asker,
      log,
      notifier,
      globalState: context.globalState,
      isTrusted: () => vscode.workspace.isTrusted,
    }),
  );
  const terminalEnv = ctx.extLifetime.push(new TerminalEnv(context.environmentVariableCollection, engine, log));
  const leaks = ctx.extLifetime.push(
    new LeakView({
      tokens: userTokens,
      log,
      isTrusted: () => vscode.workspace.isTrusted,
      scanFiles: (params) =>
        lsp ? lsp.scanFiles(params) : Promise.reject(new Error(vscode.l10n.t('the language server is not available'))),
      known,
      envWriter,
      edit: (command, args) =>
        lsp
          ? lsp.edit(command, args)
          : Promise.reject(new Error(vscode.l10n.t('the language features are not loaded yet'))),
      sourceLocations: () => ({
        restClientHistory: restClientHistoryPath(os.homedir(), process.env, (p) => fs.existsSync(p)),
        localHistory: localHistoryPath(context.globalStorageUri.fsPath),
      }),
      includeRequestHistory: () =>
        vscode.workspace.getConfiguration('c2m').get<boolean>('leakScan.requestHistory', false),
      confirm: (message, detail, ...choices) => asker.confirm(message, detail, ...choices),
    }),
  );
  const auth = ctx.extLifetime.push(
    new C2mAuthProvider({
      engine,
      memory: context.globalState,
      signIn: async () => (await runCommand('c2m.issueLongTermToken')) !== undefined,
      log: (line) => log.info(line),
    }),
  );
  ctx.extLifetime.push(
    vscode.authentication.registerAuthenticationProvider(AUTH_PROVIDER_ID, authProviderLabel(), auth, {
      supportsMultipleAccounts: true,
    }),
  );

  // Language-model tools for agents in the editor: token status, and one confirmed authenticated request at a time.
  const agentTools = registerAgentTools(
    {
      tokens: engine,
      held: () => {
        const { tokens, secrets } = engine.heldSecrets();
        return [...tokens, ...secrets];
      },
      now: Date.now,
      isTrusted: () => vscode.workspace.isTrusted,
      whyNoNetwork: (profileId) => whyNoNetwork(settings.profile(profileId), vscode.workspace.isTrusted),
      fetch: (url, init) => fetch(url, init),
      log: (line) => log.info(line),
      inspectChat: (key) => vscode.workspace.getConfiguration('chat').inspect(key),
      confirm: (message, detail, ...choices) => asker.confirm(message, detail, ...choices),
    },
    (d) => ctx.extLifetime.push(d),
  );

  const services: Services = {
    ctx,
    engine,
    state,
    tree,
    status,
    log,
    notifier,
    asker,
    progress,
    sandbox,
    envSync,
    leaks,
    terminalEnv,
    syncProfiles: () => settings.sync(),
  };
  registerCommands(services, ctx.extLifetime);

  // .http/.env language features, loaded from their own bundle (dist/lsp.js, which carries the language client) and
  // registered just after activate() returns: if a matching document is already open the language client starts right
  // away, and neither that nor loading the bundle counts against (or blocks) activation.
  const languageReady = new Promise<void>((resolve) => {
    const pending = setImmediate(() => {
      const { registerLanguageFeatures } = loadLanguageFeatures(context.extensionPath);
      const features = {
        extensionPath: context.extensionPath,
        subscriptions: ctx.extLifetime.sink,
        renewClientLifetime: () => ctx.clientLifetime.renew(),
      };
      lsp = registerLanguageFeatures(features, userTokens, {
        log: (line) => log.info(line),
        isTrusted: () => vscode.workspace.isTrusted,
        expiryRules: () => state.expiryRules(),
        moveTokenToEnv: (uri, range) => envWriter.moveToEnv(uri, range),
        confirm: (message, detail, ...choices) => asker.confirm(message, detail, ...choices),
        heldSecrets: () => engine.heldSecrets(),
        heldSpans,
        errorText,
        maskTokenId,
        guarded: (work, failed) =>
          guarded(
            work,
            toldAs(notifier, failed, (line) => log.info(line)),
          ),
        isGitIgnored,
        addToGitIgnore: (fsPath) => addToGitIgnore(fsPath, workspaceGitContext()),
        requestContext: { envSyncEnabled, envSyncTargets, terminalInjectToken, readRestClientEnvironment },
        revokedTokens: new RevokedTokens(context.globalState, (line) => log.info(line)),
      });
      resolve();
    });
    ctx.extLifetime.push({ dispose: () => (clearImmediate(pending), resolve()) });
  });

  const activationMs = performance.now() - started;
  log.debug(`activated in ${activationMs.toFixed(2)} ms`);
  return createApi({
    ready: Promise.all([ready, languageReady]).then(() => undefined),
    activationMs,
    engine,
    store,
    services,
    agentTools,
  });
}

export async function deactivate(): Promise<void> {
  // The in-host sandbox holds a listening socket: close it before the host goes.
  await sandbox?.stop().catch(() => undefined);
  sandbox = undefined;
}
