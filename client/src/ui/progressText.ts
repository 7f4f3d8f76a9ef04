// Every text of progress and busy states, in one place: the progress notification ('C2M "Team": issuing the long-term
// token… (try 2 of 3)'), the tree's busy word, and what the user hears after cancelling. Plain functions of plain
// values, so they can be translated in one go.
import type { Activity, OperationProgress, OperationStep } from '../core/operation';
import type { TokenInfo } from '../core/tokenService';

const STEP_TEXT: Record<OperationStep, string> = {
  issue_long: 'issuing the long-term token…',
  rotate_long: 'issuing the new long-term token…',
  refresh_short: 'refreshing the short-term token…',
  revoke_long: 'revoking the long-term token…',
  revoke_short: 'revoking the short-term token…',
};

const ACTIVITY_TEXT: Record<Activity, string> = {
  issuing: 'issuing…',
  refreshing: 'refreshing…',
  revoking: 'revoking…',
};

/**
 * The notification's title; VS Code shows "title: message". The name is quoted as in every other notice: unquoted,
 * "C2M Sandbox: revoking…" reads as the name of a product, not as the profile "Sandbox".
 */
export function progressTitle(profileName: string): string {
  return profileName ? `C2M "${profileName}"` : 'C2M';
}

/** Which step, and which try of how many the retry policy allows. */
export function progressMessage(progress: OperationProgress): string {
  return `${STEP_TEXT[progress.step]} (try ${progress.attempt} of ${progress.tries})`;
}

/** The busy word the tree shows on a profile while it sends something. */
export function activityText(activity: Activity): string {
  return ACTIVITY_TEXT[activity];
}

/** After a cancel, the server answered after all and the new long-term token was stored. */
export function lateLongTokenText(profileName: string, info: TokenInfo | undefined, maskedId: string): string {
  const which = info ? `the long-term token ${maskedId}` : 'a long-term token';
  return `C2M "${profileName}": the server answered after the cancel; ${which} it issued is stored.`;
}
