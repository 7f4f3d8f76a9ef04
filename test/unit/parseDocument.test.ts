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

describe('parse: editable document line index', () => {
  /** Line count, each line's start (via offsetAt) and a position round trip, against the oracle. */
  function same(mine: EditableDocument, oracle: TextDocument, label: string): void {
    assert.equal(mine.getText(), oracle.getText(), `${label}: text`);
    assert.equal(mine.lineCount, oracle.lineCount, `${label}: line count`);
    for (let line = 0; line <= oracle.lineCount; line++) {
      for (const character of [0, 1, 1000]) {
        assert.equal(
          mine.offsetAt({ line, character }),
          oracle.offsetAt({ line, character }),
          `${label}: offsetAt ${line}:${character}`,
        );
      }
    }
    for (let offset = 0; offset <= oracle.getText().length + 1; offset++) {
      assert.deepEqual(mine.positionAt(offset), oracle.positionAt(offset), `${label}: positionAt ${offset}`);
    }
  }

  function pair(text: string): [EditableDocument, TextDocument] {
    return [new EditableDocument('file:///a.http', 1, text), TextDocument.create('file:///a.http', 'http', 1, text)];
  }

  function edit(
    docs: [EditableDocument, TextDocument],
    start: { line: number; character: number },
    end: { line: number; character: number },
    text: string,
  ): void {
    const change = { range: { start, end }, text };
    docs[0].update([change], docs[0].version + 1);
    TextDocument.update(docs[1], [change], docs[1].version + 1);
  }

  const CRLF = 'GET http://x\r\nAuthorization: Bearer t\r\n\r\n{}\r\n';

  it('multi-line inserts and deletes at the start and the end, with CRLF', () => {
    const docs = pair(CRLF);
    edit(docs, { line: 0, character: 0 }, { line: 0, character: 0 }, '### a\r\n### b\r\n');
    same(...docs, 'insert at start');
    const last = docs[1].lineCount - 1;
    edit(docs, { line: last, character: 0 }, { line: last, character: 0 }, 'x\r\ny\r\nz');
    same(...docs, 'insert at end');
    edit(docs, { line: 0, character: 0 }, { line: 2, character: 0 }, '');
    same(...docs, 'delete at start');
    edit(docs, { line: 3, character: 2 }, { line: docs[1].lineCount, character: 0 }, '');
    same(...docs, 'delete to end');
    // Replacing the middle of a CRLF pair's line ends: a line break split and joined again.
    edit(docs, { line: 0, character: 12 }, { line: 1, character: 0 }, '\n\r\n');
    same(...docs, 'line ends replaced');
  });

  it('keeps line starts through growth past its capacity and a shrink after a big deletion', () => {
    const docs = pair('a\nb\n');
    const block = 'line\r\n'.repeat(500);
    for (let k = 0; k < 4; k++) {
      edit(docs, { line: 1, character: 0 }, { line: 1, character: 0 }, block);
      same(...docs, `grow ${k}`);
    }
    edit(docs, { line: 1, character: 2 }, { line: docs[1].lineCount - 2, character: 1 }, 'x\ny');
    same(...docs, 'shrink');
    edit(docs, { line: 0, character: 0 }, { line: 0, character: 0 }, block);
    same(...docs, 'grow again');
  });

  it('shifts the lines below a one-character edit and leaves those above alone', () => {
    const docs = pair('one\ntwo\r\nthree\nfour\n');
    edit(docs, { line: 1, character: 1 }, { line: 1, character: 1 }, 'x');
    same(...docs, 'insert');
    edit(docs, { line: 2, character: 0 }, { line: 2, character: 1 }, '');
    same(...docs, 'delete');
  });
});
