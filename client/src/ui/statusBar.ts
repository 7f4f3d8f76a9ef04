// The status bar item: the active profile and its short-term token's time left ("$(key) Sandbox 14:59"), a warning
// background when a token is expiring or an operation failed, and a click that opens the actions quick pick; with no
// usable long-term token ("$(key) Sandbox: no token") the click issues one.
import * as vscode from 'vscode';
import type { CommandId } from '../host/commandIds';
import { statusBarModel } from './viewFormat';
import type { ViewState } from './viewState';

/** A markdown link that runs one of our commands (the tooltip's enabledCommands must list it too). */
const link = (id: CommandId): string => `command:${id}`;

export class TokenStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscriptions: vscode.Disposable[] = [];
  private ticker: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly state: ViewState,
    private readonly now: () => number = Date.now,
  ) {
    this.item = vscode.window.createStatusBarItem('c2m.status', vscode.StatusBarAlignment.Left, 50);
    this.item.name = vscode.l10n.t('C2M Tokens');
    this.subscriptions.push(
      this.item,
      state.onDidChange(() => this.update()),
    );
    this.update();
  }

  /** The text currently shown (for tests). */
  get text(): string {
    return this.item.text;
  }

  /** What is shown now, as VS Code draws it (for tests): text, background colour id (none: neutral), click command. */
  get shown(): { text: string; background: string | undefined; command: string | undefined } {
    const command = this.item.command;
    return {
      text: this.item.text,
      background: this.item.backgroundColor instanceof vscode.ThemeColor ? this.item.backgroundColor.id : undefined,
      command: typeof command === 'string' ? command : command?.command,
    };
  }

  update(): void {
    const activeId = this.state.activeId();
    const entry = this.state.profile(activeId);
    // Before the stored tokens are read it could only say "no token": it shows once it knows.
    if (!entry || !this.state.isReady()) {
      this.item.hide();
      this.stopTicker();
      return;
    }
    const short = this.state.token(entry.profile.id, 'short');
    const long = this.state.token(entry.profile.id, 'long');
    const model = statusBarModel(entry.profile.name, short, long, this.now(), this.state.expiryRules());
    const failing = this.state.isFailing(entry.profile.id);
    const severity = failing && model.severity === 'normal' ? 'warning' : model.severity;
    this.item.text = model.text;
    this.item.backgroundColor =
      severity === 'error'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : severity === 'warning'
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    this.item.command = (model.needsIssue ? 'c2m.issueLongTermToken' : 'c2m.showActions') satisfies CommandId;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.isTrusted = {
      enabledCommands: [
        'c2m.showActions',
        'c2m.refreshShortTermToken',
        'c2m.copyShortTermToken',
        'c2m.switchProfile',
        'c2m.issueLongTermToken',
      ] satisfies CommandId[],
    };
    tooltip.appendText(
      model.tooltip + (failing ? `\n${vscode.l10n.t('The last token operation failed: see the log.')}` : ''),
    );
    const switchLink =
      this.state.profiles().length > 1
        ? `[$(arrow-swap) ${vscode.l10n.t('Switch')}](${link('c2m.switchProfile')}) · `
        : '';
    // Without a long-term token, Refresh and Copy could only fail: Issue is what there is to do.
    const tokenLinks = model.needsIssue
      ? `[$(key) ${vscode.l10n.t('Issue Long-Term Token')}](${link('c2m.issueLongTermToken')}) · `
      : `[$(refresh) ${vscode.l10n.t('Refresh')}](${link('c2m.refreshShortTermToken')}) · [$(copy) ${vscode.l10n.t('Copy')}](${link('c2m.copyShortTermToken')}) · `;
    tooltip.appendMarkdown(
      `\n\n${tokenLinks}${switchLink}[$(list-selection) ${vscode.l10n.t('More…')}](${link('c2m.showActions')})`,
    );
    this.item.tooltip = tooltip;
    // Screen readers otherwise read the text plus the raw tooltip markdown (codicons, command links).
    this.item.accessibilityInformation = { label: model.tooltip.split('\n').join(', '), role: 'button' };
    this.item.show();
    // The countdown moves every second while a short-term token is live.
    if (short && short.status !== 'revoked' && short.expiresAt > this.now()) {
      this.ticker ??= setInterval(() => this.update(), 1000);
    } else {
      this.stopTicker();
    }
  }

  dispose(): void {
    this.stopTicker();
    for (const d of this.subscriptions.splice(0)) d.dispose();
  }

  private stopTicker(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
  }
}
