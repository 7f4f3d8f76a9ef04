// A bare LSP client over stdio to a spawned server bundle: what figures 2-5 measure through.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  createMessageConnection,
  DidOpenTextDocumentNotification,
  DidChangeTextDocumentNotification,
  DocumentDiagnosticRequest,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type InitializeResult,
  type MessageConnection,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';
import { TokenStateNotification } from '../../server/src/messages';
import { SERVER_EXEC_ARGV } from '../../client/src/lsp/serverProcess';
import { benchTokenState } from './tokenStateFixture';

export interface LspSession {
  child: ChildProcess;
  connection: MessageConnection;
  /** Milliseconds from spawn to the initialize result. */
  startMs: number;
  init: InitializeResult;
  /** Pull diagnostics: the last result id and items per document. */
  resultIds: Map<string, string>;
  lastDiagnostics: Map<string, Diagnostic[]>;
  /** How many pull answers said "unchanged" (the client keeps its last full report). */
  unchangedReports: number;
  dispose(): Promise<void>;
}

/** Spawns `node <flags the extension uses> <bundle> --stdio`, initializes it and answers the server's own requests with empty results. */
export async function startSession(bundle: string, rootUri: string): Promise<LspSession> {
  const started = performance.now();
  const child = spawn(process.execPath, [...SERVER_EXEC_ARGV, bundle, '--stdio'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const connection = createMessageConnection(
    new StreamMessageReader(child.stdout as NodeJS.ReadableStream),
    new StreamMessageWriter(child.stdin as NodeJS.WritableStream),
  );
  // The server may ask for configuration, capability registration or its custom requests; a client that never
  // answers would stall it. `workspace/configuration` wants one entry per item.
  connection.onRequest((method, params) => {
    if (method === 'workspace/configuration') {
      const items = (params as { items?: unknown[] } | undefined)?.items ?? [];
      return items.map(() => null);
    }
    if (method === 'c2m/isIgnored') return true;
    return null;
  });
  connection.onNotification(() => undefined);
  connection.listen();
  const init = await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri,
    workspaceFolders: [{ uri: rootUri, name: 'bench' }],
    capabilities: {
      textDocument: {
        synchronization: { dynamicRegistration: false },
        completion: { completionItem: { snippetSupport: true } },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        publishDiagnostics: {},
        diagnostic: { dynamicRegistration: false },
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
      },
      workspace: { configuration: true, workspaceFolders: true },
    },
  });
  const startMs = performance.now() - started;
  await connection.sendNotification(InitializedNotification.type, {});
  const dispose = async (): Promise<void> => {
    const exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    try {
      await Promise.race([connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 1000))]);
      await connection.sendNotification('exit');
    } catch {
      // already gone
    }
    const killer = setTimeout(() => child.kill('SIGKILL'), 2000);
    await exited;
    clearTimeout(killer);
    connection.dispose();
  };
  return {
    child,
    connection,
    startMs,
    init,
    resultIds: new Map(),
    lastDiagnostics: new Map(),
    unchangedReports: 0,
    dispose,
  };
}

export async function openDocument(session: LspSession, uri: string, languageId: string, text: string): Promise<void> {
  await session.connection.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId, version: 1, text },
  });
}

export async function changeDocument(
  session: LspSession,
  uri: string,
  version: number,
  changes: TextDocumentContentChangeEvent[],
): Promise<void> {
  await session.connection.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version },
    contentChanges: changes,
  });
}

/**
 * Runs `trigger` (an open or a change) and waits until the server has analysed `uri`: a pull-diagnostics answer if
 * the server offers pull diagnostics, else the next publishDiagnostics for it (subscribed before the trigger).
 */
export async function analyse(session: LspSession, uri: string, trigger: () => Promise<void>): Promise<Diagnostic[]> {
  if (session.init.capabilities.diagnosticProvider) {
    await trigger();
    // Like VS Code, hand back the last result id: a server may then answer "unchanged" instead of resending.
    const previousResultId = session.resultIds.get(uri);
    const report = await session.connection.sendRequest(DocumentDiagnosticRequest.type, {
      textDocument: { uri },
      ...(previousResultId !== undefined ? { previousResultId } : {}),
    });
    if (report.resultId !== undefined) session.resultIds.set(uri, report.resultId);
    else session.resultIds.delete(uri);
    if (report.kind === 'full') session.lastDiagnostics.set(uri, report.items);
    else session.unchangedReports++;
    return session.lastDiagnostics.get(uri) ?? [];
  }
  let timer: NodeJS.Timeout | undefined;
  const published = new Promise<Diagnostic[]>((resolve, reject) => {
    const sub = session.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      if (params.uri !== uri) return;
      sub.dispose();
      clearTimeout(timer);
      resolve(params.diagnostics);
    });
    timer = setTimeout(() => {
      sub.dispose();
      reject(
        new Error(`no diagnostics for ${uri} within ${ANALYSE_TIMEOUT_MS} ms (the server neither pulls nor publishes)`),
      );
    }, ANALYSE_TIMEOUT_MS);
  });
  await trigger();
  return published;
}

const ANALYSE_TIMEOUT_MS = 30_000;

/** Tells the server about tokens, as the extension does after start (see tokenStateFixture.ts). */
export async function sendTokenState(session: LspSession, text: string, count: number, nowMs: number): Promise<void> {
  await session.connection.sendNotification(TokenStateNotification, benchTokenState(text, count, nowMs));
}

/** Resident set size of a process in bytes, from /proc (Linux). */
export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+)\s+kB/.exec(status);
  return match ? Number(match[1]) * 1024 : Number.NaN;
}

/** The bare round trip: a request no server handles, answered with MethodNotFound by the JSON-RPC layer itself. */
export async function emptyRequest(session: LspSession): Promise<void> {
  try {
    await session.connection.sendRequest('c2m/bench/empty', {});
  } catch {
    // MethodNotFound is the expected answer.
  }
}
