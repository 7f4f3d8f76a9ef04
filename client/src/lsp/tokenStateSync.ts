// Builds c2m/tokenState from the TokenService: metadata only. The server never sees a token value.
import type { TokenService } from '../core/tokenService';
import { REFRESH_FRACTION } from '../core/refreshPolicy';
import type { TokenStateParams } from '../../../server/src/protocol';

/** Used until a short-term token exists to derive the margin from. */
const DEFAULT_MARGIN_MS = 60_000;

export function tokenStateOf(tokens: TokenService, now: number): TokenStateParams {
  const profiles = tokens.profiles();
  const names = new Map(profiles.map((p) => [p.id, p.name]));
  const infos = tokens.tokens();
  // The engine refreshes a short-term token after REFRESH_FRACTION of its life: the rest is the margin.
  let margin = 0;
  for (const t of infos) {
    if (t.kind === 'short' && t.expiresAt > t.issuedAt) margin = Math.max(margin, (t.expiresAt - t.issuedAt) * (1 - REFRESH_FRACTION));
  }
  return {
    tokens: infos.map((t) => ({
      profileId: t.profileId,
      profileName: names.get(t.profileId) ?? t.profileId,
      kind: t.kind,
      tokenId: t.tokenId,
      fingerprint: t.fingerprint,
      scopes: [...t.scopes],
      issuedAt: t.issuedAt,
      expiresAt: t.expiresAt,
      status: t.status,
    })),
    profiles: profiles.map((p) => ({ id: p.id, name: p.name, active: p.active })),
    refreshMarginMs: margin > 0 ? Math.round(margin) : DEFAULT_MARGIN_MS,
    now,
  };
}
