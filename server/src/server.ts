// Wires the features to a connection. Kept apart from main.ts so tests can run the server in-process
// over a pair of streams. Every handler looks up the document, delegates to a pure feature function of
// (analysis, token snapshot, now), and answers empty when anything goes wrong.
import { expiringMarginMs } from '@shared/judgement';
import {
  CodeActionKind,
  CodeLensRefreshRequest,
  DocumentDiagnosticReportKind,
  TextDocumentSyncKind,
  type Connection,
  type Diagnostic,
  type DocumentDiagnosticParams,
  type DocumentDiagnosticReport,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { AnalysedDocument, docKindOf } from './analysis';
import { detach } from './parse/lines';
import { codeActions, staleTokens } from './features/codeActions';
import { codeLenses } from './features/codeLens';
import { completions } from './features/completion';
import { diagnostics, sameDiagnostics } from './features/diagnostics';
import { hover } from './features/hover';
import { scanFiles } from './features/workspaceScan';
import { destinationActions, destinationDiagnostics, NO_REQUEST_CONTEXT } from './features/destination';
import { EnvFileCache } from './features/envFiles';
import { shadowActions, shadowDiagnostics } from './features/envShadow';
import { GitIgnoreChangedNotification, IsIgnoredRequest, RequestContextNotification, ScanFilesRequest, StaleTokensRequest, TokenStateNotification } from './messages';
import type { RequestContextParams } from '@shared/protocol/requestContext';
import { TokenStateStore } from './tokenStateStore';
import { heapRelief, type GcFunction } from './heapRelief';

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ServerOptions {
  /** Server clock (tests inject a fake one). */
  now?: () => number;
  timers?: Timers;
  /** V8's gc, for the collection after a big document (heapRelief.ts); default: the global one if exposed. */
  gc?: GcFunction;
  /** The environment `{{$processEnv}}` reads: this process's (the extension host's, which REST Client reads too). */
  processEnv?: Readonly<Record<string, string | undefined>>;
}

/** nextChange keys of lens countdowns (`lens:` + uri): their crossing refreshes code lenses only. */
const LENS_KEY = 'lens:';

/** setTimeout's ceiling (about 24.8 days); a later crossing is re-scheduled when this fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const nodeTimers: Timers = {
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const serverNow = options.now ?? Date.now;
  const timers = options.timers ?? nodeTimers;
  const state = new TokenStateStore(serverNow);
  const relief = heapRelief(options.gc);
  const documents = new Map<string, AnalysedDocument>();
  /** Whether git ignores an env file, asked of the client once per open document. */
  const ignored = new Map<string, Promise<boolean | undefined>>();
  /** Per document: the last full diagnostic report, so an identical answer can be sent as "unchanged". */
  const lastReports = new Map<string, { resultId: string; items: Diagnostic[] }>();
  let reportCounter = 0;
  /** Per document: when its diagnostics next change by themselves (client clock). */
  const nextChange = new Map<string, number>();
  let timer: unknown;
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

  function schedule(): void {
    if (timer !== undefined) timers.clearTimeout(timer);
    timer = undefined;
    const now = state.now();
    let next: number | undefined;
    for (const at of nextChange.values()) if (at > now && (next === undefined || at < next)) next = at;
    if (next === undefined) return;
    timer = timers.setTimeout(() => {
      timer = undefined;
      const at = state.now();
      // Only lens countdowns due (`lens:` keys, a minute passed): diagnostics did not change, lenses did.
      let diagnosticsDue = false;
      for (const [key, when] of nextChange) {
        if (when > at) continue;
        nextChange.delete(key);
        if (!key.startsWith(LENS_KEY)) diagnosticsDue = true;
      }
      refresh(diagnosticsDue);
      schedule();
    }, Math.min(MAX_TIMER_MS, next - now));
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

  connection.onDidOpenTextDocument(({ textDocument: d }) => {
    const kind = docKindOf(d.uri, d.languageId);
    if (!kind) return;
    relief.before(d.text.length);
    documents.set(d.uri, AnalysedDocument.open(d.uri, d.version, d.text, kind));
    relief.handled(d.text.length);
  });
  connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
    const doc = documents.get(textDocument.uri);
    if (!doc) return;
    // What the edit brought in, and what it dropped: measured on the text, since VS Code sends even "select all,
    // delete" as a ranged change.
    let brought = 0;
    for (const change of contentChanges) brought += change.text.length;
    const before = doc.document.getText().length;
    relief.before(brought);
    doc.update(contentChanges, textDocument.version);
    const dropped = before + brought - doc.document.getText().length;
    relief.handled(brought + dropped);
  });
  connection.onDidCloseTextDocument(({ textDocument }) => {
    relief.handled(documents.get(textDocument.uri)?.document.getText().length ?? 0);
    documents.delete(textDocument.uri);
    ignored.delete(textDocument.uri);
    nextChange.delete(textDocument.uri);
    nextChange.delete(LENS_KEY + textDocument.uri);
    lastReports.delete(textDocument.uri);
    schedule(); // no tick left for a closed document
  });

  connection.onNotification(TokenStateNotification, (params) => {
    state.update(params);
    const now = state.now();
    for (const key of nextChange.keys()) if (key.startsWith('token:')) nextChange.delete(key);
    for (const t of state.snapshot.byFingerprint.values()) {
      for (const at of [t.expiresAt - expiringMarginMs(t, state.snapshot.rules), t.expiresAt]) {
        if (Number.isFinite(at) && at > now) nextChange.set(`token:${t.fingerprint}:${at}`, at);
      }
    }
    schedule();
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
      syncTargets: Array.isArray(params?.syncTargets) ? params.syncTargets.filter((t) => typeof t?.uri === 'string' && typeof t.variable === 'string') : [],
      restClient: {
        environments: Array.isArray(params?.restClient?.environments) ? params.restClient.environments.filter((e) => typeof e === 'string') : [],
        ...(typeof params?.restClient?.environment === 'string' || params?.restClient?.environment === null ? { environment: params.restClient.environment } : {}),
      },
      terminalToken: params?.terminalToken === true,
      revision: typeof params?.revision === 'number' ? params.revision : 0,
    };
    envFiles.clear();
    refresh();
  });

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
    guard<DocumentDiagnosticParams, DocumentDiagnosticReport>({ kind: DocumentDiagnosticReportKind.Full, items: [] }, async ({ textDocument, previousResultId }) => {
      const doc = documents.get(textDocument.uri);
      if (!doc) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
      const analysis = doc.analysis;
      const gitIgnored = analysis.kind === 'env' && analysis.tokenCount > 0 ? await isIgnored(analysis.uri) : undefined;
      const result = diagnostics(analysis, state.snapshot, state.now(), gitIgnored);
      if (analysis.kind === 'request') {
        const guard = { snapshot: state.snapshot, context: requestContext, files: envFiles, processEnv };
        result.items.push(...(await destinationDiagnostics(analysis, guard)), ...(await shadowDiagnostics(analysis, requestContext, envFiles)));
      }
      if (result.nextChangeAt !== undefined) nextChange.set(analysis.uri, result.nextChangeAt);
      else nextChange.delete(analysis.uri);
      schedule();
      const last = lastReports.get(analysis.uri);
      if (last && previousResultId === last.resultId && sameDiagnostics(last.items, result.items)) {
        return { kind: DocumentDiagnosticReportKind.Unchanged, resultId: last.resultId };
      }
      const resultId = String(++reportCounter);
      lastReports.set(analysis.uri, { resultId, items: result.items });
      return { kind: DocumentDiagnosticReportKind.Full, resultId, items: result.items };
    }),
  );

  connection.onCompletion(
    guard([], ({ textDocument, position }) => {
      const doc = documents.get(textDocument.uri);
      if (!doc) return [];
      // The line without its break (offsets clamp before it), detached: the features' regexes would pin the text.
      const line = detach(doc.document.getText({ start: { line: position.line, character: 0 }, end: { line: position.line, character: Number.MAX_SAFE_INTEGER } }));
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
    guard([], ({ textDocument }) => {
      const doc = documents.get(textDocument.uri);
      if (!doc) return [];
      const { lenses, nextChangeAt } = codeLenses(doc.analysis, state.snapshot, state.now());
      // The lens texts count minutes: the next time one changes, the client is asked to pull lenses again.
      if (caps.codeLensRefresh && nextChangeAt !== undefined) nextChange.set(LENS_KEY + textDocument.uri, nextChangeAt);
      else nextChange.delete(LENS_KEY + textDocument.uri);
      schedule();
      return lenses;
    }),
  );

  connection.onCodeAction(
    guard([], ({ textDocument, range, context }) => {
      const doc = documents.get(textDocument.uri);
      if (!doc || !caps.codeActionLiterals) return [];
      return [
        ...destinationActions(textDocument.uri, context.diagnostics, state.snapshot),
        ...shadowActions(textDocument.uri, context.diagnostics),
        ...codeActions(doc.analysis, range, context.diagnostics, state.snapshot, state.now()),
      ];
    }),
  );

  connection.onRequest(
    StaleTokensRequest,
    guard([], ({ uri }) => {
      const doc = documents.get(uri);
      return doc ? staleTokens(doc.analysis, state.snapshot, state.now()) : [];
    }),
  );

  // The workspace leak scan: the server reads the named files itself, so their contents never cross the connection.
  connection.onRequest(
    ScanFilesRequest,
    guard({ findings: [], skipped: [], truncated: false }, (params) => scanFiles(params)),
  );

  connection.onShutdown(() => {
    shuttingDown = true;
    if (timer !== undefined) timers.clearTimeout(timer);
    timer = undefined;
  });

  connection.listen();
}
