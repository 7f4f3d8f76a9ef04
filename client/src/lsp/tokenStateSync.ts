// Builds c2m/tokenState from the TokenService: metadata only. The server never sees a token value.
// The engine lists only the tokens it holds now; a token it dropped (refreshed away, revoked then replaced, signed
// out) may still sit in a file. TokenMemory remembers those for this window, so the server keeps judging them; the
// revoked ones also outlive the window (a RevokedTokenStore the extension gives it), so that after a reload a revoked
// token still in a file is shown revoked, not unknown.
import type { Disposable, TokenInfo, TokenService } from '../core/tokenService';
import { REFRESH_FRACTION } from '../core/refreshPolicy';
import type { TokenSummary, TokenStateParams } from '@shared/protocol/tokenState';
import { DEFAULT_EXPIRY_RULES, type ExpiryRules } from '@shared/judgement';
import { originOf } from '@shared/net/origin';

/** The origin a profile's tokens belong to (port written), or undefined for a base URL that does not parse. */
function profileOrigin(baseUrl: string): string | undefined {
  try {
    return originOf(baseUrl.trim());
  } catch {
    return undefined;
  }
}

/** How many tokens a window remembers (metadata only, in memory; of them only the revoked ones outlive a reload). */
export const TOKEN_MEMORY_SIZE = 200;

type Remembered = TokenInfo & { superseded?: boolean };

/** Where the revoked tokens' metadata is kept across reloads (never a value). */
export interface RevokedTokenStore {
  read(): readonly TokenInfo[];
  write(revoked: readonly TokenInfo[]): void;
}

/**
 * Every token this window has seen with its last status, bounded (oldest forgotten first). A token the engine no
 * longer holds is judged by how it went: the profile's tokens all gone while the profile is listed (signed out) →
 * revoked, since sign-out revokes them at the server; a long-term token gone → revoked (only rotation, which revokes
 * the old one, or sign-out drop it); a short-term token gone while the profile holds others → superseded, working
 * until it expires. A profile no longer listed at all says nothing of its tokens: they keep their last status.
 * A revoked long-term token revokes the short-term tokens issued under it (the server revokes them together), and a
 * revoked token stays revoked. The language server trusts these statuses (it keeps no memory or rules of its own).
 * Pure: the caller feeds it the engine's lists (see rememberTokens, tokenStateOf).
 */
export class TokenMemory {
  private readonly seen = new Map<string, Remembered>();

  constructor(private readonly max = TOKEN_MEMORY_SIZE) {}

  /** Takes in what the engine holds now; returns the tokens held now, then the remembered others (newest first). */
  observe(current: readonly TokenInfo[], profileIds: readonly string[]): Remembered[] {
    const held = new Set(current.map((t) => t.fingerprint));
    const holders = new Set(current.map((t) => t.profileId));
    const profiles = new Set(profileIds);
    for (const [fp, s] of this.seen) {
      if (held.has(fp) || s.status === 'revoked') continue;
      // A profile the engine no longer lists left the settings (edited, removed, or with a problem there, which keeps
      // it from the engine too) without a sign-out: its stored tokens still work and come back with it. Remove
      // Profile signs out first, so its tokens were seen revoked while it was still listed.
      if (!profiles.has(s.profileId)) continue;
      const signedOut = !holders.has(s.profileId);
      if (signedOut || s.kind === 'long') this.seen.set(fp, { ...s, status: 'revoked', superseded: undefined });
      else if (!s.superseded) this.seen.set(fp, { ...s, superseded: true });
    }
    for (const t of current) {
      // Revocation is final: a list that shows a revoked token otherwise (a window whose copy is behind) does not
      // make it look valid again. The server keeps no rule of its own: this memory is the one judge.
      const final = this.seen.get(t.fingerprint)?.status === 'revoked' ? { status: 'revoked' as const } : {};
      this.seen.delete(t.fingerprint); // re-inserted last: the oldest entries go first past the bound
      this.seen.set(t.fingerprint, { ...t, scopes: [...t.scopes], ...final });
    }
    this.revokeChildren(held);
    for (const fp of this.seen.keys()) {
      if (this.seen.size <= this.max) break;
      if (!held.has(fp)) this.seen.delete(fp);
    }
    const others = [...this.seen.values()].filter((s) => !held.has(s.fingerprint)).reverse();
    return [...current.map((t) => this.seen.get(t.fingerprint) ?? t), ...others];
  }

  /**
   * Tokens known revoked before this window began (kept across a reload): remembered as revoked, as if seen first.
   * Only revoked ones: revocation is final, every other status is the engine's to say.
   */
  recall(revoked: readonly TokenInfo[]): void {
    for (const t of revoked) {
      if (t.status !== 'revoked' || this.seen.has(t.fingerprint)) continue;
      this.seen.set(t.fingerprint, { ...t, scopes: [...t.scopes] });
    }
  }

  /** The remembered tokens that are revoked and not yet expired (one in a file is worth telling apart until then). */
  revoked(now: number): TokenInfo[] {
    return [...this.seen.values()]
      .filter((s) => s.status === 'revoked' && s.expiresAt > now)
      .map(({ superseded: _superseded, ...t }) => ({ ...t, scopes: [...t.scopes] }));
  }

  /** A remembered short-term token whose long-term parent (latest issued at or before it) is revoked is revoked too. */
  private revokeChildren(held: ReadonlySet<string>): void {
    const longs = new Map<string, Remembered[]>();
    for (const s of this.seen.values())
      if (s.kind === 'long') longs.set(s.profileId, [...(longs.get(s.profileId) ?? []), s]);
    for (const [fp, s] of this.seen) {
      if (s.kind !== 'short' || s.status === 'revoked' || held.has(fp)) continue; // the engine judges what it holds
      let parent: Remembered | undefined;
      for (const l of longs.get(s.profileId) ?? [])
        if (l.issuedAt <= s.issuedAt && (!parent || l.issuedAt > parent.issuedAt)) parent = l;
      if (parent?.status === 'revoked') this.seen.set(fp, { ...s, status: 'revoked', superseded: undefined });
    }
  }
}

/** One memory per token service (one per window), made on first use. */
const memories = new WeakMap<TokenService, TokenMemory>();

function memoryOf(tokens: TokenService): TokenMemory {
  let memory = memories.get(tokens);
  if (!memory) memories.set(tokens, (memory = new TokenMemory()));
  return memory;
}

/**
 * The tokens held now, then the remembered others with their last status (a superseded one stays valid until it
 * expires). What the server judges a token by, and what the workspace leak scan matches its findings against.
 */
export function knownTokens(tokens: TokenService): Remembered[] {
  return memoryOf(tokens).observe(
    tokens.tokens(),
    tokens.profiles().map((p) => p.id),
  );
}

/**
 * Starts remembering at once (tokenStateOf also remembers, but only runs while the language server does): every
 * change of the engine is seen, so a token revoked and replaced before the server starts is still known revoked.
 */
export function rememberTokens(
  tokens: TokenService,
  store?: RevokedTokenStore,
  now: () => number = Date.now,
): Disposable {
  const memory = memoryOf(tokens);
  if (store) memory.recall(store.read());
  let written: string | undefined;
  const observe = (): void => {
    knownTokens(tokens);
    if (!store) return;
    // Written only when the set changed: the store is read again at the next activation, not in between.
    const revoked = memory.revoked(now());
    const key = revoked
      .map((t) => t.fingerprint)
      .sort()
      .join(',');
    if (key === written) return;
    written = key;
    store.write(revoked);
  };
  observe();
  return tokens.onDidChange(observe);
}

/** Used until a short-term token exists to derive the margin from. */
const DEFAULT_MARGIN_MS = 60_000;

/** `rules`: when a token is expiring, as the tree and status bar judge it; the server judges by the same. */
export function tokenStateOf(
  tokens: TokenService,
  now: number,
  rules: ExpiryRules = DEFAULT_EXPIRY_RULES,
): TokenStateParams {
  const profiles = tokens.profiles();
  const names = new Map(profiles.map((p) => [p.id, p.name]));
  const infos = knownTokens(tokens);
  // Profiles whose current long-term token still works: a short-term token can be exchanged for them now.
  const live = new Set(
    tokens
      .tokens()
      .filter((t) => t.kind === 'long' && (t.status === 'valid' || t.status === 'expiring') && t.expiresAt > now)
      .map((t) => t.profileId),
  );
  // The engine refreshes a short-term token after REFRESH_FRACTION of its life: the rest is the margin.
  let margin = 0;
  for (const t of infos) {
    if (t.kind === 'short' && !t.superseded && t.expiresAt > t.issuedAt)
      margin = Math.max(margin, (t.expiresAt - t.issuedAt) * (1 - REFRESH_FRACTION));
  }
  return {
    tokens: infos.map((t): TokenSummary => ({
      profileId: t.profileId,
      profileName: names.get(t.profileId) ?? t.profileId,
      kind: t.kind,
      tokenId: t.tokenId,
      fingerprint: t.fingerprint,
      scopes: [...t.scopes],
      issuedAt: t.issuedAt,
      expiresAt: t.expiresAt,
      status: t.status,
      ...(t.superseded ? { superseded: true } : {}),
    })),
    profiles: profiles.map((p) => {
      const origin = profileOrigin(p.baseUrl);
      return { id: p.id, name: p.name, active: p.active, usable: live.has(p.id), ...(origin ? { origin } : {}) };
    }),
    refreshMarginMs: margin > 0 ? Math.round(margin) : DEFAULT_MARGIN_MS,
    expiry: { refreshFraction: rules.refreshFraction, longWarningMs: rules.longWarningMs },
    now,
  };
}
