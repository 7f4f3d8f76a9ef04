// The token engine's own state and checks, as the engine's operation modules see them (revocation.ts,
// engineSecrets.ts, tokenListing.ts, rebinding.ts, shortTermExchange.ts, longTermTokens.ts). The engine owns the
// state and implements this once; the modules take it instead of reaching into the class, so each flow lives beside
// its concern and every one of them sees the same profiles, records and rules.
import type { AuthClients } from './authClients';
import type { Clock } from './clock';
import type { EngineReport } from './engineReport';
import type { ActivityTracker } from './operation';
import type { Profile } from './profile';
import type { ProfileState } from './profileState';
import type { RecordStore } from './recordStore';
import type { Revoker } from './revoker';
import type { Binding } from './secretRecords';

export interface EngineCore {
  readonly clock: Clock;
  readonly random: () => number;
  readonly records: RecordStore;
  readonly report: EngineReport;
  readonly revoker: Revoker;
  /** Resolves once every profile's records have been read. */
  ready(): Promise<void>;
  /** The profile with this id (default: the active one), or a CoreError saying there is none. */
  requireProfile(profileId?: string): Profile;
  /** The profile as configured now; undefined once removed. */
  profileOf(profileId: string): Profile | undefined;
  /** The profiles as configured now, in settings order. */
  profiles(): readonly Profile[];
  /** The profile's state, made on first use. */
  stateOf(profileId: string): ProfileState;
  /** The profile's state if its records were read (undefined for a profile just added or removed). */
  knownState(profileId: string): ProfileState | undefined;
  /** Where the profile's tokens may be sent; undefined when its base URL or client id cannot be used. */
  bindingOf(profile: Profile): Binding | undefined;
  requireBinding(profile: Profile): Binding;
  /** Throws when this window's copy of the records is behind another window's (`reread`: ask the others first). */
  requireCurrentCopy(profile: Profile, reread?: boolean): Promise<void>;
  /** Re-reads the profile's records into memory (never writes), then re-checks its timers. */
  load(profileId: string): Promise<void>;
  /** Background work the engine's idle() waits for. */
  track(work: Promise<unknown>): void;
  /** The API clients, one per base URL. */
  readonly clients: AuthClients;
  /** What each profile is sending right now, for the views. */
  readonly activities: ActivityTracker;
  /** Throws when the profile may not use the network now (Restricted Mode, untrusted origin). */
  requireNetwork(profile: Profile): void;
  /** False once the profile was revoked or signed out since `generation` (or the engine disposed): drop late answers. */
  isCurrent(profile: Profile, generation: number): boolean;
  /** Re-checks the profile's warnings, background refresh and timers; fires onDidChange. */
  check(profileId: string): void;
  /** How long before expiry a long-term token is "expiring"; 0 = never. */
  warningMs(): number;
  /** Whether this window saw the server revoke this long-term token (a rotation's or a revoke's request answered). */
  isRevokedAtServer(longTokenId: string): boolean;
}
