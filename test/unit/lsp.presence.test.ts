// When the client commands of completions, quick fixes and lenses get an id and when that id may run (pure rules;
// the in-host attacks suite drives them through real VS Code). The window's focus is the part no extension can fake.
import * as assert from 'node:assert/strict';
import { mayOffer, refusal, type Bound, type Presence } from '../../client/src/lsp/presence';
import { ClientCommands } from '@shared/protocol/clientCommands';

const URI = 'file:///ws/a.http';
const at = (line: number, character: number) => ({ line, character });
const range = (line: number, start: number, end: number) => ({ start: at(line, start), end: at(line, end) });

/** A focused window whose active editor shows URI with the cursor at (line, character). */
function cursor(line: number, character: number, over: Partial<Presence> = {}): Presence {
  return {
    focused: true,
    activeUri: URI,
    selection: { ...range(line, character, character), active: at(line, character) },
    ...over,
  };
}

const PLACEHOLDER = range(1, 22, 33);
const insert = { uri: URI, range: PLACEHOLDER, profileId: 'p' };
const completion: Bound = { uri: URI, source: 'completion' };
const fix: Bound = { uri: URI, source: 'codeAction', at: range(1, 25, 25) };
const lens: Bound = { uri: URI, source: 'codeLens' };

describe('lsp: presence (when an offered command may run)', () => {
  it('hands out ids for completions and quick fixes only on the active editor of a focused window; lenses where shown', () => {
    assert.ok(mayOffer('completion', URI, cursor(0, 0), true));
    assert.ok(mayOffer('codeAction', URI, cursor(0, 0), true));
    assert.ok(!mayOffer('completion', URI, cursor(0, 0, { focused: false }), true), 'window not focused');
    assert.ok(
      !mayOffer('completion', URI, cursor(0, 0, { activeUri: 'untitled:Untitled-1' }), true),
      'shown, but not the active editor',
    );
    assert.ok(!mayOffer('codeAction', URI, { focused: true }, true), 'no active editor');
    assert.ok(mayOffer('codeLens', URI, cursor(0, 0, { activeUri: 'untitled:x' }), true));
    assert.ok(!mayOffer('codeLens', URI, cursor(0, 0), false), 'a lens of a hidden document');
  });

  it('inserts only with the cursor where accepting the completion leaves it: at the placeholder, nothing selected', () => {
    assert.equal(
      refusal(ClientCommands.insertToken, completion, insert, cursor(1, 33)),
      undefined,
      'right after it (a real accept)',
    );
    assert.equal(refusal(ClientCommands.insertToken, completion, insert, cursor(1, 22)), undefined, 'at its start');
    assert.match(
      refusal(ClientCommands.insertToken, completion, insert, cursor(0, 0)) ?? '',
      /cursor is not at the placeholder/,
    );
    assert.match(
      refusal(ClientCommands.insertToken, completion, insert, cursor(1, 34)) ?? '',
      /cursor is not at the placeholder/,
    );
    assert.match(
      refusal(ClientCommands.insertToken, completion, insert, cursor(2, 30)) ?? '',
      /cursor is not at the placeholder/,
    );
    const selected: Presence = { focused: true, activeUri: URI, selection: { ...range(1, 0, 33), active: at(1, 33) } };
    assert.match(
      refusal(ClientCommands.insertToken, completion, insert, selected) ?? '',
      /cursor/,
      'a selection is not what an accept leaves',
    );
    assert.match(
      refusal(ClientCommands.insertToken, completion, { uri: URI }, cursor(1, 33)) ?? '',
      /names no placeholder/,
    );
  });

  it('refuses everything in an unfocused window or on another editor, whatever the cursor', () => {
    for (const [command, bound, args] of [
      [ClientCommands.insertToken, completion, insert],
      [ClientCommands.replaceToken, fix, { uri: URI, range: PLACEHOLDER, fingerprint: 'f' }],
      [ClientCommands.revokeTokenByFingerprint, fix, { fingerprint: 'f', uri: URI }],
      [ClientCommands.replaceToken, lens, { uri: URI, range: PLACEHOLDER, fingerprint: 'f' }],
    ] as const) {
      assert.equal(
        refusal(command, bound, args, cursor(1, 25, { focused: false })),
        'the window is not focused',
        `${command} from ${bound.source}`,
      );
      if (bound.source !== 'codeLens') {
        assert.equal(
          refusal(command, bound, args, cursor(1, 25, { activeUri: 'untitled:Untitled-1' })),
          'its document is not the active editor',
        );
        assert.equal(
          refusal(command, bound, args, { focused: true, activeUri: URI }),
          'no cursor in the active editor',
        );
      }
    }
  });

  it('replaces only with the cursor or selection on the token; "replace all" only where the quick fix was asked', () => {
    const replace = { uri: URI, range: range(1, 22, 60), fingerprint: 'f' };
    assert.equal(refusal(ClientCommands.replaceToken, fix, replace, cursor(1, 40)), undefined);
    assert.equal(refusal(ClientCommands.replaceToken, fix, replace, cursor(1, 60)), undefined, 'right after its end');
    const across: Presence = {
      focused: true,
      activeUri: URI,
      selection: { start: at(0, 0), end: at(1, 23), active: at(1, 23) },
    };
    assert.equal(refusal(ClientCommands.replaceToken, fix, replace, across), undefined, 'a selection reaching into it');
    assert.match(refusal(ClientCommands.replaceToken, fix, replace, cursor(1, 10)) ?? '', /not on the token/);
    assert.match(refusal(ClientCommands.replaceToken, fix, replace, cursor(0, 40)) ?? '', /not on the token/);
    assert.equal(refusal(ClientCommands.replaceStaleTokens, fix, { uri: URI }, cursor(1, 25)), undefined);
    assert.match(
      refusal(ClientCommands.replaceStaleTokens, fix, { uri: URI }, cursor(3, 0)) ?? '',
      /not where the quick fix was offered/,
    );
    assert.match(
      refusal(ClientCommands.replaceStaleTokens, { uri: URI, source: 'codeAction' }, { uri: URI }, cursor(1, 25)) ?? '',
      /not where/,
    );
  });

  it('removes a token sent to another origin only with the cursor on it (the header line alone is not enough)', () => {
    const remove = { uri: URI, range: range(1, 22, 60), remove: { start: at(1, 0), end: at(2, 0) }, fingerprint: 'f' };
    assert.equal(refusal(ClientCommands.removeToken, fix, remove, cursor(1, 30)), undefined);
    assert.match(refusal(ClientCommands.removeToken, fix, remove, cursor(1, 5)) ?? '', /not on the token/);
    assert.match(refusal(ClientCommands.removeToken, fix, remove, cursor(2, 0)) ?? '', /not on the token/);
  });

  it('a lens needs only the focused window (its command asks in a modal dialog); revoke and move need no cursor', () => {
    assert.equal(
      refusal(
        ClientCommands.replaceToken,
        lens,
        { uri: URI, range: PLACEHOLDER, fingerprint: 'f' },
        cursor(9, 0, { activeUri: 'other' }),
      ),
      undefined,
    );
    assert.equal(
      refusal(ClientCommands.revokeTokenByFingerprint, fix, { fingerprint: 'f', uri: URI }, cursor(9, 0)),
      undefined,
    );
    assert.equal(
      refusal(ClientCommands.moveTokenToEnv, fix, { uri: URI, range: PLACEHOLDER }, cursor(9, 0)),
      undefined,
    );
  });
});
