// Commands of the editor-wide features: .env sync, the workspace leak scan and its item actions.
// Part of the command table (table.ts), so the package.json check covers them too.
import type { EnvSync } from '../integrations/envSync';
import type { LeakView } from '../integrations/leakView';
import type { Notifier } from '../ui/notifications';
import type { TerminalEnv } from '../integrations/terminalEnv';
import { errorText } from '../host/errorText';
import { l10n } from '../host/l10n';

export const FEATURE_COMMAND_IDS = [
  'c2m.syncEnv',
  'c2m.scanWorkspace',
  'c2m.scanGitHistory',
  'c2m.leak.cancelScan',
  'c2m.leak.clearRequestHistory',
  'c2m.leak.revoke',
  'c2m.leak.replace',
  'c2m.leak.moveToEnv',
] as const;

export type FeatureCommandId = (typeof FEATURE_COMMAND_IDS)[number];

export interface FeatureServices {
  envSync: EnvSync;
  leaks: LeakView;
  terminalEnv: TerminalEnv;
}

export function createFeatureCommands(s: FeatureServices & { notifier: Notifier }): Record<FeatureCommandId, (...args: unknown[]) => Promise<unknown>> {
  /** Failures become a notification; the handler resolves to undefined instead of throwing at the user. */
  const guarded = async <T>(failed: (reason: string) => string, run: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await run();
    } catch (error) {
      s.notifier.error(failed(errorText(error)));
      return undefined;
    }
  };
  return {
    'c2m.syncEnv': () => guarded((r) => l10n.t('C2M: syncing .env failed: {0}', r), () => s.envSync.syncAndReport()),
    'c2m.scanWorkspace': () => guarded((r) => l10n.t('C2M: the workspace scan failed: {0}', r), () => s.leaks.scan({ reveal: true })),
    'c2m.scanGitHistory': () => guarded((r) => l10n.t('C2M: the git history scan failed: {0}', r), () => s.leaks.scanHistory({ reveal: true })),
    'c2m.leak.cancelScan': () => Promise.resolve(s.leaks.cancelScans()),
    'c2m.leak.clearRequestHistory': () => guarded((r) => l10n.t('C2M: clearing the request history failed: {0}', r), () => s.leaks.clearRequestHistory()),
    'c2m.leak.revoke': (arg) => guarded((r) => l10n.t('C2M: revoking the token failed: {0}', r), () => s.leaks.revoke(arg)),
    'c2m.leak.replace': (arg) => guarded((r) => l10n.t('C2M: replacing the token failed: {0}', r), () => s.leaks.replace(arg)),
    'c2m.leak.moveToEnv': (arg) => guarded((r) => l10n.t('C2M: moving the token to .env failed: {0}', r), () => s.leaks.moveToEnv(arg)),
  };
}
