// The streamed token scanner: fed in chunks cut anywhere (a token, a `\r\n` or a multi-byte character split across
// two chunks), it finds exactly what the whole-text scan finds, at the same line and character; and a line longer
// than its bound is cut as the whole-text scan cuts it, holding no more than the bound.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { LineStream } from '@shared/scan/lineStream';
import { StreamScanner, type TextFinding } from '@shared/scan/streamScan';
import { scanText } from '@shared/scan/textScan';
import { makeJwt } from '../support/jwt';

const JWT = makeJwt({ jti: 'tok_st_stream1', exp: 2_000_000_000 }, { alg: 'ES256' });
const LONG = `lt_${'9f'.repeat(20)}`;
const pieces = fc.constantFrom(
  JWT,
  LONG,
  ' ',
  '\n',
  '\r\n',
  'Bearer ',
  'x',
  'é',
  '😀',
  'eyJ',
  'lt_',
  '.',
  'key=',
  '"',
  JWT.slice(0, 30),
);

function streamed(text: string, cuts: number[], maxLine?: number): TextFinding[] {
  const out: TextFinding[] = [];
  const scanner = new StreamScanner((found) => out.push(...found), Number.POSITIVE_INFINITY, maxLine);
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    scanner.push(text.slice(at, Math.max(at, cut)));
    at = Math.max(at, cut);
  }
  scanner.push(text.slice(at));
  scanner.end();
  return out;
}

const whole = (text: string) =>
  scanText('file:///x', text, Number.POSITIVE_INFINITY).map((f) => ({
    line: f.range.start.line,
    character: f.range.start.character,
    endCharacter: f.range.end.character,
    fingerprint: f.fingerprint,
  }));
const brief = (fs: TextFinding[]) =>
  fs.map((f) => ({ line: f.line, character: f.character, endCharacter: f.endCharacter, fingerprint: f.fingerprint }));

describe('leak scan: the streamed scanner', () => {
  it('finds what the whole-text scan finds, however the text is cut into chunks', () => {
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 8 }), (parts, rawCuts) => {
        const text = parts.join('');
        const cuts = rawCuts.map((c) => (text.length === 0 ? 0 : c % (text.length + 1)));
        assert.deepEqual(brief(streamed(text, cuts)), whole(text));
      }),
      { numRuns: 500 },
    );
  });

  it('a token cut in the middle by a chunk boundary is found whole', () => {
    const text = `GET /\nAuthorization: Bearer ${JWT}\n`;
    const mid = text.indexOf(JWT) + 17;
    const found = streamed(text, [mid]);
    assert.equal(found.length, 1);
    assert.deepEqual(
      { line: found[0]!.line, character: found[0]!.character, end: found[0]!.endCharacter },
      { line: 1, character: 22, end: 22 + JWT.length },
    );
  });

  it('a line longer than the bound keeps only the bound (as the whole-text scan reads it)', () => {
    const lines: string[] = [];
    const stream = new LineStream((t) => lines.push(t), 10);
    let most = 0;
    for (const chunk of ['abc', 'defghijklmnop', 'qrs\r', '\nshort\r\n', 'x'.repeat(50)]) {
      stream.push(chunk);
      most = Math.max(most, stream.held);
    }
    stream.end();
    assert.deepEqual(lines, ['abcdefghij', 'short', 'x'.repeat(10)]);
    assert.ok(most <= 11, `held ${most} characters`);
  });
});
