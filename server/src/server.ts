// Wires the features to a connection. Kept apart from main.ts so tests can run the server in-process
// over a pair of streams. Every handler looks up the document, delegates to a pure feature function of
// (analysis, token snapshot, now), and answers empty when anything goes wrong. What outlives a request has its own
// module: the open documents (documentStore.ts), the refresh timers (refreshTimers.ts), the diagnostic result ids
// (diagnosticResults.ts) and the token state (tokenState.ts).
import { expiringMarginMs } from '@shared/judgement';
import {
  CodeActionKind,
  CodeLensRefreshRequest,
  DocumentDiagnosticReportKind,
  TextDocumentSyncKind,
  type Connection,
  type DocumentDiagnosticParams,
  type DocumentDiagnosticReport,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { detach } from './parse/lines';
import { codeActions, staleTokens } from './features/codeActions';
import { codeLenses } from './features/codeLens';
import { completions } from './features/completion';
import { diagnostics } from './features/diagnostics';
import { hover } from './features/hover';
import { scanFiles } from './features/workspaceScan';
import {
  destinationActions,
  destinationDiagnostics,
  NO_REQUEST_CONTEXT,
  tokensSentElsewhere,
} from './features/destination';
import { EnvFileCache } from './features/envFiles';
import { shadowActions, shadowDiagnostics } from './features/envShadow';
import {
  GitIgnoreChangedNotification,
  IsIgnoredRequest,
  RequestContextNotification,
  ScanFilesRequest,
  StaleTokensRequest,
  TokenStateNotification,
} from './messages';
import type { RequestContextParams } from '@shared/protocol/requestContext';
import type { Diagnostic } from 'vscode-languageserver/node';
import type { Analysis } from './analysis';
import { TokenStateStore } from './tokenStateStore';
import { heapRelief, type GcFunction } from './heapRelief';
import { DocumentStore } from './documentStore';
import { DiagnosticResults } from './diagnosticResults';
import { nodeTimers, RefreshTimers, type Timers } from './refreshTimers';

export type { Timers } from './refreshTimers';

export interface ServerOptions {
  /** Server clock (tests inject a fake one). */
  now?: () => number;
  timers?: Timers;
  /** V8's gc, for the collection after a big document (heapRelief.ts); default: the global one if exposed. */
  gc?: GcFunction;
  /** The environment `{{$processEnv}}` reads: this process's (the extension host's, which REST Client reads too). */
  processEnv?: Readonly<Record<string, string | undefined>>;
}

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const serverNow = options.now ?? Date.now;
  const timers = options.timers ?? nodeTimers;
  const state = new TokenStateStore(serverNow);
  const documents = new DocumentStore(heapRelief(options.gc));
  /** Whether git ignores an env file, asked of the client once per open document. */
  const ignored = new Map<string, Promise<boolean | undefined>>();
  const reports = new DiagnosticResults();
  const refreshTimers = new RefreshTimers(
    timers,
    () => state.now(),
    (diagnosticsToo) => refresh(diagnosticsToo),
  );
  let caps = { codeActionLiterals: false, diagnosticRefresh: false, codeLensRefresh: false };
  /** The destination guard's view of the env sync and REST Client (c2m/requestContext), and the env files it read. */
  let requestContext: RequestContextParams = NO_REQUEST_CONTEXT;
  const envFiles = new EnvFileCache();
  const processEnv = options.processEnv ?? process.env;

  const log = (message: string): void => connection.console.log(message);

  connection.onInitialize((params): InitializeResult => {
    const c = params.capabilities;
    caps = {
      codeActionLiterals: c.textDocument?.codeAction?.codeActionLiteralSupport !== undefined,
      diagnosticRefresh: c.workspace?.diagnostics?.refreshSupport === true,
      codeLensRefresh: c.workspace?.codeLens?.refreshSupport === true,
    };
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        completionProvider: { triggerCharacters: [':', ' ', '=', '{'] },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
        diagnosticProvider: { identifier: 'c2m', interFileDependencies: false, workspaceDiagnostics: false },
        ...(caps.codeActionLiterals ? { codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] } } : {}),
      },
      serverInfo: { name: 'c2m-tokens' },
    };
  });

  /** Asks the client to pull diagnostics (and code lenses) again: token state changed or a token crossed its expiry. */
  function refresh(diagnosticsToo = true): void {
    if (diagnosticsToo && caps.diagnosticRefresh) connection.languages.diagnostics.refresh().catch(() => undefined);
    if (caps.codeLensRefresh) connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  }

  let shuttingDown = false;

  function guard<P, R>(empty: R, handler: (params: P) => R | Promise<R>): (params: P) => Promise<R> {
    return async (params) => {
      // After shutdown the client is stopping: what it still asks (code actions for a closing editor...) is answered
      // empty, not worked on and not failed, so neither side logs an error for a window that is closing.
      if (shuttingDown) return empty;
      try {
        return await handler(params);
      } catch (error) {
        // The message only: a stack or inspected value could carry document text.
        log(`c2m: handler failed: ${error instanceof Error ? error.name : 'error'}`);
        return empty;
      }
    };
  }

  connection.onDidOpenTextDocument((params) => documents.open(params));
  connection.onDidChangeTextDocument((params) => documents.change(params));
  connection.onDidCloseTextDocument((params) => {
    documents.close(params);
    ignored.delete(params.textDocument.uri);
    refreshTimers.forget(params.textDocument.uri);
    reports.forget(params.textDocument.uri);
  });

  connection.onNotification(TokenStateNotification, (params) => {
    state.update(params);
    const { byFingerprint, rules } = state.snapshot;
    refreshTimers.setTokenCrossings(
      [...byFingerprint.values()].flatMap((t) => [t.expiresAt - expiringMarginMs(t, rules), t.expiresAt]),
    );
    refresh();
  });

  // Answers about git ignores hold until the client says a .gitignore, info/exclude or the index changed: then every
  // env file is asked again, so the "not git-ignored" warning never outlives the reason for it.
  connection.onNotification(GitIgnoreChangedNotification, () => {
    ignored.clear();
    refresh();
  });

  connection.onNotification(RequestContextNotification, (params) => {
    requestContext = {
      syncTargets: Array.isArray(params?.syncTargets)
        ? params.syncTargets.filter((t) => typeof t?.uri === 'string' && typeof t.variable === 'string')
        : [],
      restClient: {
        environments: Array.isArray(params?.restClient?.environments)
          ? params.restClient.environments.filter((e) => typeof e === 'string')
          : [],
        ...(typeof params?.restClient?.environment === 'string' || params?.restClient?.environment === null
          ? { environment: params.restClient.environment }
          : {}),
      },
      terminalToken: params?.terminalToken === true,
      revision: typeof params?.revision === 'number' ? params.revision : 0,
    };
    envFiles.clear();
    refresh();
  });

  /** The destination guard's warnings for a document (cached per block in destination.ts: cheap to ask again). */
  function guardWarnings(analysis: Analysis): Promise<Diagnostic[]> {
    if (analysis.kind !== 'request') return Promise.resolve([]);
    return destinationDiagnostics(analysis, {
      snapshot: state.snapshot,
      context: requestContext,
      files: envFiles,
      processEnv,
    });
  }

  function isIgnored(uri: string): Promise<boolean | undefined> {
    let answer = ignored.get(uri);
    if (!answer) {
      answer = connection.sendRequest(IsIgnoredRequest, { uri }).then(
        (v) => (typeof v === 'boolean' ? v : undefined),
        () => undefined,
      );
      ignored.set(uri, answer);
    }
    return answer;
  }

  connection.languages.diagnostics.on(
    guard<DocumentDiagnosticParams, DocumentDiagnosticReport>(
      { kind: DocumentDiagnosticReportKind.Full, items: [] },
      async ({ textDocument, previousResultId }) => {
        const doc = documents.get(textDocument.uri);
        if (!doc) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
        const analysis = doc.analysis;
        const gitIgnored =
          analysis.kind === 'env' && analysis.tokenCount > 0 ? await isIgnored(analysis.uri) : undefined;
        const result = diagnostics(analysis, state.snapshot, state.now(), gitIgnored);
        if (analysis.kind === 'request') {
          result.items.push(
            ...(await guardWarnings(analysis)),
            ...(await shadowDiagnostics(analysis, requestContext, envFiles)),
          );
        }
        refreshTimers.setDiagnostics(analysis.uri, result.nextChangeAt);
        return reports.report(analysis.uri, previousResultId, result.items);
      },
    ),
  );

  connection.onCompletion(
    guard([], ({ textDocument, position }) => {
      const doc = documents.get(textDocument.uri);
      if (!doc) return [];
      // The line without its break (offsets clamp before it), detached: the features' regexes would pin the text.
      const line = detach(
        doc.document.getText({
          start: { line: position.line, character: 0 },
          end: { line: position.line, character: Number.MAX_SAFE_INTEGER },
        }),
      );
      return completions(doc.analysis, line, position, state.snapshot);
    }),
  );

  connection.onHover(
    guard(null, ({ textDocument, position }) => {
      const doc = documents.get(textDocument.uri);
      return doc ? hover(doc.analysis, position, state.snapshot, state.now()) : null;
    }),
  );

  connection.onCodeLens(
    guard([], async ({ textDocument }) => {
      const doc = documents.get(textDocument.uri);
      if (!doc) return [];
      const analysis = doc.analysis;
      const elsewhere = tokensSentElsewhere(await guardWarnings(analysis));
      const { lenses, nextChangeAt } = codeLenses(analysis, state.snapshot, state.now(), elsewhere);
      // The lens texts count minutes: the next time one changes, the client is asked to pull lenses again.
      refreshTimers.setLens(textDocument.uri, caps.codeLensRefresh ? nextChangeAt : undefined);
      return lenses;
    }),
  );

  connection.onCodeAction(
    guard([], async ({ textDocument, range, context }) => {
      const doc = documents.get(textDocument.uri);
      if (!doc || !caps.codeActionLiterals) return [];
      const analysis = doc.analysis;
      const warnings = await guardWarnings(analysis);
      return [
        ...destinationActions(analysis, range, context.diagnostics, warnings, state.snapshot),
        ...shadowActions(textDocument.uri, context.diagnostics),
        ...codeActions(
          analysis,
          range,
          context.diagnostics,
          state.snapshot,
          state.now(),
          tokensSentElsewhere(warnings),
        ),
      ];
    }),
  );

  connection.onRequest(
    StaleTokensRequest,
    guard([], async ({ uri }) => {
      const doc = documents.get(uri);
      if (!doc) return [];
      const analysis = doc.analysis;
      return staleTokens(analysis, state.snapshot, state.now(), tokensSentElsewhere(await guardWarnings(analysis)));
    }),
  );

  // The workspace leak scan: the server reads the named files itself, so their contents never cross the connection.
  connection.onRequest(
    ScanFilesRequest,
    guard({ findings: [], skipped: [], truncated: false }, (params) => scanFiles(params)),
  );

  connection.onShutdown(() => {
    shuttingDown = true;
    refreshTimers.stop();
  });

  connection.listen();
}
