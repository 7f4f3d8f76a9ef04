// The revoked tokens kept across reloads (host/revokedTokens.ts) over a Memento: metadata only, checked field by field
// when read back, merged with what another window wrote, dropped once expired, bounded.
import * as assert from 'node:assert/strict';
import type { TokenInfo } from '../../client/src/core/tokenService';
import { REVOKED_TOKENS_KEY, REVOKED_TOKENS_MAX, RevokedTokens } from '../../client/src/host/revokedTokens';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const MIN = 60_000;

function revoked(n: number, over: Partial<TokenInfo> = {}): TokenInfo {
  return {
    profileId: 'sandbox',
    kind: 'short',
    tokenId: `tok_st_${n}`,
    fingerprint: `fp${String(n).padStart(14, '0')}`,
    scopes: ['jobs:*'],
    issuedAt: NOW - MIN,
    expiresAt: NOW + 14 * MIN,
    status: 'revoked',
    ...over,
  };
}

/** A Memento as VS Code's global state: what was updated is what get returns. */
class Memory {
  readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  update(key: string, value: unknown): Thenable<void> {
    this.values.set(key, JSON.parse(JSON.stringify(value)) as unknown);
    return Promise.resolve();
  }
}

describe('revoked tokens kept across reloads', () => {
  it('reads back what was written: revoked metadata only, never more than the fields it keeps', () => {
    const memento = new Memory();
    const kept = new RevokedTokens(
      memento,
      () => undefined,
      () => NOW,
    );
    kept.write([{ ...revoked(1), accessToken: 'eyJ.secret.value' } as TokenInfo, revoked(2, { status: 'valid' })]);
    assert.deepEqual(kept.read(), [revoked(1)]);
    assert.ok(!JSON.stringify(memento.values.get(REVOKED_TOKENS_KEY)).includes('secret'), 'no value is stored');
  });

  it('merges with what another window kept, keeps one entry per token, and drops expired ones', () => {
    const memento = new Memory();
    let now = NOW;
    const one = new RevokedTokens(
      memento,
      () => undefined,
      () => now,
    );
    const other = new RevokedTokens(
      memento,
      () => undefined,
      () => now,
    );
    one.write([revoked(1), revoked(2, { expiresAt: NOW + MIN })]);
    other.write([revoked(3), revoked(1)]);
    assert.deepEqual(
      one.read().map((t) => t.tokenId),
      ['tok_st_2', 'tok_st_3', 'tok_st_1'],
    );
    now = NOW + MIN;
    assert.deepEqual(
      one.read().map((t) => t.tokenId),
      ['tok_st_3', 'tok_st_1'],
    );
  });

  it('is bounded (the oldest go first) and ignores what is not an entry it wrote', () => {
    const memento = new Memory();
    const kept = new RevokedTokens(
      memento,
      () => undefined,
      () => NOW,
    );
    kept.write(Array.from({ length: REVOKED_TOKENS_MAX + 5 }, (_, i) => revoked(i)));
    const read = kept.read();
    assert.equal(read.length, REVOKED_TOKENS_MAX);
    assert.equal(read[0]?.tokenId, 'tok_st_5');
    void memento.update(REVOKED_TOKENS_KEY, [{ tokenId: 'x' }, 'junk', null, revoked(1, { scopes: [1 as never] })]);
    assert.deepEqual(kept.read(), []);
    void memento.update(REVOKED_TOKENS_KEY, { not: 'a list' });
    assert.deepEqual(kept.read(), []);
  });

  it('a failed write is logged, not thrown', async () => {
    const lines: string[] = [];
    const failing = { get: () => undefined, update: () => Promise.reject(new Error('disk full')) };
    new RevokedTokens(
      failing,
      (line) => lines.push(line),
      () => NOW,
    ).write([revoked(1)]);
    await new Promise((resolve) => setImmediate(resolve));
    assert.match(lines.join('\n'), /could not be kept for the next window: Error: disk full/);
  });
});
