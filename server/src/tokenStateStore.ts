// What the client last told us about tokens (c2m/tokenState), indexed by fingerprint. Never holds token values.
// The client is the one judge of a token's status (its TokenMemory, client/src/lsp/tokenStateSync.ts); the server
// trusts it and only measures time against it (judgement.ts), since a token expires without a message.
import { DEFAULT_EXPIRY_RULES, type ExpiryRules } from '@shared/judgement';
import type { ProfileMeta, TokenSummary, TokenStateParams } from '@shared/protocol/tokenState';

export interface TokenSnapshot {
  readonly byFingerprint: ReadonlyMap<string, TokenSummary>;
  /** Active profile first. */
  readonly profiles: readonly ProfileMeta[];
  readonly refreshMarginMs: number;
  /** When a token is expiring: the client's rules, with refreshMarginMs for tokens of unknown lifetime. */
  readonly rules: ExpiryRules;
  /** Sorted expiry times of the known tokens: lets a JWT whose `exp` is nowhere near them skip hashing. */
  readonly knownExpiries: readonly number[];
  /** A known token has no usable expiry: the shortcut is off, every token is hashed. */
  readonly hashEveryToken: boolean;
}

const DEFAULT_REFRESH_MARGIN_MS = 60_000;

/**
 * How far a JWT's `exp` claim (issuer clock) may be from the expiry the client computed from `expires_in` (its own
 * clock) for the same token: clock skew plus latency. Skews of minutes are tested (test/reliability/windows.test.ts); an hour is generous.
 */
const CLAIM_WINDOW_MS = 60 * 60_000;

export const emptySnapshot: TokenSnapshot = {
  byFingerprint: new Map(),
  profiles: [],
  refreshMarginMs: DEFAULT_REFRESH_MARGIN_MS,
  rules: { ...DEFAULT_EXPIRY_RULES, fallbackMarginMs: DEFAULT_REFRESH_MARGIN_MS },
  knownExpiries: [],
  hashEveryToken: false,
};

function rulesOf(params: TokenStateParams, margin: number): ExpiryRules {
  const e = params.expiry;
  const fraction =
    e && Number.isFinite(e.refreshFraction) && e.refreshFraction > 0 && e.refreshFraction <= 1
      ? e.refreshFraction
      : DEFAULT_EXPIRY_RULES.refreshFraction;
  const warning =
    e && Number.isFinite(e.longWarningMs) && e.longWarningMs >= 0
      ? e.longWarningMs
      : DEFAULT_EXPIRY_RULES.longWarningMs;
  return { refreshFraction: fraction, longWarningMs: warning, fallbackMarginMs: margin };
}

/** Could a JWT claiming this expiry be one of the known tokens? (Binary search in the sorted expiries.) */
export function mayBeKnownJwt(snapshot: TokenSnapshot, claimedExpiresAt: number): boolean {
  if (snapshot.hashEveryToken) return true;
  const xs = snapshot.knownExpiries;
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! < claimedExpiresAt - CLAIM_WINDOW_MS) lo = mid + 1;
    else hi = mid;
  }
  return lo < xs.length && xs[lo]! <= claimedExpiresAt + CLAIM_WINDOW_MS;
}

/** At most this many tokens are kept from one state (the client sends about 200: what it holds, then what it held). */
export const MAX_KNOWN_TOKENS = 1_000;

/**
 * The tokens of the state just sent, by fingerprint, and nothing else: the client judges each token (revoked,
 * replaced, expired; it remembers the ones it no longer holds), the server keeps no rules of its own about them.
 * Bounded: the first MAX_KNOWN_TOKENS are kept (the client lists the tokens it holds first); a fingerprint sent
 * twice keeps its first entry.
 */
function tokensOf(incoming: readonly TokenSummary[]): Map<string, TokenSummary> {
  const known = new Map<string, TokenSummary>();
  for (const t of incoming) {
    if (known.size >= MAX_KNOWN_TOKENS) break;
    if (!t || typeof t.fingerprint !== 'string' || known.has(t.fingerprint)) continue;
    known.set(t.fingerprint, t);
  }
  return known;
}

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
    const byFingerprint = tokensOf(Array.isArray(params.tokens) ? params.tokens : []);
    const profiles = (Array.isArray(params.profiles) ? params.profiles : [])
      .filter((p) => p && typeof p.id === 'string')
      .map((p, index) => ({ p, index }))
      .sort((a, b) => Number(b.p.active) - Number(a.p.active) || a.index - b.index)
      .map(({ p }) => p);
    const margin =
      Number.isFinite(params.refreshMarginMs) && params.refreshMarginMs >= 0
        ? params.refreshMarginMs
        : DEFAULT_REFRESH_MARGIN_MS;
    const knownExpiries: number[] = [];
    // A known token without a usable expiry defeats the shortcut: then every token is hashed.
    for (const t of byFingerprint.values()) knownExpiries.push(Number.isFinite(t.expiresAt) ? t.expiresAt : Number.NaN);
    const usable = knownExpiries.every(Number.isFinite);
    this.current = {
      byFingerprint,
      profiles,
      refreshMarginMs: margin,
      rules: rulesOf(params, margin),
      knownExpiries: usable ? knownExpiries.sort((a, b) => a - b) : [],
      hashEveryToken: !usable,
    };
    if (Number.isFinite(params.now)) this.clockOffset = params.now - this.serverNow();
  }
}
