// The engine's public vocabulary beyond TokenService: its options, the events it emits, the audit entries.
// Kept apart from tokenEngine.ts so adapters and tests can import types without the implementation.
import type { AuthClient } from '../api/authClient';
import type { Clock } from './clock';
import type { CoreError, FailureAction } from './errors';
import type { Profile } from './profile';
import type { SecretStore } from './secretStore';
import type { TokenKind } from './tokenService';
import type { WindowCoordinator } from './windowChannel';

export interface TokenEnginePrompts {
  /** Asked every time an OTP-mechanism token is issued; undefined = the user cancelled. Masked input in the UI. */
  otpCode(profile: Profile): Promise<string | undefined>;
}

/** One line of the audit trail: what happened to which token. Never a value. */
export interface AuditEntry {
  action: 'issue' | 'rotate' | 'revoke';
  /**
   * For revoke: done (revoked at the server, or dead already), refused (it stays valid until it expires), pending
   * (queued for a retry; another line follows when it ends), untracked (no server id: it dies with its parent).
   */
  outcome?: 'done' | 'refused' | 'pending' | 'untracked';
  profileId: string;
  profileName: string;
  kind: TokenKind;
  tokenId: string;
  scopes: string[];
  /** Local epoch ms. */
  expiresAt: number;
  at: number;
}

export interface TokenFailure {
  profileId: string;
  error: CoreError;
  action?: FailureAction;
  /**
   * True when no user command will report it: timer refreshes and their retries, exchanges for consumers of
   * getShortTermToken (the caller may fall back on a still-valid token), revoke retries and the revoke of a rotated
   * or signed-out token, origin changes and unreadable records. False: the command that started it gets the error.
   */
  background: boolean;
  /** Set when the failure is a revoke's (not the refresh or issue it may follow): its message says it all. */
  operation?: 'revoke';
}

export interface ExpiryWarning {
  profileId: string;
  profileName: string;
  tokenId: string;
  expiresAt: number;
  daysLeft: number;
}

export interface ClockSkewReport {
  profileId: string;
  /** Server clock minus local clock, estimated (ms). Reported only; decisions never use the server's clock. */
  skewMs: number;
}

export type SecretPresence = 'set' | 'absent' | 'other_origin';

export interface TokenEngineOptions {
  store: SecretStore;
  prompts: TokenEnginePrompts;
  profiles?: Profile[];
  activeProfileId?: string;
  /** False forbids every network call for this profile (Restricted Mode with a workspace-provided base URL). */
  canUseNetwork?: (profile: Profile) => boolean;
  clock?: Clock;
  /** [0, 1): refresh jitter and backoff. */
  random?: () => number;
  /** Receives redacted lines only. */
  log?: (line: string) => void;
  audit?: (entry: AuditEntry) => void;
  /** Identifies this window in stored records (diagnostics only). */
  windowId?: string;
  /** Default: createAuthClient on the engine's clock, random and log. */
  createClient?: (baseUrl: string) => AuthClient;
  /** For the default client's retry backoff; default: a sleep on the engine's clock. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  timeoutMs?: number;
  /** Wake-detection heartbeat; 0 disables it. */
  heartbeatMs?: number;
  /**
   * Days before expiry a long-term token is warned about (onExpiryWarning) and shown as expiring; default 7,
   * 0 = never. Changed later with TokenEngine.setExpiryWarningDays.
   */
  expiryWarningDays?: number;
  /** The other windows of this VS Code server (windowChannel.ts); default: this window alone. */
  windows?: WindowCoordinator;
  /** Refresh short-term tokens by timer (default true); off, they are refreshed only on use. */
  autoRefresh?: boolean;
}
