// The server's own editable document against vscode-languageserver-textdocument as the oracle:
// same text, same offsets and positions after random incremental edits (CRLF and clamped positions included).
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { EditableDocument } from '../../server/src/textDocument';

function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ['', 'a', 'xyz', '\n', '\r\n', 'one\ntwo\n', '\n\n\n', 'tail'];

describe('parse: editable document', () => {
  it('matches vscode-languageserver-textdocument over 1,000 random edits', () => {
    const random = rng(7);
    const start = 'GET http://x\r\nAuthorization: Bearer t\r\n\r\n{}\n';
    const mine = new EditableDocument('file:///a.http', 1, start);
    const oracle = TextDocument.create('file:///a.http', 'http', 1, start);
    for (let step = 0; step < 1000; step++) {
      const lines = oracle.lineCount;
      // Positions may point past a line's end or past the last line: both sides must clamp alike.
      const p = () => ({ line: Math.floor(random() * (lines + 1)), character: Math.floor(random() * 20) });
      let a = p();
      let b = p();
      if (oracle.offsetAt(b) < oracle.offsetAt(a)) [a, b] = [b, a];
      const text = PIECES[Math.floor(random() * PIECES.length)]!;
      const change = { range: { start: a, end: b }, text };
      TextDocument.update(oracle, [change], step + 2);
      mine.update([change], step + 2);
      assert.equal(mine.getText(), oracle.getText(), `text after step ${step}`);
      assert.equal(mine.lineCount, oracle.lineCount, `line count after step ${step}`);
      const q = p();
      assert.equal(mine.offsetAt(q), oracle.offsetAt(q), `offsetAt after step ${step}`);
      const o = Math.floor(random() * (oracle.getText().length + 2));
      assert.deepEqual(mine.positionAt(o), oracle.positionAt(o), `positionAt after step ${step}`);
    }
  });

  it('replaces the whole text on a change without a range', () => {
    const doc = new EditableDocument('file:///a.http', 1, 'a\nb');
    doc.update([{ text: 'x\ny\nz' }], 2);
    assert.equal(doc.lineCount, 3);
    assert.equal(doc.getText({ start: { line: 1, character: 0 }, end: { line: 2, character: 0 } }), 'y\n');
    assert.equal(doc.version, 2);
  });
});
