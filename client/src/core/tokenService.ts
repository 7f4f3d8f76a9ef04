// The seam between the token lifecycle (core/, owned by the extension) and its consumers
// (tree view, status bar, language-client wiring, other extensions). Only types live here.
// Token *values* leave this interface only through getShortTermToken(); everything else is metadata.

import type { Activity, OperationControl } from './operation';

export type TokenKind = 'long' | 'short';

/** none: never issued; valid; expiring: inside the refresh margin; expired; revoked; error: last refresh failed. */
export type TokenStatus = 'none' | 'valid' | 'expiring' | 'expired' | 'revoked' | 'error';

export interface TokenInfo {
  profileId: string;
  kind: TokenKind;
  tokenId: string;
  /** First 16 hex chars of SHA-256 over the token value: identifies a token without revealing it. */
  fingerprint: string;
  scopes: string[];
  /** Local epoch ms, computed from the receipt time and expires_in (never from the server's expires_at). */
  issuedAt: number;
  expiresAt: number;
  status: TokenStatus;
}

export interface ProfileSummary {
  id: string;
  name: string;
  baseUrl: string;
  clientId: string;
  active: boolean;
}

export interface Disposable {
  dispose(): void;
}

export interface TokenService {
  profiles(): ProfileSummary[];
  /** Metadata of every known token (long and short, all profiles, including revoked ones still remembered). */
  tokens(): TokenInfo[];
  /** Fires after any change of profiles or token state (issue, refresh, revoke, other window). */
  onDidChange(listener: () => void): Disposable;
  /**
   * A short-term token valid for at least `minValidityMs` (refreshing first if needed); single flight per profile.
   * `control` follows and cancels the refresh, when one is needed (nothing is reported when none is).
   */
  getShortTermToken(
    profileId?: string,
    minValidityMs?: number,
    control?: OperationControl,
  ): Promise<{ value: string; info: TokenInfo }>;
  /** What the profile is sending to the server right now (issuing, refreshing, revoking), if the service says. */
  activity?(profileId: string): Activity | undefined;
  /** Fires when activity() changes. */
  onDidChangeActivity?(listener: () => void): Disposable;
  /** Revokes the token with this fingerprint (long or short) if it is one of ours; `control` follows and cancels it. */
  revokeByFingerprint(fingerprint: string, control?: OperationControl): Promise<void>;
}
