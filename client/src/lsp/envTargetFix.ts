// The quick fix for a synced .env that REST Client does not read for a request (another env file shadows it): point
// the .env sync's target at the file REST Client reads. It changes the workspace's c2m.envSync.targets (the entry that
// wrote the variable into the shadowed file, or the default one), after the user says so in a modal dialog; the sync
// then asks once more before it writes a token where the workspace's settings say, as for any workspace target.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ClientCommands } from '@shared/protocol/clientCommands';
import type { envSyncTargets, Keys } from '../host/config';
import type { Handler } from './boundCommands';

/** The setting this fix writes (typed against host/config's key, which this bundle does not carry a copy of). */
const TARGETS_KEY: (typeof Keys)['envSyncTargets'] = 'envSync.targets';

export interface SyncEnvThereDeps {
  log(line: string): void;
  isTrusted(): boolean;
  confirm(message: string, detail: string, ...choices: string[]): Promise<string | undefined>;
  /** The .env sync's targets as the sync reads them (host/config.ts). */
  envSyncTargets: typeof envSyncTargets;
}

function isInside(folder: string, file: string): boolean {
  const rel = path.relative(folder, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

export function syncEnvThereCommand(deps: SyncEnvThereDeps): Handler {
  return async (raw) => {
    const args = raw as ClientCommands.SyncEnvThereArgs;
    const say = (text: string): void => {
      deps.log(text);
      void vscode.window.showInformationMessage(text);
    };
    if (!deps.isTrusted())
      return say(
        vscode.l10n.t('C2M: the .env sync target is not changed in Restricted Mode. Trust this workspace to use it.'),
      );
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder || folder.uri.scheme !== 'file')
      return say(vscode.l10n.t('C2M: no workspace folder is open; the .env sync target was not changed.'));
    const from = vscode.Uri.parse(args.from).fsPath;
    const to = vscode.Uri.parse(args.to).fsPath;
    const base = path.basename(to);
    if (!isInside(folder.uri.fsPath, to) || !(base === '.env' || base.startsWith('.env.'))) {
      return say(
        vscode.l10n.t(
          'C2M: {0} is not an env file in this workspace folder; the .env sync target was not changed.',
          args.to,
        ),
      );
    }
    const rel = path.relative(folder.uri.fsPath, to).split(path.sep).join('/');
    const fromLabel = vscode.workspace.asRelativePath(from);
    const syncThere = vscode.l10n.t('Sync there');
    const answer = await deps.confirm(
      vscode.l10n.t('Sync {0} to {1} instead of {2}?', args.variable, rel, fromLabel),
      vscode.l10n.t(
        'REST Client reads {0} for this request from {1}, so the token the .env sync writes into {2} is not the one sent. The workspace setting c2m.envSync.targets is changed to write {1} instead; the sync asks once more before it writes there.',
        `{{$dotenv ${args.variable}}}`,
        rel,
        fromLabel,
      ),
      syncThere,
    );
    if (answer !== syncThere) return deps.log('sync target fix: not confirmed, nothing was changed');
    const targets = deps.envSyncTargets();
    let moved = false;
    const next = targets.map(({ file, variable, profile }) => {
      if (variable === args.variable && path.resolve(folder.uri.fsPath, file) === path.resolve(from)) {
        moved = true;
        return { file: rel, variable, ...(profile ? { profile } : {}) };
      }
      return { file, variable, ...(profile ? { profile } : {}) };
    });
    if (!moved)
      return say(
        vscode.l10n.t(
          'C2M: no .env sync target writes {0} into {1} any more; nothing was changed.',
          args.variable,
          fromLabel,
        ),
      );
    await vscode.workspace.getConfiguration('c2m').update(TARGETS_KEY, next, vscode.ConfigurationTarget.Workspace);
    say(vscode.l10n.t('C2M: the .env sync now writes {0} into {1}.', args.variable, rel));
  };
}
