// The client commands' one-time ids and the placeholder's span followed through edits (pure logic; the in-host
// attacks suite drives both through real VS Code).
import * as assert from 'node:assert/strict';
import { Offers } from '../../client/src/lsp/offers';
import { trackSpan, type OffsetChange } from '../../client/src/lsp/placeholder';
import { createRng } from '../support/prng';

describe('lsp: offers (ids in place of command arguments)', () => {
  const ONCE = { once: true, ttlMs: 120_000 };

  it('gives the arguments back only for the id and command they were offered for; a once id works once', () => {
    const offers = new Offers<string>();
    const id = offers.offer('c2m.lsp.insertToken', { uri: 'file:///a.http' }, 'meta', ONCE);
    assert.equal(offers.take('c2m.lsp.replaceToken', id), undefined, 'another command');
    assert.equal(offers.take('c2m.lsp.insertToken', { uri: 'file:///a.http' }), undefined, 'arguments someone chose');
    assert.equal(offers.take('c2m.lsp.insertToken', `${id}x`), undefined, 'a guessed id');
    assert.deepEqual(offers.take('c2m.lsp.insertToken', id), { args: { uri: 'file:///a.http' }, meta: 'meta' });
    assert.equal(offers.take('c2m.lsp.insertToken', id), undefined, 'used up');
    const lens = offers.offer('c2m.lsp.replaceToken', { uri: 'u' }, 'lens', { once: false, ttlMs: Infinity });
    assert.ok(
      offers.take('c2m.lsp.replaceToken', lens) && offers.take('c2m.lsp.replaceToken', lens),
      'a lens can be clicked again',
    );
  });

  it('an id expires after its time on the injected clock, and is forgotten then', () => {
    let now = 1_000;
    const offers = new Offers<undefined>({ now: () => now });
    const id = offers.offer('c', 'args', undefined, ONCE);
    const lens = offers.offer('c', 'lens', undefined, { once: false, ttlMs: Infinity });
    now += 119_999;
    const kept = offers.offer('c', 'kept', undefined, ONCE);
    now += 1;
    assert.equal(offers.take('c', id), 'expired', 'exactly at its time');
    assert.equal(offers.take('c', id), undefined, 'forgotten once expired');
    assert.deepEqual(offers.take('c', kept), { args: 'kept', meta: undefined });
    now += 365 * 86_400_000;
    assert.deepEqual(offers.take('c', lens), { args: 'lens', meta: undefined }, 'no time limit');
  });

  it('ids are random and unguessable in practice (144 bits), and the oldest offers go beyond the limit', () => {
    const offers = new Offers<undefined>({ limit: 3 });
    const ids = Array.from({ length: 5 }, (_, i) => offers.offer('c', i, undefined, { once: false, ttlMs: 1000 }));
    assert.equal(new Set(ids).size, 5);
    assert.ok(ids.every((id) => /^[\w-]{24}$/.test(id)));
    assert.equal(offers.size, 3);
    assert.equal(offers.take('c', ids[0]), undefined);
    assert.deepEqual(offers.take('c', ids[4]), { args: 4, meta: undefined });
  });
});

describe('lsp: the placeholder span through edits', () => {
  const span = { start: 10, end: 21 };
  const change = (rangeOffset: number, rangeLength: number, text: string): OffsetChange => ({
    rangeOffset,
    rangeLength,
    text,
  });

  it('moves with edits before it, stays for edits after it, is lost when an edit touches it', () => {
    assert.deepEqual(trackSpan(span, [change(0, 0, 'abc')]), { start: 13, end: 24 });
    assert.deepEqual(trackSpan(span, [change(2, 5, '')]), { start: 5, end: 16 });
    assert.deepEqual(trackSpan(span, [change(10, 0, 'x')]), { start: 11, end: 22 }, 'typed right before it');
    assert.deepEqual(trackSpan(span, [change(21, 0, 'x')]), span, 'typed right after it');
    assert.equal(trackSpan(span, [change(12, 1, '')]), undefined, 'inside');
    assert.equal(trackSpan(span, [change(5, 6, '')]), undefined, 'over its start');
    assert.equal(trackSpan(span, [change(10, 11, '<c2m:token>')]), undefined, 'replaced, even by the same text');
  });

  it('agrees with applying the edits to the text: where it survives, the placeholder is at the span (seeded random edits)', () => {
    const PLACEHOLDER = '<c2m:token>';
    const rng = createRng(12);
    const pick = (n: number): number => Math.floor(rng.next() * n);
    const pieces = ['', 'a', 'xy\n', '<', '>', PLACEHOLDER];
    let survived = 0;
    for (let run = 0; run < 2000; run++) {
      let text = 'x'.repeat(pick(20)) + PLACEHOLDER + 'y'.repeat(pick(20));
      let at: { start: number; end: number } | undefined = {
        start: text.indexOf(PLACEHOLDER),
        end: text.indexOf(PLACEHOLDER) + PLACEHOLDER.length,
      };
      for (let i = pick(6); i > 0; i--) {
        const rangeOffset = pick(text.length + 1);
        const rangeLength = Math.min(pick(7), text.length - rangeOffset);
        const insert = pieces[pick(pieces.length)]!;
        text = text.slice(0, rangeOffset) + insert + text.slice(rangeOffset + rangeLength);
        if (at) at = trackSpan(at, [{ rangeOffset, rangeLength, text: insert }]);
      }
      if (at) {
        survived++;
        assert.equal(text.slice(at.start, at.end), PLACEHOLDER, `run ${run}`);
      }
    }
    assert.ok(survived > 500 && survived < 2000, `both outcomes were tried (${survived} of 2000 survived)`);
  });
});
