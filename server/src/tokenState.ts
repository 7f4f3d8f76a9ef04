// What the client last told us about tokens (c2m/tokenState), indexed by fingerprint. Never holds token values.
import type { ProfileMeta, TokenMeta, TokenStateParams } from './protocol';

export interface TokenSnapshot {
  readonly byFingerprint: ReadonlyMap<string, TokenMeta>;
  /** Active profile first. */
  readonly profiles: readonly ProfileMeta[];
  readonly refreshMarginMs: number;
}

export const DEFAULT_REFRESH_MARGIN_MS = 60_000;

export const emptySnapshot: TokenSnapshot = { byFingerprint: new Map(), profiles: [], refreshMarginMs: DEFAULT_REFRESH_MARGIN_MS };

export class TokenStateStore {
  private current: TokenSnapshot = emptySnapshot;
  /** client clock - server clock, so expiry (client epoch ms) is compared with the client's notion of now. */
  private clockOffset = 0;

  constructor(private readonly serverNow: () => number) {}

  get snapshot(): TokenSnapshot {
    return this.current;
  }

  /** Now, on the client's clock. */
  now(): number {
    return this.serverNow() + this.clockOffset;
  }

  update(params: TokenStateParams): void {
    const byFingerprint = new Map<string, TokenMeta>();
    for (const t of Array.isArray(params.tokens) ? params.tokens : []) {
      if (t && typeof t.fingerprint === 'string') byFingerprint.set(t.fingerprint, t);
    }
    const profiles = (Array.isArray(params.profiles) ? params.profiles : [])
      .filter((p) => p && typeof p.id === 'string')
      .map((p, index) => ({ p, index }))
      .sort((a, b) => Number(b.p.active) - Number(a.p.active) || a.index - b.index)
      .map(({ p }) => p);
    const margin = Number.isFinite(params.refreshMarginMs) && params.refreshMarginMs >= 0 ? params.refreshMarginMs : DEFAULT_REFRESH_MARGIN_MS;
    this.current = { byFingerprint, profiles, refreshMarginMs: margin };
    if (Number.isFinite(params.now)) this.clockOffset = params.now - this.serverNow();
  }
}
