// A bare LSP client for whole-server tests, over the built bundle (spawned, stdio) or over startServer() in-process
// (two streams). It records every byte either side sends, so tests can check that no token value ever crosses.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import {
  CodeLensRefreshRequest,
  createProtocolConnection,
  DiagnosticRefreshRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  InitializedNotification,
  InitializeRequest,
  type ClientCapabilities,
  type Diagnostic,
  type DocumentDiagnosticReport,
  type InitializeResult,
  type ProtocolConnection,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';
import { createConnection } from 'vscode-languageserver/node';
import { startServer, type ServerOptions } from '../../../server/src/server';
import { IsIgnoredRequest, TokenStateNotification } from '../../../server/src/messages';
import type { TokenStateParams } from '@shared/protocol/tokenState';

export const SERVER_BUNDLE = path.join(__dirname, '..', '..', '..', 'dist', 'server.js');

export const fullCapabilities: ClientCapabilities = {
  textDocument: {
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
    completion: { completionItem: { snippetSupport: false } },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    diagnostic: { dynamicRegistration: false },
  },
  workspace: { diagnostics: { refreshSupport: true }, codeLens: { refreshSupport: true } },
};

export class TestClient {
  refreshes = 0;
  codeLensRefreshes = 0;
  /** Answer to c2m/isIgnored, and how often it was asked. */
  ignoredAnswer: boolean | undefined = true;
  ignoredAsked = 0;
  private readonly versions = new Map<string, number>();
  private refreshWaiters: (() => void)[] = [];
  private codeLensWaiters: (() => void)[] = [];

  private constructor(
    readonly connection: ProtocolConnection,
    /** Every chunk the server wrote. */
    private readonly received: Buffer[],
    /** Every chunk this client wrote. */
    private readonly sentChunks: Buffer[],
    private readonly stop: () => void,
    /** Sent in initialize; in-process it must be null, or the server's parent watchdog interval keeps mocha alive. */
    private readonly processId: number | null,
  ) {
    connection.onRequest(DiagnosticRefreshRequest.type, () => {
      this.refreshes++;
      for (const w of this.refreshWaiters.splice(0)) w();
    });
    connection.onRequest(CodeLensRefreshRequest.type, () => {
      this.codeLensRefreshes++;
      for (const w of this.codeLensWaiters.splice(0)) w();
    });
    connection.onRequest(IsIgnoredRequest, () => {
      this.ignoredAsked++;
      return this.ignoredAnswer as boolean;
    });
    connection.onNotification('window/logMessage', () => undefined);
    connection.listen();
  }

  /** Spawns the built bundle (run `npm run build` first) and talks to it over stdio. */
  static spawnBundle(): TestClient {
    const child: ChildProcess = spawn(process.execPath, [SERVER_BUNDLE, '--stdio'], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const out = child.stdout!;
    const received: Buffer[] = [];
    out.on('data', (chunk: Buffer) => received.push(chunk));
    const sent: Buffer[] = [];
    const toServer = new PassThrough();
    toServer.on('data', (chunk: Buffer) => sent.push(chunk));
    toServer.pipe(child.stdin!);
    const connection = createProtocolConnection(out, toServer);
    const client = new TestClient(
      connection,
      received,
      sent,
      () => {
        connection.dispose();
        child.kill();
      },
      process.pid,
    );
    client.exitCode = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    return client;
  }

  /** Runs startServer() in this process, joined by two streams. */
  static inProcess(options: ServerOptions = {}): TestClient {
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    const received: Buffer[] = [];
    toClient.on('data', (chunk: Buffer) => received.push(chunk));
    const sent: Buffer[] = [];
    toServer.on('data', (chunk: Buffer) => sent.push(chunk));
    const serverConnection = createConnection(toServer, toClient);
    startServer(serverConnection, options);
    const connection = createProtocolConnection(toClient, toServer);
    return new TestClient(
      connection,
      received,
      sent,
      () => {
        connection.dispose();
        serverConnection.dispose();
      },
      null,
    );
  }

  async initialize(capabilities: ClientCapabilities = fullCapabilities): Promise<InitializeResult> {
    const result = await this.connection.sendRequest(InitializeRequest.type, {
      processId: this.processId,
      rootUri: null,
      capabilities,
      workspaceFolders: null,
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
    return result;
  }

  async open(uri: string, languageId: string, text: string): Promise<void> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId, version: 1, text },
    });
  }

  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<void> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: changes,
    });
  }

  async tokenState(params: TokenStateParams): Promise<void> {
    await this.connection.sendNotification(TokenStateNotification, params);
  }

  async diagnostics(uri: string): Promise<Diagnostic[]> {
    const report = await this.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
    return report.kind === 'full' ? report.items : [];
  }

  /** The raw report, sending `previousResultId` like VS Code does after the first pull. */
  async diagnosticReport(uri: string, previousResultId?: string): Promise<DocumentDiagnosticReport> {
    return this.connection.sendRequest(DocumentDiagnosticRequest.type, {
      textDocument: { uri },
      ...(previousResultId ? { previousResultId } : {}),
    });
  }

  /** Resolves at the next workspace/codeLens/refresh the server sends. */
  nextCodeLensRefresh(): Promise<void> {
    return new Promise((resolve) => this.codeLensWaiters.push(resolve));
  }

  /** Resolves at the next workspace/diagnostic/refresh the server sends. */
  nextRefresh(): Promise<void> {
    return new Promise((resolve) => this.refreshWaiters.push(resolve));
  }

  /** All server -> client traffic so far. */
  traffic(): string {
    return Buffer.concat(this.received).toString('utf8');
  }

  /** The spawned server's exit code, once it exits (in-process: never). */
  private exitCode: Promise<number | null> = new Promise(() => undefined);

  onExit(listener: (code: number | null) => void): void {
    void this.exitCode.then(listener);
  }

  /** All client -> server traffic so far. */
  sent(): string {
    return Buffer.concat(this.sentChunks).toString('utf8');
  }

  dispose(): void {
    this.stop();
  }
}
