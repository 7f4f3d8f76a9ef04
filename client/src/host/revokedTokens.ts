// The revoked tokens' metadata, kept across reloads in the extension's global state: a revoked token may still sit in
// a file after its record was replaced by a newer token, and after a reload nothing else knows it. Kept: profile id,
// kind, token id, fingerprint, scopes, issue and expiry times. Never a value (the fingerprint is the one the language
// server already gets), and only until the token expires; at most REVOKED_TOKENS_MAX, the oldest dropped first.
// Windows share the global state: a write merges with what another window wrote meanwhile.
import type * as vscode from 'vscode';
import type { TokenInfo } from '../core/tokenService';

export const REVOKED_TOKENS_KEY = 'c2m.revokedTokens';
export const REVOKED_TOKENS_MAX = 200;

const isString = (x: unknown): x is string => typeof x === 'string';
const isTime = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** Only the fields it keeps, checked one by one (what is stored is read back as data, never trusted as a type). */
function entryOf(x: unknown): TokenInfo | undefined {
  if (typeof x !== 'object' || x === null) return undefined;
  const o = x as Record<string, unknown>;
  if (!isString(o.profileId) || !isString(o.tokenId) || !isString(o.fingerprint)) return undefined;
  if (o.kind !== 'long' && o.kind !== 'short') return undefined;
  if (!Array.isArray(o.scopes) || !o.scopes.every(isString)) return undefined;
  if (!isTime(o.issuedAt) || !isTime(o.expiresAt) || o.status !== 'revoked') return undefined;
  return {
    profileId: o.profileId,
    kind: o.kind,
    tokenId: o.tokenId,
    fingerprint: o.fingerprint,
    scopes: [...o.scopes],
    issuedAt: o.issuedAt,
    expiresAt: o.expiresAt,
    status: 'revoked',
  };
}

export class RevokedTokens {
  constructor(
    private readonly memento: Pick<vscode.Memento, 'get' | 'update'>,
    private readonly log: (line: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** The revoked tokens not yet expired, oldest first. */
  read(): TokenInfo[] {
    const stored = this.memento.get<unknown>(REVOKED_TOKENS_KEY);
    if (!Array.isArray(stored)) return [];
    const now = this.now();
    return stored.map(entryOf).filter((t): t is TokenInfo => t !== undefined && t.expiresAt > now);
  }

  /** Adds these (revoked, not expired) to what is kept; the global state is written in the background. */
  write(revoked: readonly TokenInfo[]): void {
    const byFingerprint = new Map<string, TokenInfo>();
    for (const t of [...this.read(), ...revoked.map(entryOf)]) {
      if (!t || t.expiresAt <= this.now()) continue;
      byFingerprint.delete(t.fingerprint); // re-inserted last: the oldest go first past the bound
      byFingerprint.set(t.fingerprint, t);
    }
    const kept = [...byFingerprint.values()].slice(-REVOKED_TOKENS_MAX);
    this.memento.update(REVOKED_TOKENS_KEY, kept).then(undefined, (error: unknown) => {
      this.log(`revoked tokens: could not be kept for the next window: ${String(error)}`);
    });
  }
}
