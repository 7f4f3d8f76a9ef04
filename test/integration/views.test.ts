// What a user sees of a token operation in the Tokens view, the status bar and the notifications, inside real VS Code
// against a sandbox started here: a rotation shows while it runs and says what it did, its question says precisely
// what happens, and after a revoke the status bar shows the state as it is (no colour left from before).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { C2mTestApi } from '../../client/src/integrations/extensionApi';
import type { TokenInfo } from '../../client/src/core/tokenService';
import type { Sandbox } from '../../sandbox/src/types';
import { maskTokenId } from '../../client/src/ui/viewFormat';
import { run, tokenOf } from '../support/inHost/extension';
import { signInDemoProfile, type SignedInDemo } from '../support/inHost/suiteSetup';

const ID = 'it-views';
const NAME = 'IT Views';

describe('views: what the user sees of rotate and revoke', () => {
  let demo: SignedInDemo;
  let api: C2mTestApi;
  let sandbox: Sandbox;

  before(async () => {
    demo = await signInDemoProfile(ID, NAME);
    ({ api, sandbox } = demo);
  });

  after(async () => {
    await demo.end();
  });

  /** Runs Rotate as the command palette does (the profile named, not a node of the view), answering its question. */
  function rotateFromPalette(answer: string | undefined): Thenable<TokenInfo | undefined> {
    api.testing.answer(answer);
    return vscode.commands.executeCommand<TokenInfo | undefined>('c2m.rotateLongTermToken', ID);
  }

  it('the Rotate question says what happens: a new long-term token, the current one revoked at the server, its short-term tokens stop working', async () => {
    const long = tokenOf(api, ID, 'long')!;
    assert.equal(await rotateFromPalette(undefined), undefined, 'declined: nothing rotated');
    assert.equal(api.testing.pendingAnswers(), 0, 'the user was asked');
    // The record keeps the last questions only: the one just asked is the last.
    const question = api.testing.questions().at(-1);
    assert.ok(question, 'the user was asked');
    assert.equal(question.message, `Rotate the long-term token of "${NAME}"?`);
    assert.match(question.detail, /^A new long-term token is issued/);
    assert.ok(question.detail.includes(`the current one (${long.tokenId}) is revoked at the server`), question.detail);
    assert.ok(
      question.detail.includes(`The short-term tokens made from ${long.tokenId} stop working`),
      question.detail,
    );
    assert.doesNotMatch(question.detail, /a token made from it/);
    assert.equal(tokenOf(api, ID, 'long')?.tokenId, long.tokenId);
    assert.equal(sandbox.isRevoked(long.tokenId), false);
  });

  it('a confirmed Rotate shows progress, then says what it did; the tree shows the new token and a new short-term one', async () => {
    const oldLong = tokenOf(api, ID, 'long')!;
    const oldShort = tokenOf(api, ID, 'short')!;
    const progressBefore = api.testing.progress().at(-1)?.id ?? 0;
    const rotated = await rotateFromPalette('Rotate');
    assert.ok(rotated, 'rotated');
    assert.notEqual(rotated.tokenId, oldLong.tokenId);
    await api.testing.engine.idle();
    assert.equal(sandbox.isRevoked(oldLong.tokenId), true);

    // While it ran: a progress notification naming the profile and the step.
    const shown = api.testing.progress().filter((p) => p.id > progressBefore);
    assert.ok(
      shown.some(
        (p) => p.title === `C2M "${NAME}"` && p.messages.some((m) => /issuing the new long-term token/.test(m)),
      ),
      JSON.stringify(shown),
    );
    assert.ok(
      shown.every((p) => !p.active),
      'the progress is gone once it is done',
    );

    // Then a notification that stays until read: the new token, and the old one revoked. (The record keeps the last
    // notices only: this one is found by the new token's id.)
    const told = api.testing.notices();
    const result = told.find((n) => n.message.includes(maskTokenId(rotated.tokenId)));
    assert.ok(result, `a notification says the rotation happened: ${JSON.stringify(told.slice(-5))}`);
    assert.equal(result.severity, 'info');
    assert.equal(
      result.message,
      `C2M: rotated the long-term token of "${NAME}": the new one is ${maskTokenId(rotated.tokenId)}; the old one (${maskTokenId(oldLong.tokenId)}) is revoked.`,
    );
    assert.deepEqual(result.actions, ['Show Token Details']);

    // The tree: the long-term row says it is new (its days left are the old one's), the short-term token is new too
    // (the old one died with its long-term token at the server), and nothing is left in a warning colour.
    assert.match(api.testing.tokenDescription(ID, 'long'), /^issued just now · \d+ days left$/);
    const short = tokenOf(api, ID, 'short')!;
    assert.notEqual(short.tokenId, oldShort.tokenId, 'a new short-term token');
    assert.equal(short.status, 'valid');
    assert.equal(api.testing.statusBar().background, undefined, JSON.stringify(api.testing.statusBar()));
  });

  it('after revoking the short-term token the status bar says so in the neutral colour', async () => {
    await api.testing.getShortTermToken(ID);
    assert.equal(await run('c2m.revokeToken', api.testing.tokenNode(ID, 'short')), 'short');
    assert.equal(tokenOf(api, ID, 'short')?.status, 'revoked');
    assert.deepEqual(api.testing.statusBar(), {
      text: `$(key) ${NAME}: short-term revoked`,
      background: undefined,
      command: 'c2m.showActions',
    });
  });

  it('after revoking the long-term token the status bar says there is no token, neutral, and its click issues one', async () => {
    await api.testing.getShortTermToken(ID);
    api.testing.answer('Revoke');
    assert.equal(await run('c2m.revokeToken', api.testing.tokenNode(ID, 'long')), 'long');
    assert.equal(tokenOf(api, ID, 'long')?.status, 'revoked');
    assert.deepEqual(api.testing.statusBar(), {
      text: `$(key) ${NAME}: no token`,
      background: undefined,
      command: 'c2m.issueLongTermToken',
    });
    assert.equal(api.testing.tokenDescription(ID, 'long'), 'revoked');
    // Issuing again brings the countdown back, neutral.
    assert.ok(await run('c2m.issueLongTermToken', ID));
    const bar = api.testing.statusBar();
    assert.match(bar.text, new RegExp(`^\\$\\(key\\) ${NAME} \\d\\d:\\d\\d$`));
    assert.deepEqual([bar.background, bar.command], [undefined, 'c2m.showActions']);
  });
});
