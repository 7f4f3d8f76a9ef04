// The document cache's incremental path must give exactly what a full parse of the new text gives.
// Deterministic pseudo-random single-range edits (inserting and deleting `###` lines, tokens, newlines, blank lines).
import assert from 'node:assert/strict';
import { AnalysedDocument, analyseText, type Analysis } from '../../server/src/analysis';
import { diagnostics } from '../../server/src/features/diagnostics';
import { emptySnapshot } from '../../server/src/tokenStateStore';
import { makeJwt } from '../support/jwt';

const jwt = makeJwt({ sub: 'a', exp: 2_000_000_000 });

function shape(a: Analysis): unknown {
  return a.blocks.map((b) => ({
    startLine: b.startLine,
    startOffset: b.startOffset,
    lineCount: b.lineCount,
    requestLine: b.requestLine,
    headersEnd: b.headersEnd,
    tokens: b.tokens.map((t) => [t.line, t.start, t.end, t.offset, t.kind, t.context]),
  }));
}

/** Mulberry32: a small seeded generator, so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sample(requests: number): string {
  const out: string[] = ['@host = http://x', ''];
  for (let i = 0; i < requests; i++) {
    out.push(`### r${i}`, `GET {{host}}/${i}`, `Authorization: Bearer ${jwt}`, 'Accept: */*', '', `{"n": ${i}}`, '');
  }
  return out.join('\n');
}

const PIECES = [
  '###',
  '### named\n',
  '\n',
  '\n\n',
  'GET http://y\n',
  `Authorization: Bearer ${jwt}\n`,
  jwt,
  'x',
  '',
  '# @name n\n',
  '\r\n',
];

describe('parse: incremental updates', () => {
  it('matches a full re-parse after 400 random single-range edits', () => {
    const random = rng(42);
    const doc = AnalysedDocument.open('file:///a.http', 1, sample(12), 'request');
    let incremental = 0;
    for (let step = 0; step < 400; step++) {
      const text = doc.document.getText();
      const a = Math.floor(random() * (text.length + 1));
      const len = random() < 0.5 ? 0 : Math.floor(random() * 40);
      const b = Math.min(text.length, a + len);
      const insert = PIECES[Math.floor(random() * PIECES.length)]!;
      doc.update(
        [{ range: { start: doc.document.positionAt(a), end: doc.document.positionAt(b) }, text: insert }],
        step + 2,
      );
      if (doc.lastUpdate === 'incremental') incremental++;
      const expected = analyseText('file:///a.http', 'request', doc.document.getText());
      assert.deepEqual(shape(doc.analysis), shape(expected), `step ${step}`);
      assert.equal(doc.analysis.tokenCount, expected.tokenCount);
    }
    assert.equal(incremental, 400, 'every single-range edit took the incremental path');
  });

  it('diagnostics after each edit equal those of a fresh analysis (blocks that only moved reuse theirs, shifted)', () => {
    const expired = makeJwt({ sub: 'old', exp: 1_000_000_000 });
    const random = rng(7);
    const now = 1_500_000_000_000;
    const text = sample(30).replace(/Accept: \*\/\*/g, (_, at: number) =>
      at % 3 === 0 ? `X-Old: ${expired}` : 'Accept: */*',
    );
    const doc = AnalysedDocument.open('file:///a.http', 1, text, 'request');
    const first = diagnostics(doc.analysis, emptySnapshot, now).items;
    assert.ok(first.length > 3, 'the sample has expired tokens');
    let moved = 0;
    for (let step = 0; step < 200; step++) {
      const current = doc.document.getText();
      const a = Math.floor(random() * (current.length + 1));
      const b = Math.min(current.length, a + (random() < 0.7 ? 0 : Math.floor(random() * 20)));
      const insert = ['\n', '\n\n', 'x', '', `X-Old: ${expired}\n`, '###\n'][Math.floor(random() * 6)]!;
      doc.update(
        [{ range: { start: doc.document.positionAt(a), end: doc.document.positionAt(b) }, text: insert }],
        step + 2,
      );
      const got = diagnostics(doc.analysis, emptySnapshot, now).items;
      const expected = diagnostics(
        analyseText('file:///a.http', 'request', doc.document.getText()),
        emptySnapshot,
        now,
      ).items;
      assert.deepEqual(got, expected, `step ${step}`);
      if (insert.includes('\n') && got.length > 0) moved++;
    }
    assert.ok(moved > 20, 'edits moved blocks that hold diagnostics');
  });

  it('re-parses only the touched request: untouched blocks are the same objects', () => {
    const doc = AnalysedDocument.open('file:///a.http', 1, sample(1000), 'request');
    const before = doc.analysis.blocks;
    const target = before[500]!;
    const line = target.startLine + 1;
    doc.update([{ range: { start: { line, character: 3 }, end: { line, character: 3 } }, text: 'x' }], 2);
    const after = doc.analysis.blocks;
    assert.equal(doc.lastUpdate, 'incremental');
    assert.equal(after.length, before.length);
    assert.equal(after[499], before[499]);
    assert.equal(after[502], before[502]);
    assert.notEqual(after[500], target);
  });

  it('falls back to a full parse for several ranges at once and for a whole-text change', () => {
    const doc = AnalysedDocument.open('file:///a.http', 1, sample(3), 'request');
    doc.update(
      [
        { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'a' },
        { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: 'b' },
      ],
      2,
    );
    assert.equal(doc.lastUpdate, 'full');
    doc.update([{ text: sample(2) }], 3);
    assert.equal(doc.lastUpdate, 'full');
    assert.deepEqual(shape(doc.analysis), shape(analyseText('file:///a.http', 'request', sample(2))));
  });
});
