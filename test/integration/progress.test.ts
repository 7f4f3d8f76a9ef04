// Progress and cancel inside real VS Code, against a sandbox started here whose hold() keeps answers until the test
// releases them (a server that hangs, with no timer): the commands show a cancellable progress notification naming
// the step and the try, the Tokens view shows the profile busy, Cancel stops the wait at once, and what the server
// still answers afterwards is stored, never dropped.
import * as assert from 'node:assert/strict';
import type { C2mTestApi } from '../../client/src/integrations/extensionApi';
import type { TokenInfo } from '../../client/src/core/tokenService';
import type { Sandbox } from '../../sandbox/src/types';
import type { ProgressRecord } from '../../client/src/ui/progress';
import {
  addProfile,
  eventually,
  exchangesOf,
  profileFor,
  run,
  tokenOf,
  until,
  type TestClients,
} from '../support/inHost/extension';
import { endSuiteSandbox, startSuiteSandbox } from '../support/inHost/suiteSetup';

const SECRET = 'it-progress-secret-7d2e41';
const ID = 'it-progress';
const NAME = `IT ${ID}`;
const LONG = 'POST /auth/tokens/long';
const SHORT = 'POST /auth/tokens/short';

describe('extension: progress and cancel while the server hangs', () => {
  let api: C2mTestApi;
  let sandbox: Sandbox;
  let clients: TestClients;

  before(async () => {
    ({ api, clients, sandbox } = await startSuiteSandbox(SECRET));
    await addProfile(api, profileFor(ID, sandbox.baseUrl, clients.secret, 'client_secret'));
    await api.testing.engine.setClientSecret(ID, SECRET);
  });

  afterEach(() => sandbox.faults.reset());

  after(async () => {
    await endSuiteSandbox(api, sandbox, [ID]);
  });

  /** A live long-term token, issued here when the test before did not leave one. */
  async function signedIn(): Promise<void> {
    if (tokenOf(api, ID, 'long')?.status !== 'valid') await api.testing.engine.issueLongTermToken(ID);
  }

  /** The id of the newest progress notification so far (the seam keeps the last 20: later ones are found by id). */
  function lastProgressId(): number {
    return api.testing.progress().at(-1)?.id ?? 0;
  }

  /** Progress notifications shown after the one with id `after`. */
  function progressSince(after: number): ProgressRecord[] {
    return api.testing.progress().filter((r) => r.id > after);
  }

  /** The progress notification on screen shown after the one with id `after`. */
  function onScreen(after: number, what: string): Promise<ProgressRecord> {
    return eventually(() => progressSince(after).find((r) => r.active), what);
  }

  it('issue: "issuing the long-term token… (try 1 of 1)" with Cancel, the tree says issuing…; Cancel ends the wait; the late 201 is stored', async () => {
    const hold = sandbox.faults.hold({ route: LONG, afterProcessing: true, times: 1 });
    const shown = lastProgressId();
    const exchanges = exchangesOf(sandbox);
    const command = run<TokenInfo>('c2m.issueLongTermToken', ID);
    await hold.arrived();
    const progress = await onScreen(shown, 'the progress notification of the issue');
    assert.equal(progress.title, `C2M "${NAME}"`);
    assert.equal(progress.message, 'issuing the long-term token… (try 1 of 1)');
    assert.equal(progress.cancellable, true);
    await until(
      api,
      () => api.testing.profileDescription(ID).includes('issuing…'),
      'the profile row saying "issuing…"',
    );

    assert.equal(api.testing.cancelProgress(), 1);
    assert.equal(await command, undefined, 'the command ends at once, without a token');
    const after = progressSince(shown);
    assert.equal(after.length, 1);
    assert.deepEqual({ active: after[0]?.active, cancelled: after[0]?.cancelled }, { active: false, cancelled: true });
    const cancelled = api.testing
      .notices()
      .find((n) => /Cancelled issuing the long-term token of "IT it-progress"/.test(n.message));
    assert.ok(cancelled, 'the user is told what the cancel did and did not stop');
    assert.equal(cancelled.severity, 'info');
    assert.equal(tokenOf(api, ID, 'long'), undefined, 'nothing stored before the answer');
    assert.equal(hold.abandonedCount(), 0, 'the request that creates the token kept its connection');

    hold.release();
    await until(api, () => tokenOf(api, ID, 'long')?.status === 'valid', 'the token of the late 201 stored');
    const stored = tokenOf(api, ID, 'long');
    assert.ok(stored);
    assert.equal(sandbox.isRevoked(stored.tokenId), false);
    await until(api, () => !api.testing.profileDescription(ID).includes('issuing…'), 'the busy word gone');
    await eventually(
      () =>
        api.testing
          .notices()
          .find((n) =>
            /C2M "IT it-progress": the server answered after the cancel; the long-term token .* it issued is stored/.test(
              n.message,
            ),
          ),
      'the notice that the late token is stored',
    );
    assert.equal(exchangesOf(sandbox), exchanges, 'the cancelled command sent no short-term exchange');
    assert.equal(sandbox.stats().byRoute[LONG], 1);
  });

  it('refresh: the retry policy\'s try number is shown ("try 2 of 3") and no try follows the cancel', async () => {
    await signedIn();
    sandbox.faults.forceStatus({ route: SHORT, status: 503, body: { code: 'unavailable', message: 'down' }, times: 2 });
    const hold = sandbox.faults.hold({ route: SHORT, skip: 1, times: 1 });
    const shown = lastProgressId();
    const exchanges = exchangesOf(sandbox);
    const command = run<TokenInfo>('c2m.refreshShortTermToken', ID);
    await hold.arrived();
    await eventually(
      () => progressSince(shown).find((r) => r.active && r.message === 'refreshing the short-term token… (try 2 of 3)'),
      'the progress of the second try',
    );
    await until(
      api,
      () => api.testing.profileDescription(ID).includes('refreshing…'),
      'the profile row saying "refreshing…"',
    );
    const [record] = progressSince(shown);
    assert.deepEqual(record?.messages, [
      'refreshing the short-term token… (try 1 of 3)',
      'refreshing the short-term token… (try 2 of 3)',
    ]);
    assert.equal(api.testing.cancelProgress(), 1);
    assert.equal(await command, undefined);
    hold.release(); // try 2 then answers 503: with the cancel, no third try
    await until(api, () => !api.testing.profileDescription(ID).includes('refreshing…'), 'the busy word gone');
    assert.equal(exchangesOf(sandbox) - exchanges, 2, 'two tries, the third never sent');
    assert.notEqual(tokenOf(api, ID, 'short')?.status, 'error', 'a cancel is not a failure');
  });

  it('copy: a token still valid is copied with no progress at all; one that must be fetched shows it', async () => {
    await signedIn();
    const refreshed = await run<TokenInfo>('c2m.refreshShortTermToken', ID);
    assert.ok(refreshed, 'a live short-term token');
    const shown = lastProgressId();
    api.testing.answer('Copy');
    assert.ok(await run<TokenInfo>('c2m.copyShortTermToken', ID));
    assert.deepEqual(progressSince(shown), [], 'no request, no notification');
    await run('c2m.revokeToken', api.testing.tokenNode(ID, 'short'));
    assert.deepEqual(
      progressSince(shown).map((r) => r.message),
      ['revoking the short-term token… (try 1 of 1)'],
      'the revoke showed its progress',
    );
    const afterRevoke = lastProgressId();
    api.testing.answer('Copy');
    assert.ok(await run<TokenInfo>('c2m.copyShortTermToken', ID));
    assert.deepEqual(
      progressSince(afterRevoke).map((r) => r.message),
      ['refreshing the short-term token… (try 1 of 3)'],
      'the copy had to fetch, and said so',
    );
  });
});
