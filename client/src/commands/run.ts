// How a command runs a token operation: under a cancellable progress notification, with a failure shown (and
// logged) instead of thrown, and a token the server issues after a cancel still stored and said so.
import * as vscode from 'vscode';
import { CoreError } from '../core/errors';
import type { OperationControl } from '../core/operation';
import type { Profile } from '../core/profile';
import { errorText } from '../host/errorText';
import type { Services } from '../services';
import { guarded as shown } from '../ui/guarded';
import type { RunControl } from '../ui/progress';
import { lateLongTokenText, progressTitle } from '../ui/progressText';
import { maskTokenId } from '../ui/viewFormat';

/** Runs a token operation for a profile; a failure is shown (and logged), never thrown at the caller. */
export function guarded<T>(
  s: Services,
  profileId: string,
  action: string,
  run: () => Promise<T>,
): Promise<T | undefined> {
  const work = async (): Promise<T> => {
    const result = await run();
    s.state.markFailing(profileId, false);
    return result;
  };
  return shown(work, (error) => {
    const name = s.state.profile(profileId)?.profile.name ?? profileId;
    // The user cancelled: told what it did and did not stop, as information, and not counted as a failure.
    if (error instanceof CoreError && error.code === 'aborted') {
      s.log.info(`${error.message} (profile ${profileId})`);
      s.notifier.info(
        error.message.includes(`"${name}"`) ? `C2M: ${error.message}` : `C2M "${name}": ${error.message}`,
      );
      return;
    }
    s.state.markFailing(profileId, true);
    s.notifier.failure(profileId, name, action, error);
  });
}

/**
 * Runs the network part of a command under a cancellable progress notification titled with the profile's name; it
 * shows once the first request starts.
 */
export function withProgress<T>(s: Services, profile: Profile, work: (control: RunControl) => Promise<T>): Promise<T> {
  return s.progress.run(progressTitle(profile.name), work);
}

/** The control of a long-term issue or rotation: a token the server issues after a cancel is stored, and said so. */
export function telling(s: Services, profile: Profile, control: RunControl): OperationControl {
  return {
    ...control,
    onLateOutcome: (outcome) => {
      if (outcome.ok)
        s.notifier.info(lateLongTokenText(profile.name, outcome.info, maskTokenId(outcome.info?.tokenId ?? '')));
      else s.log.info(`profile ${profile.id}: after the cancel: ${errorText(outcome.error)}`);
    },
  };
}

/** A brief confirmation in the status bar (it hides itself) for actions whose only other sign is a changed countdown. */
export function done(text: string): void {
  vscode.window.setStatusBarMessage(`$(check) C2M: ${text}`, 4000);
}
