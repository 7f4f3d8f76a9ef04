// The Leak Scan view's rows: how a file, a group, a place in a history and a finding are drawn (icon and colour by
// the token's status, the profile it belongs to, the actions its context value offers), and how findings group into
// the tree. Pure drawing: the view (leakView.ts) owns the scan result, the nodes it handed out and the actions.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LeakFinding, LeakScanResult, LeakStatus } from '../leakScan';
import { counted } from '../../ui/countText';
import { maskTokenId } from '../../ui/viewFormat';

export type LeakGroup = 'git' | 'restClient' | 'localHistory';

export type LeakNode =
  | { type: 'file'; uri: string; findings: LeakFinding[] }
  | { type: 'group'; group: LeakGroup; findings: LeakFinding[] }
  /** A commit and path of the git history, or a file of Local History. */
  | { type: 'place'; group: LeakGroup; key: string; label: string; findings: LeakFinding[] }
  | { type: 'finding'; finding: LeakFinding };

const LOOK: Record<LeakStatus, { icon: string; color: string; text: () => string }> = {
  active: { icon: 'key', color: 'charts.green', text: () => vscode.l10n.t('active') },
  expired: { icon: 'history', color: 'disabledForeground', text: () => vscode.l10n.t('expired') },
  revoked: { icon: 'circle-slash', color: 'charts.red', text: () => vscode.l10n.t('revoked') },
  'long-term': { icon: 'warning', color: 'charts.orange', text: () => vscode.l10n.t('long-term') },
  // Unknown is what this window can say, not a verdict: a token revoked or rotated away in an earlier session is only
  // known while the engine keeps its record (until a newer token takes its slot), one issued elsewhere never.
  unknown: { icon: 'question', color: 'charts.yellow', text: () => vscode.l10n.t('not known in this window') },
};

const GROUP_LABEL: Record<LeakGroup, () => string> = {
  git: () => vscode.l10n.t('Git history'),
  restClient: () => vscode.l10n.t('REST Client history'),
  localHistory: () => vscode.l10n.t('Local History'),
};

/** A file's path relative to its workspace folder (the whole path outside one). */
export function relativeOf(uri: string): string {
  const parsed = vscode.Uri.parse(uri);
  const folder = vscode.workspace.getWorkspaceFolder(parsed);
  return folder ? path.relative(folder.uri.fsPath, parsed.fsPath) : parsed.fsPath;
}

export function rangeOf(f: LeakFinding): vscode.Range {
  return new vscode.Range(f.range.start.line, f.range.start.character, f.range.end.line, f.range.end.character);
}

/** What a finding row needs from the view: its profile's name and whether Revoke can act on its token now. */
export interface LeakRowContext {
  profileName(profileId: string): string | undefined;
  revocable(finding: LeakFinding): boolean;
}

/** The row VS Code draws for a node: a file, a group (git, REST Client, Local History), a place in one, or a finding. */
export function leakTreeItem(node: LeakNode, context: LeakRowContext): vscode.TreeItem {
  if (node.type === 'group') {
    const item = new vscode.TreeItem(GROUP_LABEL[node.group](), vscode.TreeItemCollapsibleState.Expanded);
    item.description = counted(node.findings.length, 'token');
    item.iconPath = new vscode.ThemeIcon(node.group === 'git' ? 'git-commit' : 'history');
    item.contextValue = `c2m.leakGroup.${node.group}`;
    item.id = `group:${node.group}`;
    return item;
  }
  if (node.type === 'place') {
    const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
    item.description = counted(node.findings.length, 'token');
    item.contextValue = `c2m.leakPlace.${node.group}`;
    item.id = `place:${node.group}:${node.key}`;
    return item;
  }
  if (node.type === 'file') {
    const item = new vscode.TreeItem(relativeOf(node.uri), vscode.TreeItemCollapsibleState.Expanded);
    item.resourceUri = vscode.Uri.parse(node.uri);
    item.description = counted(node.findings.length, 'token');
    item.contextValue = 'c2m.leakFile';
    item.id = `file:${node.uri}`;
    return item;
  }
  const f = node.finding;
  const what =
    f.kind === 'long' || (!f.kind && f.shape === 'longTerm')
      ? vscode.l10n.t('long-term token')
      : f.kind === 'short'
        ? vscode.l10n.t('short-term token')
        : 'JWT';
  const item = new vscode.TreeItem(
    vscode.l10n.t('Ln {0}: {1}', f.range.start.line + 1, `${what}${f.tokenId ? ` ${maskTokenId(f.tokenId)}` : ''}`),
  );
  const look = LOOK[f.status];
  const text = look.text();
  const profile = f.profileId ? (context.profileName(f.profileId) ?? f.profileId) : undefined;
  item.description = profile ? `${text} · ${profile}` : text;
  item.iconPath = new vscode.ThemeIcon(look.icon, new vscode.ThemeColor(look.color));
  item.tooltip =
    `${profile ? vscode.l10n.t('{0} (profile {1})', text, profile) : text} · ${vscode.l10n.t('fingerprint {0}', f.fingerprint)}` +
    `${f.expiresAt !== undefined ? ` · ${vscode.l10n.t('exp {0} (unverified)', new Date(f.expiresAt).toISOString())}` : ''}` +
    (f.status === 'unknown'
      ? `\n${vscode.l10n.t('This window neither holds nor saw this token, so whether it still works is not known. A token revoked or rotated away in an earlier session is known only until a newer token takes its place; one issued elsewhere is never known.')}`
      : '');
  // `.ours` (Revoke offered) only for a token the engine holds now; one it replaced is `.past`.
  const owner = f.profileId ? (context.revocable(f) ? '.ours' : '.past') : '';
  // Outside the workspace's files only Revoke is offered: Replace and Move to .env edit a workspace file.
  item.contextValue = `c2m.leak${f.origin ? 'Elsewhere' : ''}.${f.status === 'long-term' ? 'longTerm' : f.status}${owner}`;
  const origin = f.origin;
  if (origin?.kind === 'restClient')
    item.label = vscode.l10n.t(
      'Entry {0}: {1}',
      Number(origin.entry) + 1,
      `${what}${f.tokenId ? ` ${maskTokenId(f.tokenId)}` : ''}`,
    );
  if (origin && origin.kind !== 'git') item.tooltip = `${origin.about} · ${String(item.tooltip)}`;
  item.id = `finding:${origin?.kind === 'git' ? `${origin.commit}:` : ''}${f.uri}:${origin && origin.kind !== 'git' ? `${origin.entry}:` : ''}${f.range.start.line}:${f.range.start.character}`;
  if (!origin)
    item.command = {
      command: 'vscode.open',
      title: vscode.l10n.t('Open'),
      arguments: [vscode.Uri.parse(f.uri), { selection: rangeOf(f) }],
    };
  else if (origin.kind === 'localHistory')
    item.command = {
      command: 'vscode.open',
      title: vscode.l10n.t('Open'),
      arguments: [vscode.Uri.file(origin.file), { selection: rangeOf(f) }],
    };
  return item;
}

/**
 * The children of a node, or the top-level rows for none: one per workspace file with findings, then the git
 * history and the request histories as groups. `nodeFor` makes the finding nodes (the view knows the ones it handed out).
 */
export function leakChildren(
  node: LeakNode | undefined,
  last: LeakScanResult | undefined,
  nodeFor: (finding: LeakFinding) => LeakNode,
): LeakNode[] {
  if (node?.type === 'finding') return [];
  if (node?.type === 'file' || (node?.type === 'group' && node.group === 'restClient') || node?.type === 'place') {
    return node.findings.map((finding) => nodeFor(finding));
  }
  if (node?.type === 'group') {
    // Git: one node per commit and path; Local History: one per file it keeps copies of.
    const places = new Map<string, { label: string; findings: LeakFinding[] }>();
    for (const f of node.findings) {
      const o = f.origin;
      if (!o) continue;
      const key = o.kind === 'git' ? `${o.commit}:${o.path}` : o.about;
      const label = o.kind === 'git' ? `${o.commit.slice(0, 8)} · ${o.path}` : relativeOf(o.about);
      const place = places.get(key) ?? { label, findings: [] };
      place.findings.push(f);
      places.set(key, place);
    }
    return [...places].map(([key, p]) => ({
      type: 'place',
      group: node.group,
      key,
      label: p.label,
      findings: p.findings,
    }));
  }
  const groups = new Map<string, LeakFinding[]>();
  for (const f of last?.findings ?? []) groups.set(f.uri, [...(groups.get(f.uri) ?? []), f]);
  const nodes: LeakNode[] = [...groups].map(([uri, findings]) => ({ type: 'file', uri, findings }));
  const history = last?.history?.findings ?? [];
  if (history.length > 0) nodes.push({ type: 'group', group: 'git', findings: history });
  for (const group of ['restClient', 'localHistory'] as const) {
    const found = (last?.elsewhere?.findings ?? []).filter((f) => f.origin?.kind === group);
    if (found.length > 0) nodes.push({ type: 'group', group, findings: found });
  }
  return nodes;
}
