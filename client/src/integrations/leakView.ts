// The "Leak Scan" view: the last scan's findings grouped by file, each with its token's state now (decided again
// whenever the tokens change and when one reaches its expiry, leakScan/findingState.ts), and the actions on a
// finding (revoke, replace with a fresh token, move to .env with a reference). Replacing reuses the language client's
// token-edit command, moving goes through the one env writer; both then save the file and scan again so the view
// shows what is on disk. A scan shows its findings as they come, with progress in the view's message, and can be
// cancelled (the view's Stop button). Beside the workspace's files: the git history (its own command) and, when the
// user opts in, the request histories outside the workspace, each in its own group, with a command to clear those.
// How the rows look and group is leakScan/leakTree.ts.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as vscode from 'vscode';
import type { TokenInfo, TokenService } from '../core/tokenService';
import { ClientCommands } from '@shared/protocol/clientCommands';
import type { ScanFilesParams, ScanFilesResult } from '@shared/protocol/scan';
import type { HistoryFinding } from '@shared/scan/gitLogScan';
import { scanGitHistory } from './leakScan/historyScan';
import {
  clearLocalHistory,
  clearRestClientHistory,
  scanLocalHistory,
  scanRestClientHistory,
  type ElsewhereFinding,
  type SourceLocations,
} from './leakScan/requestHistory';
import type { EnvWriter } from './envWriter';
import { editsInWorkspace } from './leakScan/editPlacement';
import { workspaceGitContext } from './gitContext';
import {
  emptyResult,
  isLiveOrKnown,
  redecide,
  scanWorkspace,
  statusOf,
  DEFAULT_LIMITS,
  type LeakFinding,
  type LeakScanLimits,
  type LeakScanResult,
} from './leakScan';
import type { Log } from '../host/log';
import { counted, sizeText } from '../ui/countText';
import { leakChildren, leakTreeItem, rangeOf, relativeOf, type LeakNode } from './leakScan/leakTree';
import { maskTokenId } from '../ui/viewFormat';

export const LEAK_VIEW_ID = 'c2m.leaks';
export type { LeakNode } from './leakScan/leakTree';
type Node = LeakNode;

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
  edit(
    command: typeof ClientCommands.replaceToken | typeof ClientCommands.moveTokenToEnv,
    args: unknown,
  ): Promise<void>;
  /** Where REST Client's history and VS Code's Local History are. */
  sourceLocations(): SourceLocations;
  /** Whether the scan includes them (the c2m.leakScan.requestHistory setting). */
  includeRequestHistory(): boolean;
  /** A modal confirmation (scripted in tests). */
  confirm(message: string, detail: string, ...choices: string[]): Promise<string | undefined>;
  /** The clock findings are judged by (default: Date.now). */
  now?: () => number;
}

/** The longest delay setTimeout takes (about 24.8 days); a later expiry is checked again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class LeakView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly progressed = new vscode.EventEmitter<LeakScanResult>();
  /** After every batch of a running scan (the in-host tests act mid-scan on it). */
  readonly onDidProgress = this.progressed.event;
  private readonly view: vscode.TreeView<Node>;
  private last: LeakScanResult | undefined;
  /** The running scans (workspace, git history): Cancel aborts them. */
  private readonly running = new Map<AbortController, 'workspace' | 'history'>();
  private refreshPending: ReturnType<typeof setTimeout> | undefined;
  /**
   * The finding nodes this view handed to VS Code. The item actions act only on one of these: any extension can run
   * c2m.leak.* with a finding it made up, for a file it wrote. A node proves no click either: VS Code hands the same
   * object to any command the workbench runs with the item's handle (another extension's menu item on this view,
   * `runCommands`, a command link), so Replace and Revoke ask in a modal before they fetch or revoke a token.
   */
  private readonly handedOut = new WeakSet<object>();
  limits: LeakScanLimits = DEFAULT_LIMITS;

  /** Re-judge the findings: the tokens changed (revoked, rotated, refreshed), or the view is shown again. */
  private readonly subscriptions: vscode.Disposable[] = [];
  /** When the next finding shown as working reaches its expiry: it is judged again then. */
  private expiryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly now: () => number;

  constructor(private readonly deps: LeakViewDeps) {
    this.view = vscode.window.createTreeView(LEAK_VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
    this.now = deps.now ?? Date.now;
    this.subscriptions.push(
      deps.tokens.onDidChange(() => this.rejudge()),
      this.view.onDidChangeVisibility((e) => {
        if (e.visible) this.rejudge();
      }),
    );
  }

  /**
   * A finding's status is what is known of its token now, not at scan time: a token revoked, rotated away or expired
   * since shows so at once, without a new scan. What was found (file, place, fingerprint) stays as scanned.
   */
  private rejudge(): void {
    // Redrawn even when no status changed: whether Revoke is offered (the engine still holds the token) and the
    // profile's name may have changed with the tokens.
    if (this.judgeAgain()) this.refreshSoon();
  }

  /**
   * Every finding judged again (findingState.ts: revocation stays final, a short-term token dies with the long-term
   * token it came from), and the timer set for the next expiry; false when there is no finding.
   */
  private judgeAgain(): boolean {
    const r = this.last;
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
    const findings = r ? [...r.findings, ...(r.history?.findings ?? []), ...(r.elsewhere?.findings ?? [])] : [];
    if (findings.length === 0) return false;
    const now = this.now();
    const { nextChangeAt } = redecide(findings, this.deps.known(), now);
    if (nextChangeAt !== undefined)
      this.expiryTimer = setTimeout(
        () => {
          this.expiryTimer = undefined;
          this.rejudge();
        },
        Math.min(nextChangeAt - now + 1, MAX_TIMER_MS),
      );
    return true;
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
    return typeof arg === 'object' && arg !== null && this.handedOut.has(arg) && 'finding' in arg
      ? (arg.finding as LeakFinding)
      : undefined;
  }

  /** Scans the workspace and shows the findings as they come (progress in the view, which `reveal` opens first). */
  async scan(options: { reveal?: boolean } = {}): Promise<LeakScanResult> {
    if (options.reveal) await vscode.commands.executeCommand(`${LEAK_VIEW_ID}.focus`);
    // A new workspace scan replaces one still running (a history scan goes on).
    for (const [c, kind] of this.running) if (kind === 'workspace') c.abort();
    const controller = this.start('workspace');
    const result = emptyResult(this.now());
    // The git history (found before, or still being searched) stays: a workspace scan does not search it again.
    if (this.last?.history) result.history = this.last.history;
    this.last = result;
    this.changed.fire(undefined);
    try {
      await vscode.window.withProgress(
        {
          location: { viewId: LEAK_VIEW_ID },
          title: vscode.l10n.t('Scanning the workspace for tokens'),
          cancellable: false,
        },
        async () => {
          await scanWorkspace(
            { known: () => this.deps.known(), scanFiles: (p) => this.deps.scanFiles(p), now: this.now },
            this.limits,
            {
              signal: controller.signal,
              onProgress: () => this.showProgress(),
            },
            result,
          );
          if (this.deps.includeRequestHistory() && !controller.signal.aborted)
            result.elsewhere = await this.scanElsewhere();
        },
      );
    } finally {
      result.running = false;
      this.stop(controller);
    }
    const files = new Set(result.findings.map((f) => f.uri)).size;
    const searched = vscode.l10n.t(
      '{0} ({1}) searched',
      counted(result.filesSearched, 'file'),
      sizeText(result.bytesSearched),
    );
    const elsewhere = result.elsewhere?.findings.length
      ? ` ${vscode.l10n.t('{0} in request history outside the workspace.', counted(result.elsewhere.findings.length, 'token'))}`
      : '';
    const found = vscode.l10n.t('{0} in {1}', counted(result.findings.length, 'token'), counted(files, 'file'));
    this.view.message =
      (result.cancelled
        ? vscode.l10n.t('Cancelled: {0} so far; {1}.', found, searched)
        : result.findings.length === 0
          ? vscode.l10n.t('No tokens found; {0}.', searched)
          : result.truncated
            ? vscode.l10n.t('{0}; {1} (limit reached: not everything was searched).', found, searched)
            : vscode.l10n.t('{0}; {1}.', found, searched)) + elsewhere;
    this.deps.log.info(
      `leak scan: ${result.findings.length} finding(s) in ${files} file(s), ${result.filesSearched} searched (${result.bytesSearched} bytes), ${result.skippedCount} skipped${result.truncated ? ', truncated' : ''}${result.cancelled ? ', cancelled' : ''}${result.elsewhere ? `, ${result.elsewhere.findings.length} in request history` : ''}`,
    );
    this.refreshNow();
    return result;
  }

  /** Scans the git history of every workspace folder's repository (`git log -p --all`), findings as they come. */
  async scanHistory(options: { reveal?: boolean } = {}): Promise<LeakScanResult> {
    if (options.reveal) await vscode.commands.executeCommand(`${LEAK_VIEW_ID}.focus`);
    // The history has its own group beside what a workspace scan found (or is finding); none needs to run first.
    const result = this.last ?? (this.last = { ...emptyResult(this.now()), running: false });
    for (const [c, kind] of this.running) if (kind === 'history') c.abort();
    const controller = this.start('history');
    const history = {
      findings: [] as LeakFinding[],
      commits: 0,
      truncated: false,
      cancelled: false,
      running: true,
    } as NonNullable<LeakScanResult['history']>;
    result.history = history;
    const toLeak = (root: string, f: HistoryFinding, known: readonly TokenInfo[]): LeakFinding => ({
      uri: pathToFileURL(path.join(root, f.path)).toString(),
      range: { start: { line: f.line, character: f.character }, end: { line: f.line, character: f.endCharacter } },
      shape: f.shape,
      fingerprint: f.fingerprint,
      ...(f.tokenId !== undefined ? { tokenId: f.tokenId } : {}),
      ...(f.expiresAt !== undefined ? { expiresAt: f.expiresAt } : {}),
      ...statusOf(f, known, this.now()),
      origin: { kind: 'git', commit: f.commit, path: f.path },
    });
    try {
      await vscode.window.withProgress(
        {
          location: { viewId: LEAK_VIEW_ID },
          title: vscode.l10n.t('Scanning the git history for tokens'),
          cancellable: false,
        },
        async () => {
          for (const folder of (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file')) {
            if (controller.signal.aborted) break;
            const root = folder.uri.fsPath;
            const commitsBefore = history.commits;
            const scanned = await scanGitHistory(root, {
              ctx: workspaceGitContext(),
              maxFindings: this.limits.maxFindings - history.findings.length,
              signal: controller.signal,
              onFindings: (found, progress) => {
                // What is known now: the tokens may have changed since the scan started.
                const known = this.deps.known();
                history.findings.push(...found.map((f) => toLeak(root, f, known)));
                history.commits = commitsBefore + progress.commits;
                this.view.message = vscode.l10n.t(
                  'Scanning the git history: {0} searched ({1}); {2} found so far.',
                  counted(history.commits, 'commit'),
                  sizeText(progress.bytes),
                  counted(history.findings.length, 'token'),
                );
                this.refreshSoon();
                this.progressed.fire(result);
              },
            });
            history.commits = commitsBefore + scanned.commits;
            history.truncated ||= scanned.truncated;
            if (scanned.unavailable) history.unavailable = scanned.unavailable;
          }
        },
      );
    } finally {
      history.cancelled = controller.signal.aborted;
      history.running = false;
      this.stop(controller);
    }
    this.view.message =
      history.unavailable && history.commits === 0
        ? vscode.l10n.t('No git history searched: {0}.', history.unavailable)
        : history.cancelled
          ? vscode.l10n.t(
              'Git history scan cancelled: {0} found so far; {1} searched.',
              counted(history.findings.length, 'token'),
              counted(history.commits, 'commit'),
            )
          : vscode.l10n.t(
              'Git history: {0}; {1} searched.',
              history.findings.length === 0
                ? vscode.l10n.t('no tokens found')
                : vscode.l10n.t(
                    '{0} found in {1}',
                    counted(history.findings.length, 'token'),
                    counted(
                      new Set(history.findings.map((f) => f.origin?.kind === 'git' && f.origin.commit)).size,
                      'commit',
                    ),
                  ),
              counted(history.commits, 'commit'),
            );
    this.deps.log.info(
      `leak scan: git history: ${history.findings.length} finding(s) in ${history.commits} commit(s)${history.cancelled ? ', cancelled' : ''}${history.unavailable ? `, ${history.unavailable}` : ''}`,
    );
    this.refreshNow();
    return result;
  }

  /** Stops the running scans (what they found so far stays in the view). */
  cancelScans(): boolean {
    const any = this.running.size > 0;
    for (const c of this.running.keys()) c.abort();
    return any;
  }

  /**
   * Removes, after a modal confirmation, the request-history entries (REST Client, Local History) that hold a token
   * of ours or one that may still work; nothing else. Then searches them again.
   */
  async clearRequestHistory(): Promise<number> {
    const findings = (this.last?.elsewhere?.findings ?? []).filter(isLiveOrKnown);
    if (findings.length === 0) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t(
          'C2M: no request history entry holds a live or known token (scan with c2m.leakScan.requestHistory on first).',
        ),
      );
      return 0;
    }
    const fingerprints = new Set(findings.map((f) => f.fingerprint));
    const entries = new Set(
      findings.map((f) => (f.origin && f.origin.kind !== 'git' ? `${f.origin.file}#${f.origin.entry}` : '')),
    );
    const locations = this.deps.sourceLocations();
    const remove = vscode.l10n.t('Remove');
    const answer = await this.deps.confirm(
      vscode.l10n.t('Remove {0} of request history holding a C2M token?', counted(entries.size, 'entry')),
      vscode.l10n.t(
        'The REST Client history entries ({0}) and the Local History copies ({1}) that hold a live or known token are deleted. Every other entry stays.',
        locations.restClientHistory,
        locations.localHistory,
      ),
      remove,
    );
    if (answer !== remove) return 0;
    const has = (fingerprint: string): boolean => fingerprints.has(fingerprint);
    const removed =
      (await clearRestClientHistory(locations.restClientHistory, has)) +
      (await clearLocalHistory(locations.localHistory, has));
    this.deps.log.info(`leak scan: removed ${removed} request history entr(ies) holding a token`);
    if (this.last) this.last.elsewhere = await this.scanElsewhere();
    this.refreshNow();
    return removed;
  }

  /**
   * Whether Revoke can act on the finding: only a token the engine holds now (and that is still live). A token of ours
   * that a refresh or rotation replaced is recognised by fingerprint, but its value is gone, so it cannot be revoked
   * from here; it runs out by itself (short-term) or was revoked with the rotation (long-term).
   */
  revocable(finding: LeakFinding): boolean {
    return this.deps.tokens
      .tokens()
      .some((t) => t.fingerprint === finding.fingerprint && (t.status === 'valid' || t.status === 'expiring'));
  }

  async revoke(arg: unknown): Promise<boolean> {
    const finding = this.findingOf(arg);
    if (!finding) return false;
    if (!this.revocable(finding)) {
      // Said first: a notification without buttons shows one line.
      const message =
        finding.expiresAt !== undefined
          ? vscode.l10n.t(
              'C2M: cannot revoke this token: it was already replaced (refreshed, rotated or revoked) and is no longer held here. Replace it in the file with a fresh token. It expires by itself at {0}.',
              new Date(finding.expiresAt).toLocaleString(),
            )
          : vscode.l10n.t(
              'C2M: cannot revoke this token: it was already replaced (refreshed, rotated or revoked) and is no longer held here. Replace it in the file with a fresh token.',
            );
      void vscode.window.showInformationMessage(message);
      return false;
    }
    const long = finding.kind === 'long' || finding.status === 'long-term';
    const revoke = vscode.l10n.t('Revoke');
    const answer = await this.deps.confirm(
      long
        ? vscode.l10n.t(
            'Revoke the long-term token {0} of "{1}"?',
            maskTokenId(finding.tokenId ?? ''),
            this.profileName(finding.profileId),
          )
        : vscode.l10n.t(
            'Revoke the short-term token {0} of "{1}"?',
            maskTokenId(finding.tokenId ?? ''),
            this.profileName(finding.profileId),
          ),
      long
        ? vscode.l10n.t(
            'Its short-term tokens stop working too, and so does every request, .env file, terminal or extension using one. To get tokens again you issue a new long-term token.',
          )
        : vscode.l10n.t('A new one is issued on next use.'),
      revoke,
    );
    if (answer !== revoke) {
      this.deps.log.info(`leak scan: revoke not confirmed, nothing was revoked (${relativeOf(finding.uri)})`);
      return false;
    }
    await this.deps.tokens.revokeByFingerprint(finding.fingerprint);
    await this.scan();
    return true;
  }

  /** Replace with a fresh short-term token (of the profile that owns it, else the active one). */
  async replace(arg: unknown): Promise<boolean> {
    return this.editThenRescan(
      arg,
      async (f) => {
        await this.deps.edit(ClientCommands.replaceToken, { uri: f.uri, range: f.range, fingerprint: f.fingerprint });
      },
      async (f) => {
        const replace = vscode.l10n.t('Replace');
        const answer = await this.deps.confirm(
          vscode.l10n.t(
            'Replace the token on line {0} of {1} with a fresh short-term token of "{2}"?',
            f.range.start.line + 1,
            relativeOf(f.uri),
            this.profileName(f.profileId),
          ),
          vscode.l10n.t('The fresh token is fetched now and written into the file in place of the old one.'),
          replace,
        );
        if (answer === replace) return true;
        this.deps.log.info(`leak scan: replace not confirmed, nothing was replaced (${relativeOf(f.uri)})`);
        return false;
      },
    );
  }

  /** Move the literal into the sibling .env and leave `{{$dotenv C2M_ACCESS_TOKEN}}` in its place. */
  async moveToEnv(arg: unknown): Promise<boolean> {
    return this.editThenRescan(arg, async (f) => {
      await this.deps.envWriter.moveToEnv(vscode.Uri.parse(f.uri), rangeOf(f), f.fingerprint);
    });
  }

  /** The name of the profile a token goes to: its owner's, else the active profile's (what Replace uses). */
  private profileName(profileId: string | undefined): string {
    const profiles = this.deps.tokens.profiles();
    const p = profiles.find((x) => x.id === profileId) ?? profiles.find((x) => x.active);
    return p?.name ?? profileId ?? vscode.l10n.t('the active profile');
  }

  getTreeItem(node: Node): vscode.TreeItem {
    return leakTreeItem(node, {
      profileName: (id) => this.deps.tokens.profiles().find((p) => p.id === id)?.name,
      revocable: (f) => this.revocable(f),
    });
  }

  getChildren(node?: Node): Node[] {
    return leakChildren(node, this.last, (finding) => this.nodeFor(finding));
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.cancelScans();
    if (this.refreshPending) clearTimeout(this.refreshPending);
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.view.dispose();
    this.changed.dispose();
    this.progressed.dispose();
  }

  private start(kind: 'workspace' | 'history'): AbortController {
    const controller = new AbortController();
    this.running.set(controller, kind);
    void vscode.commands.executeCommand('setContext', 'c2m.leakScanRunning', true);
    return controller;
  }

  private stop(controller: AbortController): void {
    this.running.delete(controller);
    if (this.running.size === 0) void vscode.commands.executeCommand('setContext', 'c2m.leakScanRunning', false);
  }

  private showProgress(): void {
    const r = this.last;
    if (!r) return;
    this.view.message = vscode.l10n.t(
      'Scanning: {0} ({1}) searched; {2} found so far.',
      counted(r.filesSearched, 'file'),
      sizeText(r.bytesSearched),
      counted(r.findings.length, 'token'),
    );
    this.refreshSoon();
    this.progressed.fire(r);
  }

  /**
   * What the view shows now, as VS Code draws it: its message, its top-level rows, and the finding rows of the
   * workspace's files (label, description, context value).
   */
  snapshot(): {
    message: string | undefined;
    rows: { label: string; description: string }[];
    findings: { uri: string; label: string; description: string; contextValue: string }[];
  } {
    const text = (v: string | boolean | vscode.TreeItemLabel | undefined): string =>
      typeof v === 'string' ? v : typeof v === 'object' ? v.label : '';
    const top = this.getChildren();
    const rows = top.map((node) => {
      const item = this.getTreeItem(node);
      return { label: text(item.label), description: text(item.description) };
    });
    const findings = top
      .filter((node) => node.type === 'file')
      .flatMap((node) =>
        this.getChildren(node).map((child) => {
          const item = this.getTreeItem(child);
          return {
            uri: node.uri,
            label: text(item.label),
            description: text(item.description),
            contextValue: item.contextValue ?? '',
          };
        }),
      );
    return { message: typeof this.view.message === 'string' ? this.view.message : undefined, rows, findings };
  }

  /** Redraws the tree at most every 200 ms while a scan runs (a batch can arrive every few milliseconds). */
  private refreshSoon(): void {
    this.refreshPending ??= setTimeout(() => {
      this.refreshPending = undefined;
      this.changed.fire(undefined);
    }, 200);
  }

  private refreshNow(): void {
    if (this.refreshPending) clearTimeout(this.refreshPending);
    this.refreshPending = undefined;
    // What changed between a batch and the scan's end, and the timer for the next expiry.
    this.judgeAgain();
    void vscode.commands.executeCommand(
      'setContext',
      'c2m.leakElsewhereFound',
      (this.last?.elsewhere?.findings.length ?? 0) > 0,
    );
    this.changed.fire(undefined);
  }

  /** REST Client's history and the Local History of request files, with a status for each finding. */
  private async scanElsewhere(): Promise<NonNullable<LeakScanResult['elsewhere']>> {
    const locations = this.deps.sourceLocations();
    const known = this.deps.known();
    const toLeak = (f: ElsewhereFinding): LeakFinding => {
      const { source, file, entry, about, ...finding } = f;
      return { ...finding, ...statusOf(f, known, this.now()), origin: { kind: source, file, entry, about } };
    };
    const restClient = await scanRestClientHistory(locations.restClientHistory, this.limits.maxFindings);
    const local = await scanLocalHistory(locations.localHistory, this.limits.maxFindings - restClient.length);
    return {
      findings: [...restClient, ...local].map(toLeak),
      restClientHistory: locations.restClientHistory,
      localHistory: locations.localHistory,
    };
  }

  /** `confirmed`: asked before the edit (an edit that fetches a token); false leaves everything as it is. */
  private async editThenRescan(
    arg: unknown,
    edit: (f: LeakFinding) => Promise<void>,
    confirmed?: (f: LeakFinding) => Promise<boolean>,
  ): Promise<boolean> {
    const finding = this.findingOf(arg);
    if (!finding || finding.origin) return false;
    if (!this.deps.isTrusted()) {
      void vscode.window.showWarningMessage(
        vscode.l10n.t('C2M: tokens are not written into files in Restricted Mode. Trust this workspace to use it.'),
      );
      return false;
    }
    // Asked again after the question: the user may answer long after it was put.
    const inWorkspace = (): Promise<boolean> => editsInWorkspace(finding.uri, (line) => this.deps.log.info(line));
    if (!(await inWorkspace())) return false;
    if (confirmed && !(await confirmed(finding))) return false;
    if (confirmed && !(await inWorkspace())) return false;
    const open = (): vscode.TextDocument | undefined =>
      vscode.workspace.textDocuments.find((d) => d.uri.toString() === finding.uri);
    const hadUnsavedEdits = open()?.isDirty ?? false;
    await edit(finding);
    // The scan reads files from disk: save what the edit changed, but never the user's own unsaved edits with it
    // (then the file stays dirty, and the next scan shows what is on disk until the user saves).
    const doc = open();
    if (doc?.isDirty && !hadUnsavedEdits) await doc.save();
    else if (hadUnsavedEdits)
      this.deps.log.info(`leak scan: ${relativeOf(finding.uri)} had unsaved changes: edited, not saved`);
    await this.scan();
    return true;
  }
}
