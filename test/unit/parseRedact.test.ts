// Stand-ins: what the client syncs instead of a token's secret part. Same length (positions hold), the fingerprint
// inside (the server still recognises the token), nothing of the signature or opaque body, linear on hostile text.
import assert from 'node:assert/strict';
import { redactTokens, standInFingerprint, standInFor, tokenFingerprint } from '../../server/src/protocol';
import { makeJwt, makeLongTerm } from '../server/jwt';

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

  it('finishes on 15 MB of `eyJ` without dots and on 100k tokens', () => {
    const hostile = 'eyJ'.repeat(5 * 1024 * 1024);
    assert.equal(redactTokens(hostile), hostile);
    const many = `${jwt}\n`.repeat(100_000);
    const red = redactTokens(many);
    assert.equal(red.length, many.length);
    assert.ok(!red.includes(jwt));
  });
});
