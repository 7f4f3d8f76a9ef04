// What the status tool tells an agent: profiles (id, name, base URL, active), and per profile its tokens' ids, kinds,
// scopes, status and expiry. Built from metadata only (TokenInfo carries no value) and field by field, so a value
// cannot slip in through a field added to TokenInfo later. Pure and vscode-free.
import type { ProfileSummary, TokenInfo } from '../../core/tokenService';

export interface TokenStatusReport {
  activeProfile: string | null;
  profiles: {
    id: string;
    name: string;
    baseUrl: string;
    active: boolean;
    tokens: {
      kind: 'long-term' | 'short-term';
      tokenId: string;
      status: string;
      scopes: string[];
      issuedAt: string;
      expiresAt: string;
      expiresInSeconds: number;
    }[];
  }[];
}

const iso = (ms: number): string => (Number.isFinite(ms) ? new Date(ms).toISOString() : '');

export function statusReport(
  profiles: readonly ProfileSummary[],
  tokens: readonly TokenInfo[],
  now: number,
): TokenStatusReport {
  return {
    activeProfile: profiles.find((p) => p.active)?.id ?? null,
    profiles: profiles.map((p) => ({
      id: p.id,
      name: p.name,
      baseUrl: p.baseUrl,
      active: p.active,
      tokens: tokens
        .filter((t) => t.profileId === p.id && t.status !== 'none')
        .map((t) => ({
          kind: t.kind === 'long' ? ('long-term' as const) : ('short-term' as const),
          tokenId: t.tokenId,
          status: t.status,
          scopes: [...t.scopes],
          issuedAt: iso(t.issuedAt),
          expiresAt: iso(t.expiresAt),
          expiresInSeconds: Math.max(0, Math.round((t.expiresAt - now) / 1000)),
        })),
    })),
  };
}
