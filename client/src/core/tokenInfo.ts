// Token metadata as the UI sees it: status from local times only, never a value.
import { longTermState, shortTermState } from './refreshPolicy';
import { expiryOf, type TokenMeta } from './secretRecords';
import type { TokenInfo, TokenKind } from './tokenService';

/** A token's metadata and whether it is still live; no header, no value needed. */
export type ShownMeta = TokenMeta & { state: 'active' | 'revoked' };

export function tokenInfoOf(
  profileId: string,
  kind: TokenKind,
  record: ShownMeta,
  opts: { now: number; refreshAt?: number; failing?: boolean; stale?: boolean; parentGone?: boolean; warningMs?: number },
): TokenInfo {
  const expiresAt = expiryOf(record);
  let status: TokenInfo['status'];
  // A short-term token dies with its long-term token at the server, whatever its own record says.
  if (record.state === 'revoked' || opts.parentGone) status = 'revoked';
  else {
    const time = kind === 'short'
      ? shortTermState(record, opts.refreshAt ?? expiresAt, opts.now)
      : longTermState(record, opts.now, opts.warningMs);
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
