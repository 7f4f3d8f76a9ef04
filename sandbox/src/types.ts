// Public shapes of the sandbox, re-exported by server.ts. Kept apart so demo.ts and faults.ts can use them without cycles.
import type { ExchangeLimit } from './exchangeLimit';

export type { ExchangeLimit };

export interface SandboxOptions {
  /** Loopback only: 127.0.0.0/8, ::1 or localhost. Default '127.0.0.1'. */
  host?: string;
  /** Default 0: a random free port. */
  port?: number;
  /** Default: [DEMO_CLIENT]. */
  clients?: SandboxClientConfig[];
  /** Lifetime of short-term tokens. Default 900. */
  shortTtlSeconds?: number;
  /**
   * Short-term exchanges allowed per long-term token in a sliding window; past it, 429 rate_limited with Retry-After.
   * Default DEFAULT_EXCHANGE_LIMIT (6 per 10 s); 'off' for none.
   */
  exchangeLimit?: ExchangeLimit | 'off';
  /** Clock for every expiry, OTP and rate-limit decision (epoch ms). Default Date.now. */
  now?: () => number;
}

export interface SandboxClientConfig {
  clientId: string;
  clientSecret?: string;
  /** Base32, RFC 6238 (SHA-1, 6 digits, 30 s), one step of tolerance, each code single-use. */
  totpSecret?: string;
  /** Sandbox one-time codes, each usable once. */
  oneTimeCodes?: string[];
  /** SPKI PEM public key that verifies the client's assertions (RS256, ES256 or EdDSA). */
  publicKeyPem?: string;
  /** Scopes this client may hold; 'prefix:*' grants everything under the prefix. */
  allowedScopes: string[];
}

export interface ForceStatusRule {
  /** Route key such as 'POST /auth/tokens/short' (or just the path); omitted = every route. */
  route?: string;
  status: number;
  /** A string is sent as is; an object as JSON. */
  body?: string | object;
  headers?: Record<string, string>;
  /** How many requests it applies to; omitted = until reset(). */
  times?: number;
  contentType?: string;
}

export interface DropConnectionRule {
  route?: string;
  times?: number;
  /** Process the request (e.g. issue the token), then destroy the socket instead of answering: a "lost 201". */
  afterProcessing?: boolean;
}

export interface RateLimitRule {
  perClient: number;
  windowMs: number;
  /** Sent verbatim as Retry-After (e.g. an HTTP-date or a hostile value); default: seconds until the window ends. */
  retryAfter?: string;
}

export interface StallRule {
  route?: string;
  times?: number;
}

export interface HoldRule {
  route?: string;
  times?: number;
  /** Let this many matching requests through first (e.g. 1: hold the second try of a retried request). */
  skip?: number;
  /** Process the request first (e.g. issue the token), then hold its answer: a 201 already decided, not yet sent. */
  afterProcessing?: boolean;
}

/** Requests a hold keeps waiting, and the release that lets them go on. */
export interface HoldHandle {
  /** Resolves once `count` matching requests (default 1) are being held. */
  arrived(count?: number): Promise<void>;
  /** Resolves once the client of a held request closed its connection (gave up on the answer) while it was held. */
  abandoned(): Promise<void>;
  /** How many held requests their client gave up on so far. */
  abandonedCount(): number;
  /** Lets every held request (and any later match) go on: processed and answered as usual. */
  release(): void;
}

/** Test hooks, all off by default. */
export interface SandboxFaults {
  /** Added delay before answering every request (0 = off). */
  latencyMs(ms: number): void;
  forceStatus(rule: ForceStatusRule): void;
  dropConnection(rule: DropConnectionRule): void;
  rateLimit(rule: RateLimitRule): void;
  /** Never answer matching requests (until stop()). */
  stall(rule: StallRule): void;
  /**
   * Keep matching requests waiting, without answering, until the returned handle's release(): a server that hangs
   * for as long as a test needs, with no timer. stop() and reset() release them too.
   */
  hold(rule: HoldRule): HoldHandle;
  reset(): void;
}

export interface SandboxStats {
  requests: number;
  /** Requests received per route key, e.g. 'POST /auth/tokens/short', 'POST /auth/tokens/{id}/revoke', 'GET /jobs'. */
  byRoute: Record<string, number>;
}

export interface Sandbox {
  /** e.g. http://127.0.0.1:PORT/v1 (mirrors https://api.example.com/v1). */
  baseUrl: string;
  port: number;
  faults: SandboxFaults;
  stats(): SandboxStats;
  isRevoked(tokenId: string): boolean;
  /** Closes the server and every open socket (stalled ones included) promptly. */
  stop(): Promise<void>;
}
