// Stand-ins: what the client syncs instead of a token's secret part. Same length (positions hold), the fingerprint
// inside (the server still recognises the token), nothing of the signature or opaque body, linear on hostile text.
import assert from 'node:assert/strict';
import { tokenFingerprint } from '@shared/tokens/fingerprint';
import { redactTokens } from '@shared/tokens/redactTokens';
import { standInFingerprint, standInFor } from '@shared/tokens/standIns';
import { makeJwt, makeLongTerm } from '../support/jwt';

const jwt = makeJwt({ sub: 'a', exp: 2_000_000_000 });
const lt = makeLongTerm('r');

describe('parse: stand-ins for token values', () => {
  it('keeps header, payload and positions; carries the fingerprint; leaves no piece of the signature', () => {
    const text = `GET http://x\nAuthorization: Bearer ${jwt}\nX-Key: ${lt}\n`;
    const red = redactTokens(text);
    assert.equal(red.length, text.length);
    const sig = jwt.slice(jwt.lastIndexOf('.') + 1);
    for (let i = 0; i + 12 <= sig.length; i += 4) assert.ok(!red.includes(sig.slice(i, i + 12)), 'signature piece');
    assert.ok(!red.includes(lt.slice(3, 15)), 'opaque body piece');
    const standIn = red.slice(red.indexOf('eyJ'), red.indexOf('eyJ') + jwt.length);
    assert.ok(standIn.startsWith(jwt.slice(0, jwt.lastIndexOf('.') + 1)), 'header and payload kept');
    assert.equal(standInFingerprint(standIn), tokenFingerprint(jwt));
    const ltStandIn = red.slice(red.indexOf('lt_'), red.indexOf('lt_') + lt.length);
    assert.equal(standInFingerprint(ltStandIn), tokenFingerprint(lt));
  });

  it('is idempotent, leaves text without tokens untouched, and does not mistake a real token for a stand-in', () => {
    const text = `a ${jwt} b`;
    assert.equal(redactTokens(redactTokens(text)), redactTokens(text));
    const plain = 'no tokens here, just eyJ and lt_short';
    assert.equal(redactTokens(plain), plain);
    assert.equal(standInFingerprint(jwt), undefined);
    assert.equal(standInFingerprint(lt), undefined);
  });

  it('blanks a JWE, keeps an unsigned JWT, and blanks a signature too short to carry a fingerprint', () => {
    const jwe = 'eyJhbGciOiJSU0EtT0FFUCJ9.a2V5.aXY.Y2lwaGVy.dGFn';
    assert.equal(standInFor(jwe, 'jwe'), 'eyJhbGciOiJSU0EtT0FFUCJ9.____.___.________.____');
    const unsigned = `${jwt.slice(0, jwt.lastIndexOf('.'))}.`;
    assert.equal(redactTokens(unsigned), unsigned);
    const short = `${jwt.slice(0, jwt.lastIndexOf('.'))}.abcdefgh`;
    assert.ok(redactTokens(short).endsWith('.________'));
  });

  it('replaces a token whatever precedes it: a base64url character, a dotted run, an `lt_` run that swallows a header', () => {
    const sig = jwt.slice(jwt.lastIndexOf('.') + 1);
    for (const before of ['Bearer%20', 'tok_', 'Bearer-', 'x', 'eyJhbGciOiJub25lIn0.', 'lt_0123456789abcdef']) {
      const red = redactTokens(`a ${before}${jwt} b`);
      assert.equal(red.length, before.length + jwt.length + 4);
      assert.ok(!red.includes(sig.slice(0, 12)) && !red.includes(sig.slice(-12)), `signature after ${before}`);
    }
    for (const before of ['-', 'x', 'tok_', 'salt_']) {
      const red = redactTokens(`k=${before}${lt}`);
      assert.ok(!red.includes(lt.slice(3, 15)) && !red.includes(lt.slice(-12)), `body after ${before}`);
    }
  });

  it('keeps a JWT the server sees whole when its payload holds `lt_` and 16 more characters (claims with non-ASCII text)', () => {
    const b64 = (t: string) => Buffer.from(t).toString('base64url');
    // '{"s":"' + three bytes that encode as `lt_w` (not UTF-8: read as U+FFFD, as the server reads them) + 'abc…' + '","exp":…}'
    const payload = `${b64('{"s":"')}lt_w${b64('abcabcabcabc')}${b64('","exp":2000000000}')}`;
    assert.ok(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')), 'the payload is JSON');
    const claims = `${jwt.split('.')[0]}.${payload}.${jwt.split('.')[2]}`;
    const red = redactTokens(`Bearer ${claims}`);
    assert.ok(red.startsWith(`Bearer ${claims.slice(0, claims.lastIndexOf('.') + 1)}`), 'header and payload kept');
    assert.equal(standInFingerprint(red.slice(7)), tokenFingerprint(claims));
  });

  it('finishes on 15 MB of `eyJ` without dots and on 100k tokens', () => {
    const hostile = 'eyJ'.repeat(5 * 1024 * 1024);
    assert.equal(redactTokens(hostile), hostile);
    const many = `${jwt}\n`.repeat(100_000);
    const red = redactTokens(many);
    assert.equal(red.length, many.length);
    assert.ok(!red.includes(jwt));
  });
});
