// Commands of the editor-wide features: .env sync, the workspace leak scan and its item actions. Listed in the
// command table (index.ts) like the others, so the package.json check covers them too.
import type { EnvSync } from '../integrations/envSync';
import type { LeakView } from '../integrations/leakView';
import type { Notifier } from '../ui/notifications';
import type { TerminalEnv } from '../integrations/terminalEnv';
import { l10n } from '../host/l10n';
import { guarded as shown, toldAs } from '../ui/guarded';
import type { Handler } from './types';

export interface FeatureServices {
  envSync: EnvSync;
  leaks: LeakView;
  terminalEnv: TerminalEnv;
}

type Feature = FeatureServices & { notifier: Notifier };

/** Failures become a notification; the handler resolves to undefined instead of throwing at the user. */
function guarded<T>(s: Feature, failed: (reason: string) => string, run: () => Promise<T>): Promise<T | undefined> {
  return shown(run, toldAs(s.notifier, failed));
}

export function syncEnv(s: Feature): Handler {
  return () =>
    guarded(
      s,
      (r) => l10n.t('C2M: syncing .env failed: {0}', r),
      () => s.envSync.syncAndReport(),
    );
}

export function scanWorkspace(s: Feature): Handler {
  return () =>
    guarded(
      s,
      (r) => l10n.t('C2M: the workspace scan failed: {0}', r),
      () => s.leaks.scan({ reveal: true }),
    );
}

export function revokeLeak(s: Feature): Handler {
  return (arg) =>
    guarded(
      s,
      (r) => l10n.t('C2M: revoking the token failed: {0}', r),
      () => s.leaks.revoke(arg),
    );
}

export function replaceLeak(s: Feature): Handler {
  return (arg) =>
    guarded(
      s,
      (r) => l10n.t('C2M: replacing the token failed: {0}', r),
      () => s.leaks.replace(arg),
    );
}

export function moveLeakToEnv(s: Feature): Handler {
  return (arg) =>
    guarded(
      s,
      (r) => l10n.t('C2M: moving the token to .env failed: {0}', r),
      () => s.leaks.moveToEnv(arg),
    );
}

export function scanGitHistory(s: Feature): Handler {
  return () =>
    guarded(
      s,
      (r) => l10n.t('C2M: the git history scan failed: {0}', r),
      () => s.leaks.scanHistory({ reveal: true }),
    );
}

export function cancelScan(s: Feature): Handler {
  return () => Promise.resolve(s.leaks.cancelScans());
}

export function clearRequestHistory(s: Feature): Handler {
  return () =>
    guarded(
      s,
      (r) => l10n.t('C2M: clearing the request history failed: {0}', r),
      () => s.leaks.clearRequestHistory(),
    );
}
