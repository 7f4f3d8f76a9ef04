// A Leak Scan finding's state decided again as the tokens change: revoked, rotated away (through the window's token
// memory, as the extension feeds it), refreshed away, expired by time; revocation stays final, and the next moment a
// state may change by time alone is said so the view can look again then.
import { strict as assert } from 'node:assert';
import type { TokenInfo } from '../../client/src/core/tokenService';
import { redecide, statusOf, type LeakFinding } from '../../client/src/integrations/leakScan/findingState';
import { TokenMemory } from '../../client/src/lsp/tokenStateSync';

const NOW = 1_800_000_000_000;
const HOUR = 3_600_000;

function token(over: Partial<TokenInfo> & Pick<TokenInfo, 'fingerprint' | 'kind'>): TokenInfo {
  return {
    profileId: 'p',
    tokenId: `tok_${over.fingerprint}`,
    scopes: ['jobs:read'],
    issuedAt: NOW - HOUR,
    expiresAt: NOW + HOUR,
    status: 'valid',
    ...over,
  };
}

function finding(fingerprint: string, known: readonly TokenInfo[], over: Partial<LeakFinding> = {}): LeakFinding {
  const f = {
    uri: 'file:///w/a.http',
    range: { start: { line: 1, character: 22 }, end: { line: 1, character: 80 } },
    shape: 'jwt' as const,
    fingerprint,
    ...over,
  };
  return { ...f, ...statusOf(f, known, NOW), ...over };
}

const state = (f: LeakFinding) => [f.status, f.profileId ?? null, f.kind ?? null];

describe('leak scan: a finding follows its token', () => {
  it('revoked after the scan: active becomes revoked, and the change is said', () => {
    const short = token({ fingerprint: 's1', kind: 'short' });
    const f = finding('s1', [short]);
    assert.deepEqual(state(f), ['active', 'p', 'short']);
    const { changed } = redecide([f], [{ ...short, status: 'revoked' }], NOW);
    assert.equal(changed, true);
    assert.deepEqual(state(f), ['revoked', 'p', 'short']);
  });

  it('rotated: the old long-term token and a short-term token made from it are revoked, by the window memory', () => {
    const memory = new TokenMemory();
    const oldLong = token({ fingerprint: 'l1', kind: 'long', expiresAt: NOW + 30 * 24 * HOUR });
    const short = token({ fingerprint: 's1', kind: 'short' });
    const before = memory.observe([oldLong, short], ['p']);
    const found = [finding('l1', before, { shape: 'longTerm' }), finding('s1', before)];
    assert.deepEqual(found.map(state), [
      ['long-term', 'p', 'long'],
      ['active', 'p', 'short'],
    ]);
    // What the engine lists after the rotation: the new long-term token, and the short-term one as expiring (it is
    // replaced on next use), though the server revoked it with its long-term token.
    const newLong = token({ fingerprint: 'l2', kind: 'long', issuedAt: NOW, expiresAt: NOW + 30 * 24 * HOUR });
    const after = memory.observe([newLong, { ...short, status: 'expiring' }], ['p']);
    assert.equal(redecide(found, after, NOW).changed, true);
    assert.deepEqual(found.map(state), [
      ['revoked', 'p', 'long'],
      ['revoked', 'p', 'short'],
    ]);
  });

  it('a short-term token made from the current long-term token stays active when an older one was revoked', () => {
    const memory = new TokenMemory();
    const oldLong = token({ fingerprint: 'l1', kind: 'long', issuedAt: NOW - 3 * HOUR });
    memory.observe([oldLong], ['p']);
    const newLong = token({ fingerprint: 'l2', kind: 'long', issuedAt: NOW - 2 * HOUR });
    const short = token({ fingerprint: 's2', kind: 'short', issuedAt: NOW - HOUR });
    const known = memory.observe([newLong, short], ['p']);
    assert.equal(known.find((t) => t.fingerprint === 'l1')?.status, 'revoked', 'the old one is remembered revoked');
    assert.deepEqual(state(finding('s2', known)), ['active', 'p', 'short']);
  });

  it('after a reload: a short-term token still held, made from a long-term token rotated away before, is revoked', () => {
    // A new window's memory knows only what the engine holds: the new long-term token, and the stale short-term one.
    const memory = new TokenMemory();
    const short = token({ fingerprint: 's1', kind: 'short', issuedAt: NOW - 2 * HOUR, status: 'expiring' });
    const newLong = token({ fingerprint: 'l2', kind: 'long', issuedAt: NOW - HOUR });
    assert.deepEqual(state(finding('s1', memory.observe([newLong, short], ['p']))), ['revoked', 'p', 'short']);
  });

  it('refreshed away: still ours and working until it expires; then expired, at the moment it says', () => {
    const memory = new TokenMemory();
    const old = token({ fingerprint: 's1', kind: 'short', expiresAt: NOW + HOUR });
    const f = finding('s1', memory.observe([old], ['p']));
    const known = memory.observe([token({ fingerprint: 's2', kind: 'short', issuedAt: NOW })], ['p']);
    const first = redecide([f], known, NOW);
    assert.deepEqual(state(f), ['active', 'p', 'short']);
    assert.deepEqual(first, { changed: false, nextChangeAt: NOW + HOUR });
    const later = redecide([f], known, NOW + HOUR);
    assert.deepEqual(later, { changed: true, nextChangeAt: undefined });
    assert.deepEqual(state(f), ['expired', 'p', 'short']);
  });

  it('revocation is final: a finding shown revoked stays revoked once the memory forgot its token', () => {
    const f = finding('s1', [token({ fingerprint: 's1', kind: 'short', status: 'revoked' })]);
    assert.equal(f.status, 'revoked');
    assert.deepEqual(redecide([f], [], NOW), { changed: false, nextChangeAt: undefined });
    assert.deepEqual(state(f), ['revoked', 'p', 'short']);
  });

  it('a token this window does not know: unknown until its claimed expiry, then expired; never "ours"', () => {
    const f = finding('x1', [], { expiresAt: NOW + 5 * HOUR });
    assert.deepEqual(state(f), ['unknown', null, null]);
    assert.deepEqual(redecide([f], [], NOW), { changed: false, nextChangeAt: NOW + 5 * HOUR });
    redecide([f], [], NOW + 5 * HOUR);
    assert.deepEqual(state(f), ['expired', null, null]);
  });

  it('the earliest expiry among the findings shown working is the next change', () => {
    const a = token({ fingerprint: 'a', kind: 'short', expiresAt: NOW + 3 * HOUR });
    const b = token({ fingerprint: 'b', kind: 'short', expiresAt: NOW + 2 * HOUR });
    const gone = token({ fingerprint: 'c', kind: 'short', expiresAt: NOW + HOUR, status: 'revoked' });
    const known = [a, b, gone];
    const found = [finding('a', known), finding('b', known), finding('c', known)];
    assert.equal(redecide(found, known, NOW).nextChangeAt, NOW + 2 * HOUR);
  });
});
