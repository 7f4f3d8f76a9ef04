// Token metadata as the UI sees it: status from local times only, never a value.
import { judgeToken } from '@shared/judgement';
import { LONG_TERM_WARNING_MS, REFRESH_FRACTION } from './refreshPolicy';
import { expiryOf, type TokenMeta } from './secretRecords';
import type { TokenInfo, TokenKind } from './tokenService';

/** A token's metadata and whether it is still live; no header, no value needed. */
export type ShownMeta = TokenMeta & { state: 'active' | 'revoked' };

export function tokenInfoOf(
  profileId: string,
  kind: TokenKind,
  record: ShownMeta,
  opts: {
    now: number;
    refreshAt?: number;
    failing?: boolean;
    stale?: boolean;
    parentGone?: boolean;
    warningMs?: number;
  },
): TokenInfo {
  const expiresAt = expiryOf(record);
  let status: TokenInfo['status'];
  // A short-term token dies with its long-term token at the server, whatever its own record says.
  if (record.state === 'revoked' || opts.parentGone) status = 'revoked';
  else {
    // The one judgement the tree, status bar and language server apply (a short-term token is expiring past the
    // refresh fraction of its lifetime; the engine's own jittered refresh point only decides when it refreshes).
    const rules = { refreshFraction: REFRESH_FRACTION, longWarningMs: opts.warningMs ?? LONG_TERM_WARNING_MS };
    const time = judgeToken({ kind, issuedAt: record.receivedAt, expiresAt, revoked: false }, opts.now, rules);
    // A failed refresh matters while the token still works; an expired token is simply expired.
    if (time !== 'expired' && opts.failing) status = 'error';
    else if (time === 'valid' && opts.stale) status = 'expiring';
    else status = time;
  }
  return {
    profileId,
    kind,
    tokenId: record.tokenId,
    fingerprint: record.fingerprint,
    scopes: [...record.scopes],
    issuedAt: record.receivedAt,
    expiresAt,
    status,
  };
}
