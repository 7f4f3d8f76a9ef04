// What the Notifier tells the user about failed token operations, for every kind of failure the engine and the API
// client produce: a short text that starts with the profile and what happened (a toast without buttons shows one
// line; one with buttons shows every line, so a long text makes a tall toast), the useful next step, the engine's
// full explanation behind Details and in the log. Real CoreErrors from the core's own constructors; the display and
// the log are recorded, nothing of vscode is needed (the texts are the English source, as VS Code shows them).
import { strict as assert } from 'node:assert';
import { C2mApiError } from '../../client/src/api/errors';
import {
  credentialsRejectedError,
  idsDisagreeNotice,
  longTokenUnusableError,
  networkBlockedError,
  originChangedError,
  reissueNeededError,
  unreadableRecordError,
} from '../../client/src/core/engineErrors';
import { CoreError, toCoreError } from '../../client/src/core/errors';
import { buildGrant } from '../../client/src/core/grants';
import type { RecordStore } from '../../client/src/core/recordStore';
import { disownedError, journalUnsavedError, unfinishedRevokesError } from '../../client/src/core/revokeMessages';
import { stillValid, type RevokeJob } from '../../client/src/core/revoker';
import { staleWindowError } from '../../client/src/core/windowChannel';
import type { Profile } from '../../client/src/core/profile';
import { FAILURE_NOTICE_LIMIT, Notifier, type Notice } from '../../client/src/ui/notifications';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const NAME = 'Sandbox';
const LONG_NAME = 'Production EU (billing team, shared)';
/** Ends in a secret's field name: "C2M it-otp: …" would lose its next word to the redactor. */
const FIELD_NAME = 'IT it-otp';
const profile = (mechanism: Profile['mechanism'], name = NAME): Profile => ({
  id: 'sandbox',
  name,
  baseUrl: 'http://127.0.0.1:8123/v1',
  clientId: 'c2m_demo_client',
  mechanism,
  scopes: [],
});
const binding = { origin: 'http://127.0.0.1:8123', clientId: 'c2m_demo_client', baseUrl: 'http://127.0.0.1:8123/v1' };
const job: RevokeJob = {
  tokenId: 'tok_lt_8f3a9c2e71d4',
  kind: 'long',
  expiresAt: NOW + 30 * 86_400_000,
  bearer: 'lt_bearer',
  scopes: [],
  profileId: 'sandbox',
  baseUrl: binding.baseUrl,
};
const http = (
  status: number,
  code: string,
  message: string,
  extra: { retryAfterMs?: number; retryable?: boolean } = {},
) => new C2mApiError({ kind: 'http', status, code, message: `${message} (HTTP ${status} ${code}).`, ...extra });
const unreachable = new C2mApiError({
  kind: 'network',
  code: 'ECONNREFUSED',
  message: 'Could not reach http://127.0.0.1:8123 (ECONNREFUSED).',
  retryable: true,
});
const wrapped = (error: unknown, what = `Refreshing the short-term token of "${NAME}" failed`) =>
  toCoreError(error, what, NOW);

interface Case {
  what: string | undefined;
  error: unknown;
  /** What happened, in the words the first line must carry. */
  says: RegExp;
  step?: string;
}

/** The grant builder's own error for a profile without a stored client secret, per profile name (made in before()). */
const missingSecret = new Map<string, unknown>();

function cases(name: string): Case[] {
  const p = profile('client_secret', name);
  const rejected = wrapped(
    http(401, 'invalid_client', 'Client authentication failed'),
    `Issuing the long-term token of "${name}" failed`,
  );
  return [
    {
      what: 'refresh',
      error: wrapped(unreachable),
      says: /refreshing the short-term token failed\. Could not reach/,
      step: 'Retry',
    },
    {
      what: 'refresh',
      error: wrapped(http(503, 'unavailable', 'down for maintenance', { retryable: true })),
      says: /refreshing the short-term token failed\. down for maintenance/,
      step: 'Retry',
    },
    {
      what: 'refresh',
      error: wrapped(http(429, 'rate_limited', 'Too many requests', { retryAfterMs: 120_000, retryable: true })),
      says: /rate limited by the server: retry after 120 s/,
    },
    {
      what: 'refresh',
      error: http(401, 'invalid_token', 'The provided token is expired or invalid'),
      says: /refreshing the short-term token failed\. The provided token/,
      step: 'Re-issue',
    },
    {
      what: 'issue',
      error: wrapped(http(400, 'invalid_scope', 'x'.repeat(400)), `Issuing the long-term token of "${name}" failed`),
      says: /issuing the long-term token failed\. x+…$/,
    },
    {
      what: 'issue',
      error: wrapped(new TypeError('Cannot read properties of undefined'), 'Issuing'),
      says: /issuing the long-term token failed\. unexpected TypeError/,
      step: 'Retry',
    },
    {
      what: 'issue',
      error: credentialsRejectedError(p, rejected),
      says: /the server refused the client secret/,
      step: 'Set Client Secret',
    },
    {
      what: 'issue',
      error: credentialsRejectedError(profile('otp', name), rejected),
      says: /the server refused the one-time code/,
      step: 'Enter a New Code',
    },
    {
      what: 'issue',
      error: credentialsRejectedError(profile('assertion', name), rejected),
      says: /the server refused the signed assertion/,
      step: 'Set Private Key',
    },
    {
      what: 'issue',
      error: missingSecret.get(name),
      says: /no usable client secret is stored/,
      step: 'Set Client Secret',
    },
    {
      what: 'issue',
      error: new CoreError('cancelled', `No one-time code entered for "${name}": nothing was issued.`),
      says: /no one-time code entered/,
    },
    {
      what: 'refresh',
      error: reissueNeededError(name),
      says: /the server rejected the long-term token/,
      step: 'Re-issue',
    },
    {
      what: 'refresh',
      error: longTokenUnusableError(name, 'expired'),
      says: /the long-term token has expired/,
      step: 'Re-issue',
    },
    {
      what: 'refresh',
      error: longTokenUnusableError(name, 'revoked'),
      says: /no usable long-term token/,
      step: 'Re-issue',
    },
    { what: 'refresh', error: networkBlockedError(name), says: /nothing was sent/ },
    {
      what: undefined,
      error: originChangedError(name, binding, {
        ...binding,
        baseUrl: 'https://api.example.com/v1',
        origin: 'https://api.example.com',
      }),
      says: /base URL or client id changed/,
      step: 'Re-issue',
    },
    {
      what: undefined,
      error: unreadableRecordError(name, 'long'),
      says: /a stored token could not be read/,
      step: 'Re-issue',
    },
    {
      what: undefined,
      error: unreadableRecordError(name, 'client_secret'),
      says: /the stored client secret could not be read/,
      step: 'Set Client Secret',
    },
    {
      what: undefined,
      error: unreadableRecordError(name, 'private_key'),
      says: /the stored private key could not be read/,
      step: 'Set Private Key',
    },
    {
      what: undefined,
      error: idsDisagreeNotice(name, 'tok_lt_header000001', 'tok_lt_body0000002'),
      says: /the server gave the new long-term token two ids/,
    },
    {
      what: 'rotate',
      error: staleWindowError(name),
      says: /the tokens were changed in another window: reload/,
      step: 'Reload Window',
    },
    {
      what: 'issue',
      error: disownedError(name, job, 'the keychain is locked', 'pending', ''),
      says: /could not be stored or revoked/,
      step: 'Retry',
    },
    { what: undefined, error: unfinishedRevokesError(name, [job], true), says: /could not be stored or revoked/ },
    {
      what: undefined,
      error: journalUnsavedError([job], 'the keychain is locked'),
      says: /could not be stored or revoked/,
    },
    // The revoker's refusal (after a rotation): the headline says revoking failed; which token stays valid is in Details.
    {
      what: 'revoke',
      error: new CoreError(
        'api',
        `Revoking token ${job.tokenId} failed: Missing scope (HTTP 403 insufficient_scope). It is no longer used here, but the server refused to revoke it and asking again cannot change that: ${stillValid(job)}`,
      ),
      says: /revoking the token failed\.$/,
    },
  ];
}

function notifierWithRecords(): { notifier: Notifier; logged: string[]; details: string[]; ran: string[] } {
  const logged: string[] = [];
  const details: string[] = [];
  const ran: string[] = [];
  const notifier = new Notifier({ error: (line) => logged.push(line) }, async (command) => void ran.push(command), {
    show: async () => undefined,
    details: async (_message, detail) => void details.push(detail),
  });
  return { notifier, logged, details, ran };
}

function told(name: string, c: Case): { notice: Notice; logged: string[] } {
  const { notifier, logged } = notifierWithRecords();
  notifier.failure('sandbox', name, c.what, c.error, NOW);
  const notice = notifier.notices().at(-1);
  assert.ok(notice);
  return { notice, logged };
}

describe('failure notifications', () => {
  before(async () => {
    const records = { readSecret: async () => ({ record: undefined }) } as unknown as RecordStore;
    for (const name of [NAME, LONG_NAME, FIELD_NAME, 'team secret']) {
      const p = profile('client_secret', name);
      missingSecret.set(
        name,
        await buildGrant({ records, otpCode: async () => undefined, shortTermToken: async () => '' }, p, binding).catch(
          (e: unknown) => e,
        ),
      );
    }
  });

  cases(NAME).forEach((planned, i) => {
    it(`${planned.what ?? 'background'}: ${planned.says.source.replace(/\\/g, '')}`, () => {
      const c = cases(NAME)[i]!; // now, with the errors before() made
      const full = c.error instanceof Error ? c.error.message : String(c.error);
      const { notice, logged } = told(NAME, c);
      assert.ok(notice.message.startsWith(`C2M "${NAME}": `), notice.message);
      assert.ok(
        notice.message.length <= FAILURE_NOTICE_LIMIT,
        `${notice.message.length} characters: ${notice.message}`,
      );
      // What happened is said right after the profile, within the first line of a toast.
      const head = notice.message.slice(`C2M "${NAME}": `.length);
      assert.match(head, c.says);
      assert.ok(head.search(c.says) < 10, `what happened comes first: ${notice.message}`);
      assert.equal(notice.message.split(NAME).length - 1, 1, `the profile is named once: ${notice.message}`);
      assert.doesNotMatch(notice.message, /REDACTED/, 'no text of ours reads as a secret field to the redactor');
      assert.doesNotMatch(notice.detail ?? '', /REDACTED/, "nor the engine's explanation behind Details");
      // Nothing is lost: what the toast leaves out is behind Details, and the log has all of it.
      if (notice.actions.includes('Details')) assert.equal(notice.detail, full);
      else
        assert.ok(
          notice.message.endsWith(` ${c.error instanceof CoreError ? c.error.reason : full}`),
          `the whole reason is shown: ${notice.message}`,
        );
      assert.ok(
        logged.some((l) => l.includes(full) && l.endsWith('(profile sandbox)')),
        logged.join('\n'),
      );
      assert.equal(notice.actions.at(-1), 'Show Log');
      if (c.step) assert.equal(notice.actions[0], c.step);
    });
  });

  it('a profile whose name ends in "otp" or "secret" keeps every word of the text', () => {
    for (const name of [FIELD_NAME, 'team secret']) {
      for (const c of cases(name)) {
        const { notice } = told(name, c);
        assert.ok(notice.message.startsWith(`C2M "${name}": `), notice.message);
        assert.doesNotMatch(notice.message, /REDACTED/, notice.message);
      }
    }
  });

  it('a long profile name still comes first, and only the reason is shortened', () => {
    for (const c of cases(LONG_NAME)) {
      const { notice } = told(LONG_NAME, c);
      assert.ok(notice.message.startsWith(`C2M "${LONG_NAME}": `), notice.message);
      assert.match(notice.message, c.says);
      assert.ok(notice.message.length <= FAILURE_NOTICE_LIMIT + LONG_NAME.length, notice.message);
    }
  });

  it("Details shows the engine's whole explanation; the step runs its command for the profile", async () => {
    const { notifier, details, ran } = notifierWithRecords();
    let picked: string | undefined;
    const picking = new Notifier({ error: () => undefined }, async (command) => void ran.push(command), {
      show: async (_severity, _message, titles) => titles.find((t) => t === picked),
      details: async (_message, detail) => void details.push(detail),
    });
    const error = staleWindowError(NAME);
    picked = 'Details';
    picking.failure('sandbox', NAME, 'rotate', error, NOW);
    picked = 'Reload Window';
    picking.failure('sandbox', NAME, 'rotate', error, NOW);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(details, [error.message]);
    assert.deepEqual(ran, ['workbench.action.reloadWindow']);
    assert.equal(notifier.notices().length, 0);
  });
});

describe('the notices a test finds after a mark', () => {
  it('are the ones shown since, also once more were shown than are kept', () => {
    const { notifier } = notifierWithRecords();
    for (let i = 0; i < 45; i++) notifier.info(`early ${i}`);
    const mark = notifier.mark();
    for (let i = 0; i < 10; i++) notifier.info(`later ${i}`);
    assert.equal(notifier.notices().length, 50, 'only the last 50 are kept');
    assert.deepEqual(
      notifier.since(mark).map((n) => n.message),
      Array.from({ length: 10 }, (_, i) => `later ${i}`),
    );
    assert.deepEqual(notifier.since(notifier.mark()), []);
  });
});
