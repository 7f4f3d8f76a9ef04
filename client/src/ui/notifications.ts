// Turns failures into notifications the user can act on: a rejected long-term token offers re-issue, a rate limit
// says when to retry, a network failure offers retry. Every text is redacted (C2mApiError messages already are).
// A notification starts with the profile and what happened, in a few words: VS Code shows a toast without buttons
// as one line cut at about 60 characters, and one with buttons in full at 450 px, so a long text makes a tall toast.
// The engine's full explanation goes to the log and behind a Details button. Shown notices are also recorded, so
// the integration tests can check what the user was told.
// No vscode import: extension.ts hands in how a notification is shown, and test/unit/notifications.test.ts checks
// the texts under plain mocha.
import { isC2mApiError } from '../api/errors';
import { CoreError, type CoreErrorCode, type FailureAction } from '../core/errors';
import { redact } from '../api/redact';
import { errorText } from '../host/errorText';
import { l10n } from '../host/l10n';
import type { Log } from '../host/log';
import { RELOAD_WINDOW, type CommandId, type RunCommand } from '../host/commandIds';

export type FailedAction = 'issue' | 'rotate' | 'refresh' | 'revoke' | 'sign_out' | string;

export interface Notice {
  severity: 'error' | 'warning' | 'info';
  message: string;
  actions: string[];
  /** The full explanation the Details button shows, when the message leaves part of it out. */
  detail?: string;
}

export interface Choice {
  title: string;
  run: () => unknown;
}

/** How notifications reach the user: VS Code's show{Error,Warning,Information}Message, and a modal for Details. */
export interface NoticeDisplay {
  show(severity: Notice['severity'], message: string, titles: string[]): Thenable<string | undefined>;
  details(message: string, detail: string): Thenable<unknown>;
}

/** The longest failure notification: three lines of a default toast. Longer reasons are cut (Details has all). */
export const FAILURE_NOTICE_LIMIT = 200;

const KEEP = 50;

export class Notifier {
  private readonly shown: Notice[] = [];
  private total = 0;

  constructor(
    private readonly log: Pick<Log, 'error'>,
    private readonly runCommand: RunCommand,
    private readonly display: NoticeDisplay,
  ) {}

  /** What the user was told, oldest first (for tests): the last KEEP only. */
  notices(): Notice[] {
    return [...this.shown];
  }

  /** How many notices were shown so far (for tests: noticesSince(mark) finds the ones after it, past the bound too). */
  mark(): number {
    return this.total;
  }

  /** The notices shown since `mark()` said `mark`, oldest first (as far as the last KEEP go back). */
  since(mark: number): Notice[] {
    const firstKept = this.total - this.shown.length;
    return this.shown.slice(Math.max(0, mark - firstKept));
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

  /** A Details button that shows `detail` in a modal titled `message` (a short notification's long explanation). */
  detailsChoice(message: string, detail: string): Choice {
    return { title: l10n.t('Details'), run: () => this.display.details(redact(message), redact(detail)) };
  }

  /**
   * A failed token operation of `profileName`: says what failed and offers the useful next step. The engine's
   * CoreError names that step (`action`); raw API errors are mapped the same way.
   */
  failure(
    profileId: string,
    profileName: string,
    what: FailedAction | undefined,
    error: unknown,
    now = Date.now(),
  ): void {
    const full = errorText(error);
    // The profile id goes last: "<id>: text" reads as a field to the redactor when an id ends in "secret" or "token".
    this.log.error(
      `${what === undefined || error instanceof CoreError ? full : `${describeAction(what)} failed: ${full}`} (profile ${profileId})`,
    );
    const showLog: Choice = { title: l10n.t('Show Log'), run: () => this.runCommand('c2m.showLog') };
    const step = nextStep(what, error);
    const { text, complete } = failureText(profileName, what, error, step, now);
    const choices: Choice[] = [];
    if (step !== 'wait') {
      // A new one-time code is asked for by running the same operation again.
      const again =
        step === 'retry'
          ? retryCommand(what)
          : step === 'newCode'
            ? (retryCommand(what) ?? 'c2m.issueLongTermToken')
            : undefined;
      const command = step ? (STEP_COMMANDS[step] ?? again) : undefined;
      if (step && command) choices.push({ title: stepTitle(step), run: () => this.runCommand(command, profileId) });
    }
    if (!complete) choices.push(this.detailsChoice(text, full));
    choices.push(showLog);
    this.show(step === 'wait' ? 'warning' : 'error', text, choices, complete ? undefined : full);
  }

  private show(severity: Notice['severity'], message: string, choices: Choice[], detail?: string): void {
    const text = redact(message);
    this.shown.push({
      severity,
      message: text,
      actions: choices.map((c) => c.title),
      ...(detail !== undefined ? { detail: redact(detail) } : {}),
    });
    this.total++;
    if (this.shown.length > KEEP) this.shown.splice(0, this.shown.length - KEEP);
    this.display
      .show(
        severity,
        text,
        choices.map((c) => c.title),
      )
      .then(
        (picked) => {
          const choice = choices.find((c) => c.title === picked);
          if (choice) void Promise.resolve(choice.run()).catch((err: unknown) => this.log.error(String(err)));
        },
        (err: unknown) => this.log.error(`notification failed: ${String(err)}`),
      );
  }
}

/**
 * The notification of a failure: 'C2M "<profile>": <what happened>[ <reason>]', within FAILURE_NOTICE_LIMIT. The name
 * is quoted: a name ending in a secret's field name (otp, secret) before the colon would read to the redactor as a field.
 * `complete`: the text says everything the error says (else the Details button shows the rest).
 */
export function failureText(
  profileName: string,
  what: FailedAction | undefined,
  error: unknown,
  step: Step | undefined,
  now: number,
): { text: string; complete: boolean } {
  if (step === 'wait') {
    const retryAt =
      error instanceof CoreError
        ? error.retryAt
        : isC2mApiError(error) && error.retryAfterMs !== undefined
          ? now + error.retryAfterMs
          : undefined;
    const seconds = retryAt !== undefined ? Math.max(1, Math.ceil((retryAt - now) / 1000)) : undefined;
    const text =
      seconds !== undefined
        ? l10n.t('C2M "{0}": rate limited by the server: retry after {1} s.', profileName, seconds)
        : l10n.t('C2M "{0}": rate limited by the server: retry later.', profileName);
    return { text, complete: false };
  }
  // The API client's own words (network, HTTP status and the server's message) say what went wrong, in English;
  // the engine's other failures get a headline here, and their full text goes behind Details.
  if (error instanceof CoreError && error.code !== 'api')
    return { text: codeHeadline(profileName, error.code, error.action), complete: false };
  const reason = error instanceof CoreError ? error.reason : isC2mApiError(error) ? error.message : undefined;
  const failed = operationFailed(profileName, what);
  if (reason === undefined) return { text: failed, complete: !(error instanceof Error) };
  const text = `${failed} ${reason}`;
  if (text.length <= FAILURE_NOTICE_LIMIT) return { text, complete: true };
  // Cut at a space near the limit when there is one, else mid-word.
  const cut = text.slice(0, FAILURE_NOTICE_LIMIT - 1);
  const space = cut.lastIndexOf(' ');
  return { text: `${space > cut.length - 20 ? cut.slice(0, space) : cut}…`, complete: false };
}

/** 'C2M "Sandbox": refreshing the short-term token failed.' */
function operationFailed(profileName: string, what: FailedAction | undefined): string {
  switch (what) {
    case 'issue':
      return l10n.t('C2M "{0}": issuing the long-term token failed.', profileName);
    case 'rotate':
      return l10n.t('C2M "{0}": rotating the long-term token failed.', profileName);
    case 'refresh':
      return l10n.t('C2M "{0}": refreshing the short-term token failed.', profileName);
    case 'revoke':
      return l10n.t('C2M "{0}": revoking the token failed.', profileName);
    case 'sign_out':
      return l10n.t('C2M "{0}": signing out failed.', profileName);
    default:
      return what
        ? l10n.t('C2M "{0}": {1} failed.', profileName, what)
        : l10n.t('C2M "{0}": the token operation failed.', profileName);
  }
}

/** What happened and what to do, in a few words, for the engine's failures other than plain API errors. */
function codeHeadline(name: string, code: Exclude<CoreErrorCode, 'api'>, action: FailureAction | undefined): string {
  const byCode: Record<Exclude<CoreErrorCode, 'api'>, () => string> = {
    no_profile: () => l10n.t('C2M "{0}": there is no such profile, or none is active.', name),
    no_long_token: () => l10n.t('C2M "{0}": no usable long-term token: issue one.', name),
    long_expired: () => l10n.t('C2M "{0}": the long-term token has expired: issue a new one.', name),
    origin_changed: () =>
      l10n.t(
        'C2M "{0}": the base URL or client id changed, so the stored tokens are not sent: issue a new long-term token.',
        name,
      ),
    reissue_needed: () => l10n.t('C2M "{0}": the server rejected the long-term token: issue a new one.', name),
    missing_secret: () =>
      action === 'setPrivateKey'
        ? l10n.t('C2M "{0}": no usable private key is stored for this base URL: set it.', name)
        : l10n.t('C2M "{0}": no usable client secret is stored for this base URL: set it.', name),
    credentials_rejected: () =>
      action === 'newCode'
        ? l10n.t('C2M "{0}": the server refused the one-time code: issue again with a new code.', name)
        : action === 'setPrivateKey'
          ? l10n.t('C2M "{0}": the server refused the signed assertion. Set the private key again.', name)
          : l10n.t('C2M "{0}": the server refused the client secret. Set the right one, then issue again.', name),
    needs_short_token: () => l10n.t('C2M "{0}": step-up needs a valid short-term token with tokens:write.', name),
    revoked: () => l10n.t('C2M "{0}": signed out or revoked meanwhile, so the new token was discarded.', name),
    network_blocked: () =>
      l10n.t('C2M "{0}": nothing was sent: the base URL comes from the settings of this untrusted workspace.', name),
    cancelled: () => l10n.t('C2M "{0}": no one-time code entered, so nothing was issued.', name),
    aborted: () => l10n.t('C2M "{0}": cancelled. Details say what still happens to a request already sent.', name),
    unreadable: () =>
      action === 'setClientSecret'
        ? l10n.t('C2M "{0}": the stored client secret could not be read: set it again.', name)
        : action === 'setPrivateKey'
          ? l10n.t('C2M "{0}": the stored private key could not be read: set it again.', name)
          : l10n.t(
              'C2M "{0}": a stored token could not be read, so the profile counts as signed out: issue a new one.',
              name,
            ),
    store_failed: () =>
      l10n.t('C2M "{0}": a token could not be stored or revoked, so it may still work at the server.', name),
    other_window: () =>
      l10n.t('C2M "{0}": the tokens were changed in another window: reload this window to continue.', name),
    ids_disagree: () =>
      l10n.t('C2M "{0}": the server gave the new long-term token two ids; it is stored and works.', name),
    rate_limited: () => l10n.t('C2M "{0}": rate limited by the server: retry later.', name),
  };
  return byCode[code]();
}

/** The operation as the log line says it (English, like the rest of the log). */
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

function retryCommand(action: FailedAction | undefined): CommandId | undefined {
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

export type Step = FailureAction | 'wait';

function stepTitle(step: FailureAction): string {
  switch (step) {
    case 'issue':
      return l10n.t('Re-issue');
    case 'rotate':
      return l10n.t('Rotate');
    case 'retry':
      return l10n.t('Retry');
    case 'setClientSecret':
      return l10n.t('Set Client Secret');
    case 'setPrivateKey':
      return l10n.t('Set Private Key');
    case 'reload':
      return l10n.t('Reload Window');
    case 'newCode':
      return l10n.t('Enter a New Code');
  }
}

const STEP_COMMANDS: Partial<Record<FailureAction, CommandId | typeof RELOAD_WINDOW>> = {
  issue: 'c2m.issueLongTermToken',
  rotate: 'c2m.rotateLongTermToken',
  setClientSecret: 'c2m.setClientSecret',
  setPrivateKey: 'c2m.setPrivateKey',
  reload: RELOAD_WINDOW,
};

/** What the user can do about `error`: the engine says it; for raw API errors it follows from status and kind. */
export function nextStep(what: FailedAction | undefined, error: unknown): Step | undefined {
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
