// What the views are shown of every profile's tokens: metadata only, judged now. A window whose copy of secret
// storage is behind another window's shows the newest tokens any window stored (by the shared state's metadata), so
// the views never show a token as valid that another window replaced or revoked.
import type { EngineCore } from './engineCore';
import type { Profile } from './profile';
import { isBehindHere, isStale, shortInfoOf, shownElsewhere, type ProfileState } from './profileState';
import { refreshPointOf } from './refreshPolicy';
import { isBoundTo, type Binding } from './secretRecords';
import { tokenInfoOf } from './tokenInfo';
import type { TokenInfo } from './tokenService';

/** `warningMs`: how long before expiry a long-term token is "expiring". */
export function listTokens(core: EngineCore, warningMs: number): TokenInfo[] {
  const now = core.clock.now();
  const out: TokenInfo[] = [];
  for (const p of core.profiles()) {
    const st = core.knownState(p.id);
    const binding = core.bindingOf(p);
    if (!st || !binding) continue;
    if (isBehindHere(st)) {
      out.push(...tokensElsewhere(p, st, binding, now, warningMs));
      continue;
    }
    if (st.long && isBoundTo(st.long, binding)) {
      out.push(tokenInfoOf(p.id, 'long', st.long, { now, failing: st.failure?.code === 'reissue_needed', warningMs }));
    }
    if (st.short && isBoundTo(st.short, binding)) {
      const info = shortInfoOf(p.id, st, st.short, now, core.random);
      // Made from a long-term token a rotation replaced: dead once the server revoked that one (it revokes the
      // short-term tokens with it); while the revoke is pending or was refused it still works until it expires.
      const parentRevoked =
        isStale(st, st.short) && st.short.longTokenId !== undefined && core.isRevokedAtServer(st.short.longTokenId);
      out.push(parentRevoked ? { ...info, status: 'revoked' } : info);
    }
  }
  return out;
}

/** What a window whose copy is behind shows: the newest tokens any window stored, by their metadata. */
function tokensElsewhere(
  profile: Profile,
  st: ProfileState,
  binding: Binding,
  now: number,
  warningMs: number,
): TokenInfo[] {
  const long = st.elsewhere.long ? shownElsewhere(st.elsewhere.long) : st.long;
  const short = st.elsewhere.short ? shownElsewhere(st.elsewhere.short) : st.short;
  const out: TokenInfo[] = [];
  const liveLong = long && isBoundTo(long, binding) && long.state === 'active' ? long : undefined;
  if (long && isBoundTo(long, binding)) out.push(tokenInfoOf(profile.id, 'long', long, { now, warningMs }));
  if (short && isBoundTo(short, binding)) {
    const parentGone = !liveLong || (short.longTokenId !== undefined && short.longTokenId !== liveLong.tokenId);
    out.push(tokenInfoOf(profile.id, 'short', short, { now, refreshAt: refreshPointOf(short, () => 0.5), parentGone }));
  }
  return out;
}
