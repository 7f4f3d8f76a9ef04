// The analysis hot path has fast forms (bench figure 1): a sticky regex for base64url runs, latin1 payload decoding for
// the two claims classification needs, and date formatting by arithmetic. Each must agree with its plain reference on
// every input, so each is checked against it on a seeded stream of ordinary, edge and hostile inputs.
import assert from 'node:assert/strict';
import { absolute } from '../../server/src/features/time';
import { claimTimesAt, decodeSegment } from '../../server/src/parse/jwtDecode';
import { analyseText } from '../../server/src/analysis';
import { MAX_LINE_SCAN } from '../../server/src/parse/limits';
import { isB64Url, runEnd, TokenScanner, type TokenSpan } from '@shared/tokens/grammar';

/** Deterministic PRNG (mulberry32): the same cases on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function isoReference(at: number): string {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return 'invalid date';
  const iso = d.toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

/** What claimTimesAt must equal: UTF-8 decoding and JSON.parse through decodeSegment. */
function claimsReference(token: string): { expiresAt: number | null; issuedAt: number | null } {
  const d1 = token.indexOf('.');
  const d2 = d1 === -1 ? -1 : token.indexOf('.', d1 + 1);
  const payload = d1 === -1 || d2 === -1 ? undefined : decodeSegment(token.slice(d1 + 1, d2));
  const ms = (v: unknown): number | null =>
    typeof v === 'number' && Number.isFinite(v) && Number.isFinite(v * 1000) ? v * 1000 : null;
  return payload ? { expiresAt: ms(payload.exp), issuedAt: ms(payload.iat) } : { expiresAt: null, issuedAt: null };
}

const b64 = (s: string | Buffer): string => (typeof s === 'string' ? Buffer.from(s, 'utf8') : s).toString('base64url');

describe('fast paths agree with their references', () => {
  it('absolute() formats like Date#toISOString (without .000) over edge and random times', () => {
    const random = prng(1);
    const cases = [
      0,
      -1,
      1,
      999,
      1000,
      1.5,
      -1.5,
      2.999,
      86_399_999,
      86_400_000,
      -86_400_000,
      -86_400_000.5,
      8.64e15,
      8.64e15 + 1,
    ];
    cases.push(
      -8.64e15,
      253_402_300_799_999,
      253_402_300_800_000,
      -62_167_219_200_000,
      -62_167_219_200_001,
      Number.NaN,
      Infinity,
      -Infinity,
    );
    for (let i = 0; i < 20_000; i++)
      cases.push(Math.floor((random() - 0.5) * 2 * 8.64e15 * (random() < 0.5 ? 1e-4 : 1)));
    for (const at of cases) assert.equal(absolute(at), isoReference(at), `at ${at}`);
  });

  it('claimTimesAt() reads exp and iat like a UTF-8 JSON.parse of the payload, whatever the payload holds', () => {
    const random = prng(2);
    const payloads: (string | Buffer)[] = [
      '{"exp":1790000000,"iat":1789990000}',
      '{"exp":"1790000000"}',
      '{"exp":1e309}',
      '{"exp":-5,"iat":0.5}',
      '{"exp":1,"exp":2}',
      '{"\\u0065xp":17}',
      '{"n":"é€😀","exp":3}',
      ' {"exp":4} ',
      '[{"exp":5}]',
      'null',
      '{"exp":6',
      '{"exp":7}x',
      '{"a":{"exp":8}}',
      '',
      Buffer.from([
        0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x22, 0x2c, 0x22, 0x65, 0x78, 0x70, 0x22, 0x3a, 0x39,
        0x7d,
      ]),
      Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from('{"exp":10}')]),
      Buffer.from([
        0x7b, 0x22, 0x65, 0x78, 0x70, 0x22, 0x3a, 0x31, 0x31, 0x2c, 0x22, 0xc0, 0xa2, 0x22, 0x3a, 0x31, 0x7d,
      ]),
    ];
    const pieces = [
      '{',
      '}',
      '"exp"',
      '"iat"',
      ':',
      ',',
      '1790000000',
      '-2.5e3',
      '"x"',
      '"\\"',
      '\u00e9',
      '[',
      ']',
      'true',
      'null',
      ' ',
      '\\u0065',
    ];
    for (let i = 0; i < 3_000; i++) {
      let s = '';
      const n = 1 + Math.floor(random() * 12);
      for (let k = 0; k < n; k++) s += pieces[Math.floor(random() * pieces.length)];
      payloads.push(random() < 0.3 ? `{"exp":${Math.floor(random() * 2e9)},${s}}` : s);
      const bytes = Buffer.alloc(1 + Math.floor(random() * 40));
      for (let k = 0; k < bytes.length; k++) bytes[k] = Math.floor(random() * 256);
      payloads.push(bytes);
    }
    const header = b64('{"alg":"HS256"}');
    for (const p of payloads) {
      const token = `${header}.${b64(p)}.sig`;
      const text = `Authorization: Bearer ${token}\n`;
      const at = text.indexOf(header);
      assert.deepEqual(
        { ...claimTimesAt(text, at, at + token.length) },
        claimsReference(token),
        `payload ${JSON.stringify(p.toString())}`,
      );
    }
  });

  it('runEnd() (a sticky regex) ends where a character-by-character scan ends, at every start and limit', () => {
    const random = prng(3);
    const alphabet = 'eyJ.abcXYZ019-_ .\n=é';
    const texts = ['', 'eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.sig', 'abc\ndef', 'é-_'];
    for (let i = 0; i < 500; i++) {
      let s = '';
      const n = Math.floor(random() * 60);
      for (let k = 0; k < n; k++) s += alphabet[Math.floor(random() * alphabet.length)];
      texts.push(s);
    }
    for (const text of texts) {
      for (let from = 0; from <= text.length; from++) {
        for (const limit of [text.length, from, from + 1, from + Math.floor((text.length - from) / 2)]) {
          if (limit > text.length) continue;
          let end = from;
          while (end < limit && isB64Url(text.charCodeAt(end))) end++;
          assert.equal(
            runEnd(text, from, limit),
            Math.max(end, Math.min(from, limit)),
            `${JSON.stringify(text)} from ${from} limit ${limit}`,
          );
        }
      }
    }
  });
});

describe('parsers skip lines before the next token candidate: same findings as scanning every line', () => {
  const jwt = `${b64('{"alg":"HS256"}')}.${b64('{"exp":1790000000}')}.c2lnbmF0dXJl`;
  const pieces = [
    '###',
    '### name',
    'GET http://x/a',
    'Authorization: Bearer ',
    jwt,
    'lt_0123456789abcdef0123',
    'x-eyJ',
    'eyJ',
    ' ',
    '',
    '#',
    '@v = ',
    'K=',
    '\r',
    '{"t":"',
    'xeyJabc.def.ghi',
  ];

  /** Every token of every line, by a scanner asked on each line in turn (what the parsers did before the skip). */
  function everyLine(text: string): string[] {
    const out: string[] = [];
    const scanner = new TokenScanner(text);
    const hits: TokenSpan[] = [];
    let line = 0;
    for (let start = 0; start <= text.length; line++) {
      let next = text.indexOf('\n', start);
      if (next === -1) next = text.length;
      const end = next > start && text.charCodeAt(next - 1) === 13 ? next - 1 : next;
      hits.length = 0;
      scanner.scanLine(start, end, MAX_LINE_SCAN, Number.MAX_SAFE_INTEGER, hits);
      for (const h of hits) out.push(`${line}:${h.start - start}-${h.end - start}:${h.kind}`);
      start = next + 1;
    }
    return out;
  }

  function parsed(text: string, kind: 'request' | 'env'): string[] {
    const a = analyseText('file:///a', kind, text);
    return a.blocks.flatMap((b) => b.tokens.map((t) => `${b.startLine + t.line}:${t.start}-${t.end}:${t.kind}`));
  }

  it('request and env files of random lines, tokens, CRLF and blanks', () => {
    const random = prng(4);
    for (let i = 0; i < 1_500; i++) {
      const lines: string[] = [];
      const n = Math.floor(random() * 14);
      for (let k = 0; k < n; k++) {
        let line = '';
        const parts = Math.floor(random() * 4);
        for (let p = 0; p < parts; p++) line += pieces[Math.floor(random() * pieces.length)];
        lines.push(line);
      }
      const text = lines.join(random() < 0.3 ? '\r\n' : '\n') + (random() < 0.5 ? '\n' : '');
      assert.deepEqual(parsed(text, 'request'), everyLine(text), JSON.stringify(text));
      assert.deepEqual(parsed(text, 'env'), everyLine(text), JSON.stringify(text));
    }
  });
});
