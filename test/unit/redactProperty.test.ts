// What the client syncs to the language server, for any text around a token: the token's secret part (a JWT's
// signature, an `lt_` token's body) never crosses, whatever character precedes or follows it, and the text keeps its
// length and every character outside the secret parts, so every offset the server reports holds. A token at a word
// start is still found by the server's scanner, with the fingerprint its stand-in carries.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { tokenFingerprint } from '@shared/tokens/fingerprint';
import { TokenScanner, type TokenSpan } from '@shared/tokens/grammar';
import { redactTokens } from '@shared/tokens/redactTokens';
import { standInFingerprint } from '@shared/tokens/standIns';

const B64URL_NO_FILLER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-';
const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

/** Random base64url without `_` (the stand-in's filler), so a secret never coincides with its stand-in by chance. */
const secretChars = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...B64URL_NO_FILLER), minLength: min, maxLength: max });

interface Planted {
  value: string;
  /** Where the secret part starts inside the value. */
  secretAt: number;
}

const jwt: fc.Arbitrary<Planted> = fc
  .record({
    alg: fc.constantFrom('HS256', 'RS256', 'ES256'),
    sub: fc.string({ maxLength: 12 }),
    exp: fc.integer({ min: 0, max: 4_000_000_000 }),
    scope: fc.constantFrom('jobs:read', 'jobs:* tokens:write', ''),
    signature: secretChars(21, 86),
  })
  .map(({ alg, sub, exp, scope, signature }) => {
    const head = `${b64({ alg, typ: 'JWT' })}.${b64({ sub, exp, scope })}.`;
    return { value: head + signature, secretAt: head.length };
  });

const longTerm: fc.Arbitrary<Planted> = secretChars(16, 64).map((body) => ({ value: `lt_${body}`, secretAt: 3 }));

/** What surrounds a token: prefixes that can hide it (%20, tok_, -), word and chain pieces, other token starts, any text. */
const around = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        'Bearer%20',
        'tok_',
        'Bearer-',
        '-',
        'x',
        '_',
        '.',
        ' ',
        '\n',
        '\r\n',
        '"',
        '=',
        ':',
        'eyJ',
        'lt_',
        'Authorization: Bearer ',
        'eyJhbGciOiJIUzI1NiJ9.',
        'lt_0123456789abcdef',
      ),
      secretChars(1, 20),
      fc.string({ maxLength: 8 }),
    ),
    { maxLength: 6 },
  )
  .map((parts) => parts.join(''));

/** Tokens with any text before, between and after them, and where each was planted. */
const document = fc.array(fc.tuple(around, fc.oneof(jwt, longTerm)), { minLength: 1, maxLength: 4 }).chain((pairs) =>
  around.map((tail) => {
    let text = '';
    const planted: (Planted & { at: number })[] = [];
    for (const [before, token] of pairs) {
      text += before;
      planted.push({ ...token, at: text.length });
      text += token.value;
    }
    return { text: text + tail, planted };
  }),
);

/** The spans the server's scanner finds, as it finds them (a whole text, line limits aside). */
function serverSpans(text: string): TokenSpan[] {
  const scanner = new TokenScanner(text);
  const out: TokenSpan[] = [];
  for (let r = scanner.next(0, text.length); r; r = scanner.next(r.end, text.length)) out.push(r);
  return out;
}

describe('redaction before the language server (property-based)', () => {
  it('never syncs a planted token or any 12 characters of its secret part, and keeps every offset', () => {
    fc.assert(
      fc.property(document, ({ text, planted }) => {
        const red = redactTokens(text);
        assert.equal(red.length, text.length, 'same length');
        for (const t of planted) {
          assert.ok(!red.includes(t.value), `token value synced: ${JSON.stringify(text)}`);
          for (let i = t.at + t.secretAt; i + 12 <= t.at + t.value.length; i++) {
            assert.notEqual(
              red.slice(i, i + 12),
              text.slice(i, i + 12),
              `secret piece at ${i} synced: ${JSON.stringify(text)}`,
            );
          }
        }
        // Outside the secret parts of what redaction replaced, nothing moves: every character that changed is a
        // base64url character that became one (dots, separators and line breaks stay where they were).
        for (let i = 0; i < text.length; i++) {
          if (red[i] !== text[i])
            assert.match(`${text[i]}${red[i]}`, /^[\w-]{2}$/, `character ${i} of ${JSON.stringify(text)}`);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('a token at a word start is found where it was, carrying its fingerprint', () => {
    const separated = fc.array(
      fc.tuple(around, fc.constantFrom(' ', '\n', '"', ':', '=', ','), fc.oneof(jwt, longTerm)),
      { minLength: 1, maxLength: 4 },
    );
    fc.assert(
      fc.property(separated, around, (pairs, tail) => {
        let text = '';
        const planted: (Planted & { at: number })[] = [];
        for (const [before, sep, token] of pairs) {
          text += before + sep;
          planted.push({ ...token, at: text.length });
          text += token.value + sep;
        }
        text += tail;
        const spans = serverSpans(redactTokens(text));
        for (const t of planted) {
          const span = spans.find((s) => s.start === t.at);
          assert.ok(span && span.end === t.at + t.value.length, `found at ${t.at}: ${JSON.stringify(text)}`);
          // A secret part shorter than the stand-in's fingerprint is blanked instead (the server knows the span only).
          const fingerprint = t.value.length - t.secretAt >= 21 ? tokenFingerprint(t.value) : undefined;
          assert.equal(standInFingerprint(redactTokens(text).slice(span.start, span.end)), fingerprint);
        }
      }),
      { numRuns: 700 },
    );
  });

  // Two tokens glued into one dotted chain (`…sig1eyJhdr2.…`) are one JWE shape to the sweep, and their secrets
  // overlap what the server reads as another token's claims: there the secrets win. Elsewhere the server's view holds.
  const ended = fc.tuple(around, fc.oneof(jwt, longTerm), fc.constantFrom(' ', '\n', '"', ',', '&'));

  it('the server finds the same spans in the synced text as in the text itself (no dotted chain between tokens)', () => {
    const dotless = (s: string) => s.replaceAll('.', ' ');
    fc.assert(
      fc.property(fc.array(ended, { maxLength: 4 }), around, (pairs, tail) => {
        const text =
          pairs.map(([before, token, after]) => dotless(before) + token.value + after).join('') + dotless(tail);
        const strip = (spans: TokenSpan[]) => spans.map((s) => `${s.start}-${s.end}:${s.kind}`);
        assert.deepEqual(strip(serverSpans(redactTokens(text))), strip(serverSpans(text)), JSON.stringify(text));
      }),
      { numRuns: 700 },
    );
  });

  it('is idempotent on any text around tokens that end their chain', () => {
    fc.assert(
      fc.property(fc.array(ended, { maxLength: 4 }), around, (pairs, tail) => {
        const text = pairs.map(([before, token, after]) => before + token.value + after).join('') + tail;
        const once = redactTokens(text);
        assert.equal(redactTokens(once), once, JSON.stringify(text));
      }),
      { numRuns: 700 },
    );
  });
});
