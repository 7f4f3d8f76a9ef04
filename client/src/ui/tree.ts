// The "Tokens" view: profiles, each with its long-term and short-term token. One TreeItem class per node kind;
// node objects are stable (one per profile and slot) so a countdown tick can refresh just the short-term rows (and a
// long-term row that says "issued just now", until it no longer does), and it ticks once a second only while the
// view is visible.
import * as vscode from 'vscode';
import type { Activity } from '../core/operation';
import type { TokenInfo, TokenKind } from '../core/tokenService';
import type { ConfiguredProfile } from '../host/config';
import { MECHANISM_LABELS } from './profileWizard';
import { activityText } from './progressText';
import {
  cannotRevokeNote,
  displayStatus,
  formatScopes,
  isFreshlyIssued,
  profileContextValue,
  profileDescription,
  statusLook,
  tokenContextValue,
  tokenDescription,
  tokenSummary,
} from './viewFormat';
import type { ViewState } from './viewState';
import type { ExpiryRules } from '@shared/judgement';

export interface ProfileNode {
  readonly type: 'profile';
  readonly profileId: string;
}

export interface TokenNode {
  readonly type: 'token';
  readonly profileId: string;
  readonly kind: TokenKind;
}

export interface NoticeNode {
  readonly type: 'notice';
  readonly profileId: string;
}

export type Node = ProfileNode | TokenNode | NoticeNode;

function themeIcon(icon: string, color?: string): vscode.ThemeIcon {
  return new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
}

export class ProfileItem extends vscode.TreeItem {
  constructor(
    entry: ConfiguredProfile,
    active: boolean,
    problem: string | undefined,
    cannotRevoke?: string,
    activity?: Activity,
  ) {
    super(entry.profile.name, vscode.TreeItemCollapsibleState.Expanded);
    this.id = `profile:${entry.profile.id}`;
    this.contextValue = profileContextValue(entry.profile.mechanism);
    // Short, for the default side bar width: whether it is active, what it is sending right now, and the one warning
    // worth seeing at a glance.
    this.description = [
      profileDescription(active),
      activity ? activityText(activity) : '',
      cannotRevoke ? vscode.l10n.t('cannot revoke') : '',
    ]
      .filter(Boolean)
      .join(' · ');
    this.iconPath =
      problem || cannotRevoke
        ? themeIcon('warning', 'list.warningForeground')
        : themeIcon(active ? 'account' : 'person');
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**${escapeMd(entry.profile.name)}**${active ? ` ${vscode.l10n.t('(active)')}` : ''}\n\n`);
    tooltip.appendMarkdown(
      `${vscode.l10n.t('Base URL: {0}', `\`${entry.profile.baseUrl}\``)}  \n${vscode.l10n.t('Client id: {0}', `\`${entry.profile.clientId}\``)}  \n`,
    );
    tooltip.appendMarkdown(
      `${vscode.l10n.t('Mechanism: {0}', MECHANISM_LABELS[entry.profile.mechanism]?.label ?? entry.profile.mechanism)}  \n`,
    );
    const from =
      entry.origin === 'workspace' ? vscode.l10n.t('From: workspace settings') : vscode.l10n.t('From: user settings');
    tooltip.appendMarkdown(`${vscode.l10n.t('Scopes: {0}', escapeMd(formatScopes(entry.profile.scopes)))}  \n${from}`);
    if (problem) tooltip.appendMarkdown(`\n\n$(warning) ${escapeMd(problem)}`);
    if (cannotRevoke) tooltip.appendMarkdown(`\n\n$(warning) ${escapeMd(cannotRevoke)}`);
    this.tooltip = tooltip;
  }
}

export class TokenItem extends vscode.TreeItem {
  /** `long`: the profile's long-term token, for a short-term node (whether Refresh can work). */
  constructor(
    profileId: string,
    kind: TokenKind,
    info: TokenInfo | undefined,
    now: number,
    rules: ExpiryRules,
    long?: TokenInfo,
  ) {
    super(
      kind === 'long' ? vscode.l10n.t('Long-term token') : vscode.l10n.t('Short-term token'),
      vscode.TreeItemCollapsibleState.None,
    );
    this.id = `token:${profileId}:${kind}`;
    const status = displayStatus(info, now, rules);
    const look = statusLook(status, kind);
    this.contextValue = tokenContextValue(kind, status, kind === 'short' ? displayStatus(long, now, rules) : undefined);
    this.iconPath = themeIcon(look.icon, look.color);
    this.description = tokenDescription(info, status, now);
    // Screen readers hear which token it is too (the short description leaves the id to the tooltip).
    this.accessibilityInformation = { label: `${this.label as string}, ${tokenSummary(info, status, now)}` };
    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown(`**${this.label as string}**: ${look.label}\n\n`);
    if (info && status !== 'none') {
      tooltip.appendMarkdown(`${vscode.l10n.t('Token id: {0}', `\`${info.tokenId || vscode.l10n.t('(none)')}\``)}  \n`);
      tooltip.appendMarkdown(`${vscode.l10n.t('Scopes: {0}', escapeMd(formatScopes(info.scopes)))}  \n`);
      tooltip.appendMarkdown(
        `${vscode.l10n.t('Issued: {0}', new Date(info.issuedAt).toLocaleString())}  \n${vscode.l10n.t('Expires: {0}', new Date(info.expiresAt).toLocaleString())}`,
      );
    } else {
      tooltip.appendMarkdown(
        kind === 'long'
          ? vscode.l10n.t('Issue a long-term token to start.')
          : vscode.l10n.t('Refresh to get a short-term token.'),
      );
    }
    this.tooltip = tooltip;
  }
}

export class NoticeItem extends vscode.TreeItem {
  constructor(profileId: string, message: string) {
    super(message, vscode.TreeItemCollapsibleState.None);
    this.id = `notice:${profileId}`;
    this.contextValue = 'c2m.notice';
    this.iconPath = themeIcon('shield', 'list.warningForeground');
    this.tooltip = message;
  }
}

function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

export class TokensTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | Node[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly nodes = new Map<string, Node>();
  private readonly view: vscode.TreeView<Node>;
  private readonly subscriptions: vscode.Disposable[] = [];
  private ticker: ReturnType<typeof setInterval> | undefined;
  /** Profiles whose long-term row was last drawn as "issued just now". */
  private readonly freshLong = new Set<string>();
  private renderedAfterMs: number | undefined;
  private markRendered: (ms: number) => void = () => undefined;
  /** Resolves with `sinceActivation()` at VS Code's first request for the root items (the view is drawn then). */
  readonly firstRender = new Promise<number>((resolve) => (this.markRendered = resolve));

  /** `sinceActivation`: ms since activate() began, read once, at the first render (bench figure 7). */
  constructor(
    private readonly state: ViewState,
    private readonly problemOf: (entry: ConfiguredProfile) => string | undefined,
    private readonly now: () => number = Date.now,
    private readonly sinceActivation: () => number = () => 0,
  ) {
    this.view = vscode.window.createTreeView('c2m.tokens', { treeDataProvider: this, showCollapseAll: false });
    this.subscriptions.push(this.view, this.changed);
    this.subscriptions.push(state.onDidChange(() => this.refresh()));
    this.view.onDidChangeVisibility(() => this.updateTicker(), this, this.subscriptions);
    this.updateTicker();
  }

  refresh(): void {
    this.changed.fire(undefined);
    this.updateTicker();
  }

  /**
   * The node of a profile or token: what the view's menus pass to a command, as its target. A node proves no click:
   * VS Code hands the same object to any command the workbench runs with the item's handle (another extension's menu
   * item on this view, `runCommands`, a command link), so a command asks whatever node it is given.
   */
  node(type: 'profile' | 'notice', profileId: string): Node;
  node(type: 'token', profileId: string, kind: TokenKind): TokenNode;
  node(type: Node['type'], profileId: string, kind?: TokenKind): Node {
    const key = `${type}:${profileId}:${kind ?? ''}`;
    const known = this.nodes.get(key);
    if (known) return known;
    const node: Node = type === 'token' ? { type, profileId, kind: kind ?? 'short' } : { type, profileId };
    this.nodes.set(key, node);
    return node;
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const entry = this.state.profile(node.profileId);
    if (node.type === 'profile') {
      if (!entry) return new vscode.TreeItem(node.profileId);
      const cannotRevoke = cannotRevokeNote(
        entry.profile.name,
        entry.profile.scopes,
        this.state.token(node.profileId, 'long'),
        this.now(),
      );
      return new ProfileItem(
        entry,
        this.state.activeId() === node.profileId,
        this.problemOf(entry),
        cannotRevoke,
        this.state.activity(node.profileId),
      );
    }
    if (node.type === 'notice') return new NoticeItem(node.profileId, (entry && this.problemOf(entry)) ?? '');
    const info = this.state.token(node.profileId, node.kind);
    const now = this.now();
    if (node.kind === 'long') {
      // Drawn as "issued just now": re-drawn by the ticker until that is no longer true.
      if (info && isFreshlyIssued(info, now)) {
        this.freshLong.add(node.profileId);
        this.updateTicker();
      } else this.freshLong.delete(node.profileId);
    }
    const long = node.kind === 'short' ? this.state.token(node.profileId, 'long') : undefined;
    return new TokenItem(node.profileId, node.kind, info, now, this.state.expiryRules(), long);
  }

  /** When the view was first drawn, in ms after activation began; undefined until it has been (a hidden view never is). */
  get firstRenderMs(): number | undefined {
    return this.renderedAfterMs;
  }

  getChildren(node?: Node): Node[] | Promise<Node[]> {
    if (!node && this.renderedAfterMs === undefined) {
      this.renderedAfterMs = this.sinceActivation();
      this.markRendered(this.renderedAfterMs);
    }
    // Until the stored tokens are read the rows could only say "not issued": VS Code shows the view loading instead.
    if (!node && !this.state.isReady()) return this.state.whenReady.then(() => this.rootNodes());
    if (!node) return this.rootNodes();
    if (node.type !== 'profile') return [];
    const entry = this.state.profile(node.profileId);
    const children: Node[] = [this.node('token', node.profileId, 'long'), this.node('token', node.profileId, 'short')];
    if (entry && this.problemOf(entry)) children.unshift(this.node('notice', node.profileId));
    return children;
  }

  private rootNodes(): Node[] {
    return this.state.profiles().map((p) => this.node('profile', p.profile.id));
  }

  getParent(node: Node): Node | undefined {
    return node.type === 'profile' ? undefined : this.node('profile', node.profileId);
  }

  /** Shows and selects a node (for "Show Token Details" from the palette and for tests). */
  async reveal(node: Node): Promise<void> {
    await this.view.reveal(node, { select: false, focus: false, expand: true });
  }

  dispose(): void {
    this.stopTicker();
    for (const d of this.subscriptions.splice(0)) d.dispose();
  }

  /** Ticks only while the view is visible and some row changes with time (a countdown, "issued just now"). */
  private updateTicker(): void {
    if (this.view.visible && this.tickingNodes().length > 0) {
      this.ticker ??= setInterval(() => this.tick(), 1000);
    } else {
      this.stopTicker();
    }
  }

  private tick(): void {
    const nodes = this.tickingNodes();
    if (!this.view.visible || nodes.length === 0) {
      this.stopTicker();
      return;
    }
    this.changed.fire(nodes);
  }

  private tickingNodes(): TokenNode[] {
    const fresh = [...this.freshLong].filter((id) => this.state.profile(id));
    return [...this.liveShortNodes(), ...fresh.map((id) => this.node('token', id, 'long'))];
  }

  private liveShortNodes(): TokenNode[] {
    const now = this.now();
    return this.state
      .profiles()
      .map((p) => ({ id: p.profile.id, info: this.state.token(p.profile.id, 'short') }))
      .filter(({ info }) => info && info.status !== 'revoked' && info.expiresAt > now - 1000)
      .map(({ id }) => this.node('token', id, 'short'));
  }

  private stopTicker(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
  }
}
