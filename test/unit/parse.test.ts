// Parser tests with hostile input (the "hostile files" of test/reliability/cases.ts): each must finish, keep its findings capped
// and its ranges right. No timing assertions: bounded structure is what is checked; a quadratic scan would time out.
import assert from 'node:assert/strict';
import { analyseText, docKindOf, type Analysis } from '../../server/src/analysis';
import { decodeJwt, decodeSegment, scopesOf, tokenIdOf } from '../../server/src/parse/jwtDecode';
import { MAX_ANALYSED_CHARS, MAX_FINDINGS } from '../../server/src/parse/limits';
import { parseEnvLine } from '../../server/src/parse/envFile';
import { makeJwt, makeLongTerm } from '../support/jwt';

const jwt = makeJwt({ sub: 'a', exp: 2_000_000_000, jti: 'tok_st_1' });
const lt = makeLongTerm('x');

function found(a: Analysis): { line: number; start: number; end: number; kind: string; context: string }[] {
  return a.blocks.flatMap((b) =>
    b.tokens.map((t) => ({ line: b.startLine + t.line, start: t.start, end: t.end, kind: t.kind, context: t.context })),
  );
}

describe('parse: request files', () => {
  it('splits requests at ### and reads request lines, headers and body', () => {
    const text = [
      '@host = http://x',
      '',
      '### First one',
      'GET {{host}}/a',
      `Authorization: Bearer ${jwt}`,
      '',
      `{"t": "${jwt}"}`,
      '###',
      '# @name second',
      '// comment',
      `POST {{host}}/b?token=${lt}`,
      'authorization : Bearer x',
    ].join('\n');
    const a = analyseText('file:///a.http', 'request', text);
    assert.deepEqual(
      a.blocks.map((b) => [b.startLine, b.lineCount, b.requestLine, b.headersEnd]),
      [
        [0, 2, -1, 2],
        [2, 5, 1, 3],
        [7, 5, 3, 5],
      ],
    );
    assert.deepEqual(found(a), [
      { line: 4, start: 22, end: 22 + jwt.length, kind: 'jwt', context: 'authorization' },
      { line: 6, start: 7, end: 7 + jwt.length, kind: 'jwt', context: 'body' },
      { line: 10, start: 22, end: 22 + lt.length, kind: 'longTerm', context: 'requestLine' },
    ]);
  });

  it('keeps ranges right with CRLF line ends and a BOM', () => {
    const text = `\uFEFFGET http://x\r\nAuthorization: Bearer ${jwt}\r\n\r\n${jwt}\r\n`;
    const a = analyseText('file:///a.http', 'request', text);
    assert.deepEqual(found(a), [
      { line: 1, start: 22, end: 22 + jwt.length, kind: 'jwt', context: 'authorization' },
      { line: 3, start: 0, end: jwt.length, kind: 'jwt', context: 'body' },
    ]);
    assert.equal(a.blocks[0]!.requestLine, 0, 'the BOM does not hide the request line');
  });

  it('counts columns in UTF-16 code units (emoji and wide characters before a token)', () => {
    const text = `GET http://x\nX-Note: 🔑日本 ${jwt}\n`;
    const a = analyseText('file:///a.http', 'request', text);
    const line = text.split('\n')[1]!;
    assert.equal(found(a)[0]!.start, line.indexOf('eyJ'));
  });

  it('survives NUL bytes and UTF-16 input read as text', () => {
    const utf16 = Buffer.from(`GET http://x\nAuthorization: Bearer ${jwt}\n`, 'utf16le').toString('latin1');
    const withNul = `GET http://x\n\u0000\u0000Authorization: Bearer ${jwt}\u0000\n`;
    assert.deepEqual(found(analyseText('file:///a.http', 'request', utf16)), []);
    const f = found(analyseText('file:///b.http', 'request', withNul));
    assert.equal(f.length, 1);
    assert.equal(f[0]!.start, withNul.split('\n')[1]!.indexOf('eyJ'));
  });

  it('finishes on a 10 MB single line, and on 15 MB of `eyJ` without dots', () => {
    const line = 'a'.repeat(10 * 1024 * 1024);
    assert.equal(
      analyseText('file:///a.http', 'request', `GET http://x\nX: ${line}${jwt}`).tokenCount,
      0,
      'beyond the per-line scan cap',
    );
    const eyj = `GET http://x\nAuthorization: Bearer ${'eyJ'.repeat(5 * 1024 * 1024)}\n${jwt}`;
    const a = analyseText('file:///a.http', 'request', eyj);
    assert.equal(a.tokenCount, 1);
    assert.equal(found(a)[0]!.line, 2);
  });

  it('caps findings at MAX_FINDINGS for 100k tokens and says the file was truncated', () => {
    const text = `GET http://x\n\n${`${jwt}\n`.repeat(100_000)}`;
    const a = analyseText('file:///a.http', 'request', text);
    assert.equal(a.tokenCount, MAX_FINDINGS);
    assert.equal(found(a).length, MAX_FINDINGS);
    assert.equal(a.truncated, true);
  });

  it('analyses only the first MAX_ANALYSED_CHARS of a huge file', () => {
    const filler = `${'x'.repeat(1023)}\n`.repeat(MAX_ANALYSED_CHARS / 1024 + 10);
    const a = analyseText('file:///a.http', 'request', `GET http://x\n\n${filler}${jwt}\n`);
    assert.equal(a.truncated, true);
    assert.equal(a.tokenCount, 0);
  });

  it('does not take tokens out of longer words or accept too-short shapes', () => {
    const text = `GET http://x\n\nxeyJabcdefghijk.eyJx.sig salt_0123456789abcdef0123 lt_short eyJ.eyJ.x eyJabcdefghij..sig`;
    assert.deepEqual(found(analyseText('file:///a.http', 'request', text)), []);
  });
});

describe('parse: env files', () => {
  it('reads KEY=VALUE, export, quotes and comments', () => {
    assert.deepEqual(parseEnvLine('export C2M_ACCESS_TOKEN=abc'), {
      keyStart: 7,
      key: 'C2M_ACCESS_TOKEN',
      valueStart: 24,
    });
    assert.deepEqual(parseEnvLine('  KEY = "v"'), { keyStart: 2, key: 'KEY', valueStart: 7 });
    assert.equal(parseEnvLine('# KEY=v'), undefined);
    assert.equal(parseEnvLine('   '), undefined);
    const text = `# ${jwt}\nexport C2M_ACCESS_TOKEN="${jwt}"\nLONG='${lt}' # note\n`;
    assert.deepEqual(found(analyseText('file:///.env', 'env', text)), [
      { line: 0, start: 2, end: 2 + jwt.length, kind: 'jwt', context: 'comment' },
      { line: 1, start: 25, end: 25 + jwt.length, kind: 'jwt', context: 'env' },
      { line: 2, start: 6, end: 6 + lt.length, kind: 'longTerm', context: 'env' },
    ]);
  });

  it('stops at the size cap on a 60 MB env file, keeping the line count', () => {
    const lines = 60 * 1024;
    const text = `A=${'v'.repeat(1021)}\n`.repeat(lines);
    const a = analyseText('file:///.env', 'env', text);
    assert.equal(a.truncated, true);
    assert.equal(a.blocks[0]!.lineCount, lines + 1);
  });

  it('knows env and request files by name first', () => {
    assert.equal(docKindOf('file:///w/.env', 'properties'), 'env');
    assert.equal(docKindOf('file:///w/.env.local', 'shellscript'), 'env');
    assert.equal(docKindOf('file:///w/x.env', 'dotenv'), 'env');
    assert.equal(docKindOf('file:///w/a.rest', 'plaintext'), 'request');
    assert.equal(docKindOf('untitled:Untitled-1', 'http'), 'request');
    assert.equal(docKindOf('file:///w/a.md', 'markdown'), undefined);
    assert.equal(docKindOf('file:///w/%E0%A4%A.http', 'plaintext'), 'request', 'a malformed escape does not throw');
  });
});

describe('parse: JWT decoding never throws', () => {
  it('decodes claims, unverified', () => {
    const d = decodeJwt(makeJwt({ exp: 2_000_000_000, iat: 1_999_999_000, jti: 't1', scope: 'a b' }));
    assert.equal(d.expiresAt, 2_000_000_000_000);
    assert.equal(d.issuedAt, 1_999_999_000_000);
    assert.equal(tokenIdOf(d.payload!), 't1');
    assert.deepEqual(scopesOf(d.payload!), ['a', 'b']);
    assert.deepEqual(d.problems, []);
  });

  it('reports bad base64, bad JSON, JWE, alg none, exp as a string or 1e309', () => {
    assert.deepEqual(decodeJwt('eyJ!!!!.@@@@.x').problems, [
      'header is not base64url-encoded JSON',
      'payload is not base64url-encoded JSON',
    ]);
    assert.equal(decodeSegment(Buffer.from('[1,2]').toString('base64url')), undefined, 'arrays are not claims');
    assert.equal(decodeSegment(Buffer.from('{"a":').toString('base64url')), undefined);
    assert.match(decodeJwt('eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d').problems[0]!, /JWE/);
    const none = decodeJwt(makeJwt({ exp: 1 }, { alg: 'none' }).replace(/\.[^.]*$/, '.'));
    assert.ok(none.problems.some((p) => p.includes('alg "none"')));
    const str = decodeJwt(makeJwt({ exp: '2000000000' }));
    assert.equal(str.expiresAt, undefined);
    assert.ok(str.problems.includes('exp is not a finite number of seconds'));
    const huge = `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from('{"exp":1e309}').toString('base64url')}.s`;
    assert.equal(decodeJwt(huge).expiresAt, undefined);
    assert.equal(decodeJwt('eyJ.x').problems[0], 'not a JWT');
  });

  it('finds a 5-part JWE and an unsigned JWT as tokens', () => {
    const jwe = 'eyJhbGciOiJSU0EtT0FFUCJ9.a2V5.aXY.Y2lwaGVy.dGFn';
    const none = `${makeJwt({ exp: 1 }, { alg: 'none' }).replace(/\.[^.]*$/, '.')}`;
    const a = analyseText('file:///a.http', 'request', `GET http://x\n\n${jwe}\n${none}\n`);
    assert.deepEqual(
      found(a).map((f) => [f.kind, f.end - f.start]),
      [
        ['jwe', jwe.length],
        ['jwt', none.length],
      ],
    );
  });
});
