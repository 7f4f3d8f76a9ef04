// The one way a failure of something the user started (a command, a quick fix, a lens) reaches the user: it is
// reported, as a notification, and the caller gets undefined instead of the error, so nothing is thrown at VS Code
// (which would show its own "command failed" toast with the raw message). No vscode import.
import { errorText } from '../host/errorText';
import type { Notifier } from './notifications';

/** Runs `work`; a failure goes to `report` instead of the caller, which then gets undefined. */
export async function guarded<T>(work: () => Promise<T>, report: (error: unknown) => void): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    report(error);
    return undefined;
  }
}

/**
 * The report of a failure told in one sentence around its reason (`failed(reason)`): an error notification (redacted
 * and recorded by the notifier) and, given `log`, the same line in the log.
 */
export function toldAs(
  notifier: Pick<Notifier, 'error'>,
  failed: (reason: string) => string,
  log?: (line: string) => void,
): (error: unknown) => void {
  return (error) => {
    const message = failed(errorText(error));
    log?.(message);
    notifier.error(message);
  };
}
