// The values the extension holds (opaque long-term tokens, short-term tokens, client secrets) never reach the language
// server or a log line in any spelling, whatever their shape: as they are, percent-encoded (dots as %2E, or every
// character), JSON-escaped, inside base64. Towards the server every offset is kept (same length, nothing else moves).
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { heldSpans } from '../../client/src/api/heldSecrets';
import { redact, useHeldSecrets } from '../../client/src/api/redact';
import { HeldMemory } from '../../client/src/lsp/heldMemory';
import { serverText } from '../../client/src/lsp/serverText';
import { tokenFingerprint } from '@shared/tokens/fingerprint';
import { TokenScanner } from '@shared/tokens/grammar';
import { redactTokens } from '@shared/tokens/redactTokens';
import { standInFingerprint } from '@shared/tokens/standIns';

/** Every spelling a reader could decode the text through: %XX, \uXXXX and JSON's \" \/ \\ undone (independent of the code). */
function decoded(text: string): string {
  return text
    .replace(/%([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/\\u([0-9A-Fa-f]{4})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/\\(["/\\])/g, '$1');
}

const OPAQUE = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** An opaque value: no shape the grammar knows (no `lt_`, no dots), 16 to 64 characters. */
const opaque = fc
  .string({ unit: fc.constantFrom(...OPAQUE), minLength: 16, maxLength: 64 })
  .filter((v) => !v.includes('eyJ'));
/** A client secret may hold anything printable. */
const secret = fc.string({ unit: fc.constantFrom(...`${OPAQUE}./"\\&=+:%~ -_`), minLength: 12, maxLength: 40 });

type Spelling = 'raw' | 'percentAll' | 'percentSome' | 'json' | 'basic';

/** One spelling of `value`; `pick` chooses which characters get percent-encoded for 'percentSome'. */
function spell(value: string, how: Spelling, pick: readonly boolean[]): string {
  const pct = (c: string) =>
    [...Buffer.from(c)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  switch (how) {
    case 'raw':
      return value;
    case 'percentAll':
      return [...value].map(pct).join('');
    case 'percentSome':
      return [...value].map((c, i) => (pick[i % pick.length] ? pct(c) : c)).join('');
    case 'json':
      return JSON.stringify(value).slice(1, -1).replace(/\//g, '\\/');
    case 'basic':
      return Buffer.from(`c2m_client:${value}`).toString('base64');
  }
}

/** Text around the values: separators, escapes, other tokens' starts, anything. */
const around = fc
  .array(
    fc.oneof(
      fc.constantFrom(' ', '\n', '=', '?t=', '%', '%2E', '\\', '"', 'Bearer ', 'lt_', 'eyJ', '.', '_'),
      fc.string({ maxLength: 10 }),
    ),
    { maxLength: 5 },
  )
  .map((parts) => parts.join(''));

const planted = fc.tuple(
  fc.oneof(opaque, secret),
  fc.constantFrom<Spelling>('raw', 'percentAll', 'percentSome', 'json', 'basic'),
  fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
);

const document = fc.array(fc.tuple(around, planted), { minLength: 1, maxLength: 4 }).chain((pairs) =>
  around.map((tail) => {
    let text = '';
    const spans: { start: number; end: number; value: string; how: Spelling }[] = [];
    for (const [before, [value, how, pick]] of pairs) {
      text += before;
      const spelled = spell(value, how, pick);
      spans.push({ start: text.length, end: text.length + spelled.length, value, how });
      text += spelled;
    }
    return { text: text + tail, spans };
  }),
);

describe('held values: redacted before the language server in any spelling (property-based)', () => {
  it('the text sent never holds a held value, decoded or not, and keeps every offset: outside them, nothing but shape redaction changed', () => {
    fc.assert(
      fc.property(document, fc.boolean(), ({ text, spans }, asTokens) => {
        const values = [...new Set(spans.map((s) => s.value))];
        const held = asTokens ? { tokens: values, secrets: [] } : { tokens: [], secrets: values };
        const sent = serverText(text, held, heldSpans);
        assert.equal(sent.length, text.length, 'same length');
        for (const v of values) {
          assert.ok(
            !sent.includes(v) && !decoded(sent).includes(v),
            `${JSON.stringify(v)} sent: ${JSON.stringify(sent)}`,
          );
        }
        for (const s of spans.filter((x) => x.how === 'basic')) {
          assert.ok(!Buffer.from(sent.slice(s.start, s.end), 'base64').toString().includes(s.value), 'inside base64');
        }
        // Only where a held value was planted may the text differ from what shape redaction alone sends, and at most
        // one escape's width (`\\u0061`) around it: a neighbour may complete an escape of its first or last character.
        const shaped = redactTokens(text);
        const inside = (i: number) => spans.some((s) => i >= s.start - 6 && i < s.end + 6);
        for (let i = 0; i < text.length; i++)
          if (!inside(i)) assert.equal(sent[i], shaped[i], `offset ${i} of ${JSON.stringify(text)}`);
      }),
      { numRuns: 1500 },
    );
  });

  it('a held opaque token written as it is becomes a stand-in the server finds and knows by fingerprint', () => {
    fc.assert(
      fc.property(
        opaque.filter((v) => v.length >= 24),
        fc.constantFrom(' ', '\n', '"', '='),
        (value, sep) => {
          const text = `X-Api-Key:${sep}${value}${sep}`;
          const sent = serverText(text, { tokens: [value], secrets: [] }, heldSpans);
          const scanner = new TokenScanner(sent);
          const span = scanner.next(0, sent.length);
          assert.ok(
            span && span.start === text.indexOf(value) && span.end === span.start + value.length,
            JSON.stringify(sent),
          );
          assert.equal(standInFingerprint(sent.slice(span.start, span.end)), tokenFingerprint(value));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('sends a text with no held value in it exactly as shape redaction does', () => {
    fc.assert(
      fc.property(around, opaque, (text, value) => {
        fc.pre(!decoded(text).includes(value) && heldSpans(text, [value]).length === 0);
        assert.equal(serverText(text, { tokens: [value], secrets: [] }, heldSpans), redactTokens(text));
      }),
      { numRuns: 500 },
    );
  });
});

describe('held values: the pieces', () => {
  const TOKEN = 'Q0ffee1234567890abcdefABCDEF';

  it('finds a value as it is, %-encoded in either case, JSON-escaped and in base64/base64url', () => {
    const text = [
      TOKEN,
      encodeURIComponent('a/b"c\\d.efghij'),
      '%51%30ffee1234567890abcdefABCDEF',
      '\\u0051\\u0030ffee1234567890abcdefABCDEF',
      Buffer.from(`id:${TOKEN}`).toString('base64url'),
    ].join(' ');
    const spans = heldSpans(text, [TOKEN, 'a/b"c\\d.efghij']);
    assert.equal(spans.length, 5, JSON.stringify(spans));
    assert.deepEqual(
      spans.map((s) => s.raw),
      [true, false, false, false, false],
    );
  });

  it('skips values shorter than 8 characters (they would match ordinary text)', () => {
    assert.deepEqual(heldSpans('status 1234567 ok', ['1234567']), []);
  });

  it('masks a JWT whose dots are %2E-encoded, towards the server and in logs', () => {
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const jwt = `${b64({ alg: 'HS256' })}.${b64({ sub: 'x', exp: 1 })}.c2lnbmF0dXJlLXNlY3JldC1wYXJ0`;
    const text = `GET https://x.example/?t=${jwt.replaceAll('.', '%2E')}&u=${jwt.replaceAll('.', '%2e')}`;
    const sent = redactTokens(text);
    assert.equal(sent.length, text.length);
    assert.ok(!sent.includes('c2lnbmF0dXJlLXNlY3JldC1wYXJ0'), sent);
    assert.equal(
      sent.split('%').length,
      text.split('%').length,
      'every % stays: the server still finds no token there',
    );
    assert.ok(!redact(text).includes('c2lnbmF0dXJlLXNlY3JldC1wYXJ0'), redact(text));
  });

  it('logs mask every value the extension holds, opaque ones included, until the source is let go', () => {
    const line = `called ?t=${encodeURIComponent(TOKEN)} with ${TOKEN} and ${Buffer.from(`id:${TOKEN}`).toString('base64')}`;
    assert.ok(redact(line).includes(TOKEN), 'an opaque value nobody named passes (no shape matches it)');
    const using = useHeldSecrets(() => [TOKEN]);
    try {
      const out = redact(line);
      assert.ok(!out.includes(TOKEN) && !decoded(out).includes(TOKEN), out);
      assert.ok(!out.includes('UTBmZmVlMTIzNDU2Nzg5MGFiY2RlZkFCQ0RFRg'.slice(2, 20)), out);
    } finally {
      using.dispose();
    }
    assert.ok(redact(line).includes(TOKEN));
  });

  it('remembers token values the engine let go (bounded), and client secrets only while held', () => {
    let now = { tokens: ['tok-aaaaaaaa-1'], secrets: ['secret-aaaaaaa'] };
    const memory = new HeldMemory(() => now, 2);
    assert.deepEqual(memory.current(), now);
    now = { tokens: ['tok-aaaaaaaa-2'], secrets: [] };
    assert.deepEqual(memory.current(), { tokens: ['tok-aaaaaaaa-1', 'tok-aaaaaaaa-2'], secrets: [] });
    now = { tokens: ['tok-aaaaaaaa-3'], secrets: [] };
    assert.deepEqual(
      memory.current().tokens,
      ['tok-aaaaaaaa-2', 'tok-aaaaaaaa-3'],
      'the oldest forgotten past the bound',
    );
  });
});
