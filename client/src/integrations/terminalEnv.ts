// Opt-in (c2m.terminal.injectToken): new integrated terminals get the active profile's short-term token as
// C2M_ACCESS_TOKEN. The collection is not persistent, so the value is gone after a restart, and it is replaced on
// every refresh (terminals opened before keep their old environment; VS Code marks them as stale). Never in Restricted
// Mode, whatever the User settings say: a terminal there runs the untrusted repository's scripts, which would read it.
import * as vscode from 'vscode';
import type { TokenService } from '../core/tokenService';
import { ENV_TOKEN_NAME } from '@shared/protocol/envVariable';
import { affects, Keys, terminalInjectToken } from '../host/config';
import { errorText, type Log } from '../host/log';

export class TerminalEnv implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Fingerprint of the token in the collection now. */
  private current: string | undefined;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly collection: vscode.GlobalEnvironmentVariableCollection,
    private readonly tokens: TokenService,
    private readonly log: Log,
    /** Workspace trust (vscode.workspace.isTrusted). */
    private readonly isTrusted: () => boolean = () => vscode.workspace.isTrusted,
  ) {
    collection.persistent = false;
    collection.description = vscode.l10n.t("C2M: the active profile's short-term token as C2M_ACCESS_TOKEN");
    this.subscriptions.push(
      tokens.onDidChange(() => this.schedule()),
      vscode.workspace.onDidChangeConfiguration((e) => affects(e, Keys.terminalInjectToken) && this.schedule()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.schedule()),
    );
    this.schedule();
  }

  /** Brings the collection up to date; resolves to the fingerprint it now holds (undefined: none). */
  update(): Promise<string | undefined> {
    const next = this.queue.then(() => this.apply());
    this.queue = next.catch(() => undefined);
    return next.then(() => this.current);
  }

  dispose(): void {
    for (const s of this.subscriptions.splice(0)) s.dispose();
    this.collection.clear();
  }

  private schedule(): void {
    this.update().catch((error: unknown) => this.log.warn(`terminal environment not updated: ${errorText(error)}`));
  }

  private clear(): void {
    if (this.current === undefined) return;
    this.collection.delete(ENV_TOKEN_NAME);
    this.current = undefined;
  }

  private async apply(): Promise<void> {
    const active = this.tokens.profiles().find((p) => p.active);
    const info = active && this.tokens.tokens().find((t) => t.profileId === active.id && t.kind === 'short');
    // Only a token that is there already: a change event never causes an exchange.
    if (
      !this.isTrusted() ||
      !terminalInjectToken() ||
      !active ||
      !info ||
      (info.status !== 'valid' && info.status !== 'expiring')
    )
      return this.clear();
    if (info.fingerprint === this.current) return;
    const { value, info: served } = await this.tokens.getShortTermToken(active.id);
    this.collection.replace(ENV_TOKEN_NAME, value);
    this.current = served.fingerprint;
    this.log.info(
      `terminal environment: C2M_ACCESS_TOKEN is short-term token ${served.tokenId} of profile ${active.id}`,
    );
  }
}
