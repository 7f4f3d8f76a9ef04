// The token state the bench gives the server, in process and over LSP alike: the first `count` bearer tokens of a
// file (request or env) are the extension's own short-term tokens (half valid, half expired), as after a user has issued some.
// A non-empty state is the realistic case: with it the server must fingerprint every token it finds.
import type { TokenSummary, TokenStateParams } from '@shared/protocol/tokenState';
import { tokenFingerprint } from '@shared/tokens/fingerprint';

export function benchTokenState(text: string, count: number, nowMs: number): TokenStateParams {
  const tokens: TokenSummary[] = [];
  for (const match of text.matchAll(/^(?:Authorization: Bearer |[A-Z][A-Z0-9_]*=)(eyJ\S+)$/gm)) {
    if (tokens.length >= count) break;
    const i = tokens.length;
    tokens.push({
      profileId: 'bench',
      profileName: 'Bench',
      kind: 'short',
      tokenId: `t${i}`,
      fingerprint: tokenFingerprint(match[1] as string),
      scopes: ['orders:read'],
      issuedAt: nowMs - 60_000,
      expiresAt: nowMs + (i % 2 === 0 ? 600_000 : -1),
      status: i % 2 === 0 ? 'valid' : 'expired',
    });
  }
  return {
    tokens,
    profiles: [{ id: 'bench', name: 'Bench', active: true, usable: true }],
    refreshMarginMs: 60_000,
    now: nowMs,
  };
}
