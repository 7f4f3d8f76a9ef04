// Language features for .http/.rest and .env files: starts the language client lazily (when the first matching
// document is open), keeps the server's token state current (metadata only), answers its git-ignore question,
// and registers the client commands its completions, lenses and quick fixes use. Owns all of it for disposal.
// What it needs of the rest of the extension (the error wrapper, the git wrapper, the held-value finder) comes in
// `deps` from client.js at run time, and only types are imported from there: a module bundled into this bundle too
// would run twice, each copy with its own state (test/unit/bundle.contents.test.ts checks that none is).
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  RevealOutputChannelOn,
  State,
  TransportKind,
  type LanguageClientOptions,
  type MessageSignature,
  type ServerOptions,
} from 'vscode-languageclient/node';
import type { TokenInfo, TokenService } from '../core/tokenService';
import {
  GitIgnoreChangedNotification,
  IsIgnoredRequest,
  RequestContextNotification,
  ScanFilesRequest,
  StaleTokensRequest,
  TokenStateNotification,
} from './messages';
import { ClientCommands } from '@shared/protocol/clientCommands';
import type { ScanFilesParams, ScanFilesResult } from '@shared/protocol/scan';
import type { ExpiryRules } from '@shared/judgement';
import type { EnvWriteResult } from '../integrations/envWriter';
import type { AddToGitIgnoreResult, IgnoreStatus } from '../integrations/gitIgnore';
import { RequestContextSync, type RequestContextSources } from './requestContext';
import { syncEnvThereCommand } from './envTargetFix';
import { addToGitIgnoreCommand, watchGitIgnores } from './gitIgnoreFix';
import { redactedChange, redactedDocument } from './documentStandIns';
import { HeldMemory } from './heldMemory';
import type { DisposableList } from '../host/context';
import type { Held, HeldSpanFinder } from './serverText';
import { DOCUMENT_SELECTOR } from './selector';
import { SERVER_EXEC_ARGV } from './serverProcess';
import { BoundCommands } from './boundCommands';
import { createEditCommands } from './tokenEdits';
import { knownTokens, rememberTokens, tokenStateOf, type RevokedTokenStore } from './tokenStateSync';

export interface LanguageFeatureContext {
  extensionPath: string;
  /** Owns what lives as long as the language features (until deactivate). */
  subscriptions: { dispose(): void }[];
  /** Ends the previous language client's lifetime (disposing what it owned) and begins the next one's. */
  renewClientLifetime(): Pick<DisposableList, 'push' | 'dispose'>;
}

export interface LanguageFeatureDeps {
  log(line: string): void;
  isTrusted(): boolean;
  /** When a token is expiring (the tree's rules): sent with the token state so the server judges the same way. */
  expiryRules(): ExpiryRules;
  /** The extension's one env writer, for the "Move token to .env" quick fix. */
  moveTokenToEnv(uri: vscode.Uri, range: vscode.Range): Promise<EnvWriteResult | 'moved_meanwhile'>;
  /** A modal question (the extension's asker), for the revoke quick fix and a lens's replace. */
  confirm(message: string, detail: string, ...choices: string[]): Promise<string | undefined>;
  /** The secret values the extension holds now: never sent to the server, in any spelling. */
  heldSecrets(): Held;
  /** Where held values appear in a text, in any spelling (the log redactor's finder, api/heldSecrets.ts). */
  heldSpans: HeldSpanFinder;
  /** What a log line says of a caught error (host/errorText.ts). */
  errorText(error: unknown): string;
  /** A token id as the views show it (ui/viewFormat.ts). */
  maskTokenId(tokenId: string): string;
  /** The error-to-user wrapper (ui/guarded.ts): a failure is logged and shown as `failed(reason)`, never thrown. */
  guarded<T>(work: () => Promise<T>, failed: (reason: string) => string): Promise<T | undefined>;
  /** git's answer for a file, asked with the workspace's trust and folders (integrations/gitContext.ts). */
  isGitIgnored(fsPath: string): Promise<IgnoreStatus>;
  /** Appends the file to the .gitignore beside it, with the same guards (integrations/gitIgnore.ts). */
  addToGitIgnore(fsPath: string): Promise<AddToGitIgnoreResult>;
  /** What the request context is made of: .env sync and terminal settings, REST Client's environment file. */
  requestContext: RequestContextSources;
  /** Where revoked tokens' metadata outlives the window (host/revokedTokens.ts): read once, written on changes. */
  revokedTokens?: RevokedTokenStore;
}

/** Id = settings prefix, so `c2m.trace.server` works without code. */
export const CLIENT_ID = 'c2m';
export const CLIENT_NAME = 'C2M Tokens Language Server';

/** What the language features offer the rest of the extension. */
export interface LanguageFeatures {
  /** The workspace leak scan's server half (starts the language client if it is not running yet). */
  scanFiles(params: ScanFilesParams): Promise<ScanFilesResult>;
  /** Every token this window has seen, with its last status (the same memory the server's token state comes from). */
  knownTokens(): readonly TokenInfo[];
  /** Runs a token edit (replace, move to .env) for the extension's own views, which hold their own checked arguments. */
  edit(
    command: typeof ClientCommands.replaceToken | typeof ClientCommands.moveTokenToEnv,
    args: unknown,
  ): Promise<void>;
}

/**
 * A language client that goes quiet once it is stopping. VS Code keeps asking for code actions, hovers and lenses
 * while a window closes; a request caught between "running" and "stopped" fails inside the library ("Starting server
 * failed", "Client is not running"), which then logs "Request … failed" and makes the provider fail. Once stopping
 * (or stopped), a failed request gets the provider's empty answer instead, with nothing logged.
 */
class StoppableClient extends LanguageClient {
  private stopping = false;

  /** Stops and disposes the client; from now on failed requests are answered empty. */
  async close(): Promise<void> {
    this.stopping = true;
    await this.dispose();
  }

  override handleFailedRequest<T>(
    type: MessageSignature,
    token: vscode.CancellationToken | undefined,
    error: unknown,
    defaultValue: T,
    showNotification?: boolean,
    throwOnCancel?: boolean,
  ): T {
    if (this.stopping || this.state === State.Stopped) return defaultValue;
    return super.handleFailedRequest(type, token, error, defaultValue, showNotification, throwOnCancel);
  }
}

export function registerLanguageFeatures(
  ctx: LanguageFeatureContext,
  tokens: TokenService,
  deps: LanguageFeatureDeps,
): LanguageFeatures {
  let client: StoppableClient | undefined;
  let started: Promise<void> | undefined;
  let clientLifetime: Pick<DisposableList, 'dispose'> | undefined;
  // Disposing the features closes their language client too (deactivate ends its lifetime first anyway).
  ctx.subscriptions.push({ dispose: () => clientLifetime?.dispose() });

  const staleTokens = async (uri: string) => (client ? client.sendRequest(StaleTokensRequest, { uri }) : []);
  const { errorText } = deps;
  const edits = createEditCommands({
    tokens,
    log: deps.log,
    isTrusted: deps.isTrusted,
    staleTokens,
    moveToEnv: deps.moveTokenToEnv,
    confirm: deps.confirm,
    guarded: deps.guarded,
    maskTokenId: deps.maskTokenId,
  });
  const bound = new BoundCommands({ log: deps.log });
  const held = new HeldMemory(() => deps.heldSecrets());
  ctx.subscriptions.push(...bound.register(edits));
  // Remember token history from now on, not only while the server runs: a token revoked and replaced before the
  // first .http/.env file opens must still be known as revoked.
  ctx.subscriptions.push(rememberTokens(tokens, deps.revokedTokens));

  const requestContext = new RequestContextSync(
    (params) => {
      if (client?.state !== State.Running) return;
      client.sendNotification(RequestContextNotification, params).catch((error: unknown) => {
        deps.log(`language server: sending the request context failed: ${errorText(error)}`);
      });
    },
    deps.log,
    deps.requestContext,
  );
  ctx.subscriptions.push(requestContext);
  ctx.subscriptions.push(
    ...bound.register({
      [ClientCommands.syncEnvThere]: syncEnvThereCommand({
        log: deps.log,
        isTrusted: deps.isTrusted,
        confirm: deps.confirm,
        envSyncTargets: deps.requestContext.envSyncTargets,
      }),
    }),
  );

  const pushState = (): void => {
    if (client?.state !== State.Running) return;
    client
      .sendNotification(TokenStateNotification, tokenStateOf(tokens, Date.now(), deps.expiryRules()))
      .catch((error: unknown) => {
        deps.log(`language server: sending token state failed: ${errorText(error)}`);
      });
  };

  function start(): void {
    if (client) return;
    const module = path.join(ctx.extensionPath, 'dist', 'server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV] } },
      debug: {
        module,
        transport: TransportKind.ipc,
        options: { execArgv: [...SERVER_EXEC_ARGV, '--nolazy', '--inspect=6019'] },
      },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: DOCUMENT_SELECTOR,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      diagnosticPullOptions: { onChange: true, onSave: true },
      // Token values never cross the connection, not even inside the document text: stand-ins do (see redact.ts).
      middleware: {
        didOpen: (document, next) => next(redactedDocument(document, held.current(), deps.heldSpans)),
        didChange: (event, next) => next(redactedChange(event, held.current(), deps.heldSpans)),
        ...bound.middleware,
      },
      initializationFailedHandler: (error) => {
        deps.log(`language server failed to initialize: ${errorText(error)}`);
        return false;
      },
    };
    const c = new StoppableClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
    client = c;
    // This client's own lifetime: it ends when the client fails to start (the next one begins a new lifetime) or at
    // deactivate, and closes the client with what listens to it.
    const lifetime = ctx.renewClientLifetime();
    clientLifetime = lifetime;
    lifetime.push({
      dispose: () => {
        if (client === c) {
          client = undefined;
          started = undefined;
        }
        // close() disposes, not only stops: that also releases the client's own listeners and output channel.
        c.close().catch(() => undefined);
      },
    });
    c.onRequest(IsIgnoredRequest, ({ uri }) => {
      const parsed = vscode.Uri.parse(uri);
      if (parsed.scheme !== 'file') return null;
      // Trust and workspace folders are checked by the wrapper: no git at all in Restricted Mode.
      return deps.isGitIgnored(parsed.fsPath).then((status) => (status === 'unknown' ? null : status === 'ignored'));
    });
    // Handlers survive the library's own server restarts; the state is pushed again whenever the server (re)starts.
    lifetime.push(
      c.onDidChangeState((e) => {
        if (e.newState !== State.Running) return;
        pushState();
        requestContext.push();
      }),
    );
    started = c.start();
    started.catch((error: unknown) => {
      deps.log(`language server failed to start: ${errorText(error)}`);
      // Not stuck with a dead client: the next matching document (or scan) starts a new one, in a new lifetime.
      lifetime.dispose();
    });
  }

  // Env files' "not git-ignored" answers go stale when what git reads changes; the server then asks again.
  const ignoresChanged = (): void => {
    if (client?.state !== State.Running) return;
    client.sendNotification(GitIgnoreChangedNotification, {}).catch((error: unknown) => {
      deps.log(`language server: sending the git-ignore change failed: ${errorText(error)}`);
    });
  };
  ctx.subscriptions.push(watchGitIgnores(ignoresChanged));
  const addToGitIgnore = addToGitIgnoreCommand(deps.addToGitIgnore, ignoresChanged);
  ctx.subscriptions.push(
    ...bound.register({
      [ClientCommands.addToGitIgnore]: async (args) =>
        void (await addToGitIgnore(args as ClientCommands.AddToGitIgnoreArgs)),
    }),
  );

  const features: LanguageFeatures = {
    scanFiles: async (params) => {
      start();
      await started;
      if (!client) throw new Error('the language server is not available');
      return client.sendRequest(ScanFilesRequest, params);
    },
    knownTokens: () => knownTokens(tokens),
    edit: async (command, args) => {
      const handler = edits[command];
      if (handler) await handler(args);
    },
  };

  ctx.subscriptions.push(tokens.onDidChange(pushState));

  const matches = (doc: vscode.TextDocument): boolean => vscode.languages.match(DOCUMENT_SELECTOR, doc) > 0;
  // Stays subscribed: start() does nothing while a client exists, and after a failed start the next matching
  // document tries again.
  ctx.subscriptions.push(vscode.workspace.onDidOpenTextDocument((doc) => matches(doc) && start()));
  if (vscode.workspace.textDocuments.some(matches)) start();
  return features;
}
