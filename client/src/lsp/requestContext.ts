// Keeps the server's view of what the destination guard cannot read from documents (c2m/requestContext): where the
// .env sync writes, which environment REST Client has selected (and which it has), whether terminals get the token.
// Names and paths only, never a value. Sent again when a setting it is made of changes, when an env file changes on
// disk (the server then reads the env files again) and when REST Client's environment.json changes.
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RequestContextParams } from '@shared/protocol/requestContext';
import type { readRestClientEnvironment } from '../integrations/restClientEnvironment';
import type { envSyncEnabled, envSyncTargets, terminalInjectToken } from '../host/config';

/** The settings and files it is made of, read by the extension's own modules (handed in: this bundle has no copy). */
export interface RequestContextSources {
  envSyncEnabled: typeof envSyncEnabled;
  envSyncTargets: typeof envSyncTargets;
  terminalInjectToken: typeof terminalInjectToken;
  readRestClientEnvironment: typeof readRestClientEnvironment;
}

/** The environment names of rest-client.environmentVariables (user and workspace merged, as REST Client reads them). */
function restClientEnvironments(): string[] {
  const raw = vscode.workspace.getConfiguration('rest-client').get<unknown>('environmentVariables');
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return [];
  return Object.keys(raw).filter((name) => name !== '$shared');
}

function syncTargets(sources: RequestContextSources): RequestContextParams['syncTargets'] {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!sources.envSyncEnabled() || !folder || folder.uri.scheme !== 'file') return [];
  // The same resolution as the sync itself (envSync.ts): relative to the first workspace folder.
  return sources
    .envSyncTargets()
    .map((t) => ({ uri: vscode.Uri.file(path.resolve(folder.uri.fsPath, t.file)).toString(), variable: t.variable }));
}

export class RequestContextSync implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  private revision = 0;
  private environmentWatcher: vscode.Disposable | undefined;
  private watchedFile: string | undefined;

  constructor(
    private readonly send: (params: RequestContextParams) => void,
    private readonly log: (line: string) => void,
    private readonly sources: RequestContextSources,
  ) {
    const envFiles = vscode.workspace.createFileSystemWatcher('**/.env*');
    const changed = (): void => this.push();
    this.subscriptions.push(
      envFiles,
      envFiles.onDidCreate(changed),
      envFiles.onDidChange(changed),
      envFiles.onDidDelete(changed),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('c2m') || e.affectsConfiguration('rest-client.environmentVariables')) this.push();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(changed),
    );
  }

  /** Builds the context now and sends it (after the environment file is read). */
  push(): void {
    this.build().then(this.send, (error: unknown) =>
      this.log(`request context: ${error instanceof Error ? error.message : 'failed'}`),
    );
  }

  private async build(): Promise<RequestContextParams> {
    const { file, environment } = await this.sources.readRestClientEnvironment(os.homedir(), process.env);
    this.watch(file);
    return {
      syncTargets: syncTargets(this.sources),
      restClient: { environments: restClientEnvironments(), ...(environment !== undefined ? { environment } : {}) },
      terminalToken: this.sources.terminalInjectToken() && vscode.workspace.isTrusted,
      revision: ++this.revision,
    };
  }

  /** Follows REST Client's environment.json (outside the workspace: a watcher on its folder). */
  private watch(file: string): void {
    if (this.watchedFile === file) return;
    this.environmentWatcher?.dispose();
    this.watchedFile = file;
    const watcher = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(vscode.Uri.file(path.dirname(file)), path.basename(file)),
    );
    const changed = (): void => this.push();
    this.environmentWatcher = vscode.Disposable.from(
      watcher,
      watcher.onDidCreate(changed),
      watcher.onDidChange(changed),
      watcher.onDidDelete(changed),
    );
  }

  dispose(): void {
    this.environmentWatcher?.dispose();
    for (const s of this.subscriptions.splice(0)) s.dispose();
  }
}
