// Turns failures into notifications the user can act on: a rejected long-term token offers re-issue, a rate limit
// says when to retry, a network failure offers retry. Every text is redacted (C2mApiError messages already are).
// Shown notices are also recorded, so the integration tests can check what the user was told.
import * as vscode from 'vscode';
import { isC2mApiError } from '../api/errors';
import { CoreError, type FailureAction } from '../core/errors';
import { redact } from '../api/redact';
import { errorText, type Log } from './log';

export type FailedAction = 'issue' | 'rotate' | 'refresh' | 'revoke' | 'sign_out' | string;

export interface Notice {
  severity: 'error' | 'warning' | 'info';
  message: string;
  actions: string[];
}

interface Choice {
  title: string;
  run: () => unknown;
}

const KEEP = 50;

export class Notifier {
  private readonly shown: Notice[] = [];

  constructor(
    private readonly log: Log,
    private readonly runCommand: (command: string, ...args: unknown[]) => Thenable<unknown>,
  ) {}

  /** What the user was told, oldest first (for tests). */
  notices(): Notice[] {
    return [...this.shown];
  }

  info(message: string, ...choices: Choice[]): void {
    this.show('info', message, choices);
  }

  warn(message: string, ...choices: Choice[]): void {
    this.show('warning', message, choices);
  }

  error(message: string, ...choices: Choice[]): void {
    this.show('error', message, choices);
  }

  /**
   * A failed token operation of `profileName`: says what failed and offers the useful next step. The engine's
   * CoreError names that step (`action`); raw API errors are mapped the same way.
   */
  failure(profileId: string, profileName: string, what: FailedAction | undefined, error: unknown, now = Date.now()): void {
    const doing = describeAction(what);
    const reason = errorText(error);
    // The engine's errors already say what failed (and usually for which profile): said once, not "x failed: X failed".
    // Without an operation (a damaged record, a changed base URL) the engine's message says it all too.
    const summary = what === undefined || error instanceof CoreError ? reason : `${doing} failed: ${reason}`;
    const named = reason.includes(`"${profileName}"`);
    // The profile id goes last: "<id>: text" reads as a field to the redactor when an id ends in "secret" or "token".
    this.log.error(`${summary} (profile ${profileId})`);
    const showLog: Choice = { title: 'Show Log', run: () => this.runCommand('c2m.showLog') };
    const step = nextStep(what, error);
    const retryAt = error instanceof CoreError ? error.retryAt : isC2mApiError(error) && error.retryAfterMs !== undefined ? now + error.retryAfterMs : undefined;
    if (step === 'wait') {
      const seconds = retryAt !== undefined ? Math.max(1, Math.ceil((retryAt - now) / 1000)) : undefined;
      const when = seconds !== undefined ? `retry after ${seconds} s` : 'retry later';
      this.warn(`C2M ${profileName}: ${doing} was rate limited by the server: ${when}.`, showLog);
      return;
    }
    const choices: Choice[] = [];
    // A new one-time code is asked for by running the same operation again.
    const again = step === 'retry' ? retryCommand(what) : step === 'newCode' ? retryCommand(what) ?? 'c2m.issueLongTermToken' : undefined;
    const command = step ? STEP_COMMANDS[step] ?? again : undefined;
    if (step && command) choices.push({ title: STEP_TITLES[step], run: () => this.runCommand(command, profileId) });
    choices.push(showLog);
    this.error(named && summary === reason ? `C2M: ${summary}` : `C2M ${profileName}: ${summary}`, ...choices);
  }

  private show(severity: Notice['severity'], message: string, choices: Choice[]): void {
    const text = redact(message);
    this.shown.push({ severity, message: text, actions: choices.map((c) => c.title) });
    if (this.shown.length > KEEP) this.shown.splice(0, this.shown.length - KEEP);
    const titles = choices.map((c) => c.title);
    const shown =
      severity === 'error'
        ? vscode.window.showErrorMessage(text, ...titles)
        : severity === 'warning'
          ? vscode.window.showWarningMessage(text, ...titles)
          : vscode.window.showInformationMessage(text, ...titles);
    shown.then(
      (picked) => {
        const choice = choices.find((c) => c.title === picked);
        if (choice) void Promise.resolve(choice.run()).catch((err: unknown) => this.log.error(String(err)));
      },
      (err: unknown) => this.log.error(`notification failed: ${String(err)}`),
    );
  }
}

function describeAction(action: FailedAction | undefined): string {
  switch (action) {
    case 'issue':
      return 'issuing the long-term token';
    case 'rotate':
      return 'rotating the long-term token';
    case 'refresh':
      return 'refreshing the short-term token';
    case 'revoke':
      return 'revoking the token';
    case 'sign_out':
      return 'signing out';
    default:
      return action ? String(action) : 'the token operation';
  }
}

function retryCommand(action: FailedAction | undefined): string | undefined {
  switch (action) {
    case 'issue':
      return 'c2m.issueLongTermToken';
    case 'rotate':
      return 'c2m.rotateLongTermToken';
    case 'refresh':
      return 'c2m.refreshShortTermToken';
    default:
      return undefined;
  }
}

type Step = FailureAction | 'wait';

const STEP_TITLES: Record<FailureAction, string> = {
  issue: 'Re-issue',
  rotate: 'Rotate',
  retry: 'Retry',
  setClientSecret: 'Set Client Secret',
  setPrivateKey: 'Set Private Key',
  reload: 'Reload Window',
  newCode: 'Enter a New Code',
};

const STEP_COMMANDS: Partial<Record<FailureAction, string>> = {
  issue: 'c2m.issueLongTermToken',
  rotate: 'c2m.rotateLongTermToken',
  setClientSecret: 'c2m.setClientSecret',
  setPrivateKey: 'c2m.setPrivateKey',
  reload: 'workbench.action.reloadWindow',
};

/** What the user can do about `error`: the engine says it; for raw API errors it follows from status and kind. */
function nextStep(what: FailedAction | undefined, error: unknown): Step | undefined {
  if (error instanceof CoreError) {
    if (error.code === 'rate_limited') return 'wait';
    if (error.code === 'cancelled') return undefined;
    return error.action;
  }
  if (!isC2mApiError(error)) return undefined;
  if (error.status === 429) return 'wait';
  if (error.status === 401 && error.code === 'invalid_token' && what !== 'issue') return 'issue';
  if (error.retryable) return 'retry';
  return undefined;
}
