// The token state the client sends the server (c2m/tokenState): metadata only, never a value.
import type { Range } from 'vscode-languageserver-protocol';

/** Token metadata as the server sees it: everything but the value. */
export interface TokenSummary {
  profileId: string;
  profileName: string;
  kind: 'long' | 'short';
  tokenId: string;
  fingerprint: string;
  scopes: string[];
  /** Epoch ms on the client's clock. */
  issuedAt: number;
  expiresAt: number;
  status: 'none' | 'valid' | 'expiring' | 'expired' | 'revoked' | 'error';
  /**
   * The client no longer holds this token: a newer one replaced it (a refresh). It still works until it expires.
   * Absent for the tokens the client holds now. Revoked tokens it no longer holds keep `status: 'revoked'`.
   */
  superseded?: boolean;
}

export interface ProfileMeta {
  id: string;
  name: string;
  active: boolean;
  /** It holds a live long-term token, so a short-term token can be had now (completion offers only these). */
  usable: boolean;
  /**
   * scheme://host:port (port always written) of the profile's base URL: where its tokens may be sent. Absent when the
   * base URL does not parse. Not a secret: the destination guard compares request URLs with it.
   */
  origin?: string;
}

export interface TokenStateParams {
  /**
   * The tokens the client holds, then the ones it held earlier in this window (bounded), each with the status the
   * client judged: a token revoked or signed out stays `revoked` after a newer one replaced it. The server keeps only
   * this list (the first 1,000) and applies no rules of its own to it.
   */
  tokens: TokenSummary[];
  profiles: ProfileMeta[];
  /** A short-term token whose lifetime is unknown (a JWT without `iat`) is "expiring" this close to its expiry. */
  refreshMarginMs: number;
  /** When a token is "expiring" (judgement.ts): the same rules the extension's tree and status bar apply. */
  expiry?: { refreshFraction: number; longWarningMs: number };
  /** The client's clock when the state was sent; the server measures expiry against it (same clock as expiresAt). */
  now: number;
}

export interface StaleToken {
  range: Range;
  fingerprint: string;
}
