// The "Leak Scan" view: the last scan's findings grouped by file, each with its status, and the actions on a
// finding (revoke, replace with a fresh token, move to .env with a reference). Replacing reuses the language client's
// token-edit command, moving goes through the one env writer; both then save the file and scan again so the view
// shows what is on disk.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TokenInfo, TokenService } from '../core/tokenService';
import { ClientCommands } from '@shared/protocol/clientCommands';
import type { ScanFilesParams, ScanFilesResult } from '@shared/protocol/scan';
import type { EnvWriter } from './envWriter';
import { scanWorkspace, type LeakFinding, type LeakScanLimits, type LeakScanResult, type LeakStatus, DEFAULT_LIMITS } from './leakScan';
import type { Log } from '../host/log';
import { maskTokenId } from '../ui/viewFormat';

export const LEAK_VIEW_ID = 'c2m.leaks';

export type LeakNode = { type: 'file'; uri: string; findings: LeakFinding[] } | { type: 'finding'; finding: LeakFinding };
type Node = LeakNode;

const LOOK: Record<LeakStatus, { icon: string; color: string; text: () => string }> = {
  active: { icon: 'key', color: 'charts.green', text: () => vscode.l10n.t('active') },
  expired: { icon: 'history', color: 'disabledForeground', text: () => vscode.l10n.t('expired') },
  revoked: { icon: 'circle-slash', color: 'charts.red', text: () => vscode.l10n.t('revoked') },
  'long-term': { icon: 'warning', color: 'charts.orange', text: () => vscode.l10n.t('long-term') },
  unknown: { icon: 'question', color: 'charts.yellow', text: () => vscode.l10n.t('not a known C2M token') },
};

export interface LeakViewDeps {
  tokens: TokenService & { revokeByFingerprint(fingerprint: string): Promise<void> };
  log: Log;
  scanFiles(params: ScanFilesParams): Promise<ScanFilesResult>;
  /** What findings are matched against by fingerprint: the tokens held now and the ones this window saw before. */
  known(): readonly TokenInfo[];
  isTrusted(): boolean;
  /** The one env writer (its guards: placement, git, replacing another token only when fresher or allowed). */
  envWriter: Pick<EnvWriter, 'moveToEnv'>;
  /** The language features' token edits (replace), run with this view's own arguments. */
  edit(command: typeof ClientCommands.replaceToken | typeof ClientCommands.moveTokenToEnv, args: unknown): Promise<void>;
}

function relativeOf(uri: string): string {
  const parsed = vscode.Uri.parse(uri);
  const folder = vscode.workspace.getWorkspaceFolder(parsed);
  return folder ? path.relative(folder.uri.fsPath, parsed.fsPath) : parsed.fsPath;
}

function rangeOf(f: LeakFinding): vscode.Range {
  return new vscode.Range(f.range.start.line, f.range.start.character, f.range.end.line, f.range.end.character);
}

export class LeakView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<Node>;
  private last: LeakScanResult | undefined;
  /**
   * The finding nodes this view handed to VS Code. The item actions act only on one of these (VS Code passes the node
   * back from the context menu): any extension can run c2m.leak.* with a finding it made up, for a file it wrote.
   */
  private readonly handedOut = new WeakSet<object>();
  limits: LeakScanLimits = DEFAULT_LIMITS;

  constructor(private readonly deps: LeakViewDeps) {
    this.view = vscode.window.createTreeView(LEAK_VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
  }

  result(): LeakScanResult | undefined {
    return this.last;
  }

  /** A finding node as the view hands it out (the tree, and the in-host tests through the Test-mode seams). */
  nodeFor(finding: LeakFinding): Node {
    const node: Node = { type: 'finding', finding };
    this.handedOut.add(node);
    return node;
  }

  /** The finding of a node this view handed out, or undefined for any other argument. */
  private findingOf(arg: unknown): LeakFinding | undefined {
    return typeof arg === 'object' && arg !== null && this.handedOut.has(arg) && 'finding' in arg ? (arg.finding as LeakFinding) : undefined;
  }

  /** Scans the workspace and shows the findings (progress in the view, which `reveal` opens first). */
  async scan(options: { reveal?: boolean } = {}): Promise<LeakScanResult> {
    if (options.reveal) await vscode.commands.executeCommand(`${LEAK_VIEW_ID}.focus`);
    const result = await vscode.window.withProgress(
      { location: { viewId: LEAK_VIEW_ID }, title: vscode.l10n.t('Scanning the workspace for tokens'), cancellable: false },
      () => scanWorkspace({ known: () => this.deps.known(), scanFiles: (p) => this.deps.scanFiles(p) }, this.limits),
    );
    this.last = result;
    const files = new Set(result.findings.map((f) => f.uri)).size;
    this.view.message = result.findings.length === 0
      ? vscode.l10n.t('No tokens found in {0} file(s).', result.filesSearched)
      : result.truncated
        ? vscode.l10n.t('{0} token(s) in {1} file(s); {2} file(s) searched (limit reached: not everything was searched).', result.findings.length, files, result.filesSearched)
        : vscode.l10n.t('{0} token(s) in {1} file(s); {2} file(s) searched.', result.findings.length, files, result.filesSearched);
    this.deps.log.info(`leak scan: ${result.findings.length} finding(s) in ${files} file(s), ${result.filesSearched} searched, ${result.skipped.length} skipped${result.truncated ? ', truncated' : ''}`);
    this.changed.fire(undefined);
    return result;
  }

  /**
   * Whether Revoke can act on the finding: only a token the engine holds now (and that is still live). A token of ours
   * that a refresh or rotation replaced is recognised by fingerprint, but its value is gone, so it cannot be revoked
   * from here; it runs out by itself (short-term) or was revoked with the rotation (long-term).
   */
  revocable(finding: LeakFinding): boolean {
    return this.deps.tokens.tokens().some((t) => t.fingerprint === finding.fingerprint && (t.status === 'valid' || t.status === 'expiring'));
  }

  async revoke(arg: unknown): Promise<boolean> {
    const finding = this.findingOf(arg);
    if (!finding) return false;
    if (!this.revocable(finding)) {
      // Said first: a notification without buttons shows one line.
      const message = finding.expiresAt !== undefined
        ? vscode.l10n.t(
          'C2M: cannot revoke this token: it was already replaced (refreshed, rotated or revoked) and is no longer held here. Replace it in the file with a fresh token. It expires by itself at {0}.',
          new Date(finding.expiresAt).toLocaleString(),
        )
        : vscode.l10n.t('C2M: cannot revoke this token: it was already replaced (refreshed, rotated or revoked) and is no longer held here. Replace it in the file with a fresh token.');
      void vscode.window.showInformationMessage(message);
      return false;
    }
    await this.deps.tokens.revokeByFingerprint(finding.fingerprint);
    await this.scan();
    return true;
  }

  /** Replace with a fresh short-term token (of the profile that owns it, else the active one). */
  async replace(arg: unknown): Promise<boolean> {
    return this.editThenRescan(arg, async (f) => {
      await this.deps.edit(ClientCommands.replaceToken, { uri: f.uri, range: f.range, fingerprint: f.fingerprint });
    });
  }

  /** Move the literal into the sibling .env and leave `{{$dotenv C2M_ACCESS_TOKEN}}` in its place. */
  async moveToEnv(arg: unknown): Promise<boolean> {
    return this.editThenRescan(arg, async (f) => {
      await this.deps.envWriter.moveToEnv(vscode.Uri.parse(f.uri), rangeOf(f), f.fingerprint);
    });
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.type === 'file') {
      const item = new vscode.TreeItem(relativeOf(node.uri), vscode.TreeItemCollapsibleState.Expanded);
      item.resourceUri = vscode.Uri.parse(node.uri);
      item.description = node.findings.length === 1 ? vscode.l10n.t('1 token') : vscode.l10n.t('{0} tokens', node.findings.length);
      item.contextValue = 'c2m.leakFile';
      item.id = `file:${node.uri}`;
      return item;
    }
    const f = node.finding;
    const what = f.kind === 'long' || (!f.kind && f.shape === 'longTerm') ? vscode.l10n.t('long-term token') : f.kind === 'short' ? vscode.l10n.t('short-term token') : 'JWT';
    const item = new vscode.TreeItem(vscode.l10n.t('Ln {0}: {1}', f.range.start.line + 1, `${what}${f.tokenId ? ` ${maskTokenId(f.tokenId)}` : ''}`));
    const look = LOOK[f.status];
    const text = look.text();
    const profile = f.profileId ? this.deps.tokens.profiles().find((p) => p.id === f.profileId)?.name ?? f.profileId : undefined;
    item.description = profile ? `${text} · ${profile}` : text;
    item.iconPath = new vscode.ThemeIcon(look.icon, new vscode.ThemeColor(look.color));
    item.tooltip = `${profile ? vscode.l10n.t('{0} (profile {1})', text, profile) : text} · ${vscode.l10n.t('fingerprint {0}', f.fingerprint)}` +
      `${f.expiresAt !== undefined ? ` · ${vscode.l10n.t('exp {0} (unverified)', new Date(f.expiresAt).toISOString())}` : ''}`;
    // `.ours` (Revoke offered) only for a token the engine holds now; one it replaced is `.past`.
    const owner = f.profileId ? (this.revocable(f) ? '.ours' : '.past') : '';
    item.contextValue = `c2m.leak.${f.status === 'long-term' ? 'longTerm' : f.status}${owner}`;
    item.id = `finding:${f.uri}:${f.range.start.line}:${f.range.start.character}`;
    item.command = { command: 'vscode.open', title: vscode.l10n.t('Open'), arguments: [vscode.Uri.parse(f.uri), { selection: rangeOf(f) }] };
    return item;
  }

  getChildren(node?: Node): Node[] {
    if (node?.type === 'finding') return [];
    if (node?.type === 'file') return node.findings.map((finding) => this.nodeFor(finding));
    const byFile = new Map<string, LeakFinding[]>();
    for (const f of this.last?.findings ?? []) byFile.set(f.uri, [...(byFile.get(f.uri) ?? []), f]);
    return [...byFile].map(([uri, findings]) => ({ type: 'file', uri, findings }));
  }

  dispose(): void {
    this.view.dispose();
    this.changed.dispose();
  }

  private async editThenRescan(arg: unknown, edit: (f: LeakFinding) => Promise<void>): Promise<boolean> {
    const finding = this.findingOf(arg);
    if (!finding) return false;
    if (!this.deps.isTrusted()) {
      void vscode.window.showWarningMessage(vscode.l10n.t('C2M: tokens are not written into files in Restricted Mode. Trust this workspace to use it.'));
      return false;
    }
    const open = (): vscode.TextDocument | undefined => vscode.workspace.textDocuments.find((d) => d.uri.toString() === finding.uri);
    const hadUnsavedEdits = open()?.isDirty ?? false;
    await edit(finding);
    // The scan reads files from disk: save what the edit changed, but never the user's own unsaved edits with it
    // (then the file stays dirty, and the next scan shows what is on disk until the user saves).
    const doc = open();
    if (doc?.isDirty && !hadUnsavedEdits) await doc.save();
    else if (hadUnsavedEdits) this.deps.log.info(`leak scan: ${relativeOf(finding.uri)} had unsaved changes: edited, not saved`);
    await this.scan();
    return true;
  }
}
