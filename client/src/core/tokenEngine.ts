// The token lifecycle: issue, rotate, refresh, revoke and sign out, per profile, over a shared SecretStore.
// Invariants: a token is only sent to the origin and client id it was issued for; expiry comes from local receipt
// time; one exchange per profile at a time; a revoke or sign-out (here or in another window) beats a late answer;
// nothing is written in response to a change event; every log line is redacted.
// Cancel (OperationControl, operation.ts): the caller stops waiting at once and retries stop; a request that may
// have left and would create a token keeps its connection, and its token is then handled as if nobody had cancelled
// (stored, or revoked when something else won meanwhile): a token the server issued is stored or revoked, never
// dropped. A revoke is aborted outright and queued for the background retries: the token is no longer held here.
// The class holds the state, the timers and the per-profile flights; each flow lives in its own module and sees the
// engine through EngineCore: shortTermExchange.ts, longTermTokens.ts, revocation.ts, engineSecrets.ts, rebinding.ts.
import { AuthClients } from './authClients';
import { BackgroundWork } from './backgroundWork';
import { realClock, type Clock } from './clock';
import type { SecretPresence, TokenEngineOptions } from './engineTypes';
import { cancelledError, networkBlockedError, originChangedError } from './engineErrors';
import { EngineReport } from './engineReport';
import { CoreError } from './errors';
import type { RevokeCapability } from './lifecycleScopes';
import { NarrowedTokens, type ShortResult } from './narrowedTokens';
import { ActivityTracker, CancellableFlight, type Activity, type OperationControl } from './operation';
import { bindingOf, type Profile } from './profile';
import { bindingOrNone, ProfileList } from './profileList';
import {
  cachedAnswer,
  clearFailure,
  isActive,
  isBehindHere,
  newProfileState,
  nextDueAt,
  refreshAtOf,
  shown,
  strayToTell,
  usableLongOf,
  type ProfileState,
} from './profileState';
import { replaceLongTermToken, type LongTermDeps } from './longTermTokens';
import { rebindProfile } from './rebinding';
import { RecordStore } from './recordStore';
import { RefreshLeases } from './refreshLeases';
import { LONG_TERM_WARNING_DAYS, longTermState, longWarningMsOf, usableUntilExpiry } from './refreshPolicy';
import type { EngineCore } from './engineCore';
import * as secrets from './engineSecrets';
import * as revocation from './revocation';
import { SecretRevokeJournal } from './revokeJournal';
import { Revoker } from './revoker';
import { Scheduler } from './scheduler';
import { listTokens } from './tokenListing';
import { expiryOf, isBoundTo, parseRecordKey, recordKey, type Binding, type SecretKind } from './secretRecords';
import type { Disposable, ProfileSummary, TokenInfo, TokenKind, TokenService } from './tokenService';
import { currentShort, exchange, served, throwIfSuperseded } from './shortTermExchange';
import { singleWindow, staleWindowError, type WindowCoordinator } from './windowChannel';

/** How many revoked long-term token ids a window keeps in memory (metadata only). */
const REVOKED_IDS_KEPT = 200;

export class TokenEngine implements TokenService, Disposable {
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly records: RecordStore;
  private readonly windows: WindowCoordinator;
  private readonly scheduler: Scheduler;
  private readonly revoker: Revoker;
  private readonly journal: SecretRevokeJournal;
  private readonly flights = new CancellableFlight<ShortResult>((work) => this.track(work));
  /** Issue and rotate, one at a time per profile: two at once would leave a live long-term token nobody holds. */
  private readonly longFlights = new CancellableFlight<TokenInfo>((work) => this.track(work));
  /** What each profile is sending right now, for the views. */
  private readonly activities = new ActivityTracker(() => {
    if (!this.disposed) this.report.activityChanged.fire();
  });
  private readonly report: EngineReport;
  private readonly leases: RefreshLeases;
  private readonly narrowed: NarrowedTokens;
  private readonly clients: AuthClients;
  /** This engine's state and checks, for the operation modules (revocation, secrets). */
  private readonly core: EngineCore;
  private readonly longTermDeps: LongTermDeps;
  /** How long before expiry a long-term token is "expiring" and warned about; 0 = never. */
  private warningMs: number;
  private readonly states = new Map<string, ProfileState>();
  private readonly background = new BackgroundWork();
  private readonly subscriptions: Disposable[] = [];
  private readonly profileList = new ProfileList();
  /** Long-term tokens this window saw revoked at the server (bounded): the short-term tokens made from them are dead. */
  private readonly revokedLongIds = new Set<string>();
  private disposed = false;

  readonly onDidFail: EngineReport['failed']['event'];
  readonly onExpiryWarning: EngineReport['expiring']['event'];
  readonly onClockSkew: EngineReport['skewed']['event'];
  /** Fires when a profile starts or ends issuing, refreshing or revoking (activity()). */
  readonly onDidChangeActivity: EngineReport['activityChanged']['event'];
  /** Resolves once every profile's records have been read. */
  ready: Promise<void>;

  constructor(private readonly options: TokenEngineOptions) {
    this.clock = options.clock ?? realClock;
    this.random = options.random ?? Math.random;
    this.warningMs = longWarningMsOf(options.expiryWarningDays ?? LONG_TERM_WARNING_DAYS);
    const windowId = options.windowId ?? `w${Math.floor(this.random() * 1e9).toString(36)}`;
    this.windows = options.windows ?? singleWindow;
    const nameOf = (id: string): string | undefined => this.profileList.find(id)?.name;
    this.report = new EngineReport({ clock: this.clock, log: options.log, audit: options.audit, nameOf });
    this.onDidFail = this.report.failed.event;
    this.onExpiryWarning = this.report.expiring.event;
    this.onClockSkew = this.report.skewed.event;
    this.onDidChangeActivity = this.report.activityChanged.event;
    const log = (line: string): void => this.report.log(line);
    this.clients = new AuthClients({ clock: this.clock, random: this.random, log, options });
    this.leases = new RefreshLeases({
      clock: this.clock,
      windows: this.windows,
      log,
      leaseEnded: (id) => this.track(this.load(id)),
    });
    this.narrowed = new NarrowedTokens({
      now: () => this.clock.now(),
      report: this.report,
      flights: this.flights,
      stateOf: (id) => this.stateOf(id),
      ownToken: (profile, minValidityMs) => this.getShortTermToken(profile.id, minValidityMs),
      usableLong: async (profile) => {
        const binding = this.requireBinding(profile);
        await this.requireCurrentCopy(profile);
        const long = usableLongOf(
          profile.name,
          binding,
          (await this.records.readToken(profile.id, 'long')).record,
          this.clock.now(),
        );
        this.requireNetwork(profile);
        return { binding, long };
      },
      exchange: (profile, bearer, scopes) =>
        this.activities.run(profile.id, 'refreshing', () =>
          this.clients.for(profile.baseUrl).issueShortTermToken(bearer, { scopes }),
        ),
      throwIfSuperseded: (profile, generation) => throwIfSuperseded(this.core, profile, generation),
    });
    this.records = new RecordStore(
      options.store,
      windowId,
      (id, slot) => this.report.unreadable(id, slot),
      this.windows,
    );
    this.scheduler = new Scheduler(
      this.clock,
      (id) => this.check(id),
      (slept) => this.onWake(slept),
      options.heartbeatMs,
    );
    this.journal = new SecretRevokeJournal(options.store, (jobs, error) => this.report.unsavedJournal(jobs, error));
    this.revoker = new Revoker({
      clock: this.clock,
      random: this.random,
      clientFor: (baseUrl) => this.clients.for(baseUrl),
      profileOf: (id) => this.profileList.find(id),
      networkAllowed: (p) => this.networkAllowed(p),
      log,
      coreErrorOf: (error, what) => this.report.coreErrorOf(error, what),
      fail: (profileId, error, background) => this.report.fail(profileId, error, background, 'revoke'),
      track: (work) => this.track(work),
      journal: this.journal,
      settled: (job, outcome) => {
        this.report.auditRevoke(job, outcome);
        if (outcome === 'done' && job.kind === 'long') this.revokedAtServer(job.profileId, job.tokenId);
      },
      busy: (profileId, work) => this.activities.run(profileId, 'revoking', work),
    });
    this.core = {
      clock: this.clock,
      random: this.random,
      records: this.records,
      report: this.report,
      revoker: this.revoker,
      ready: () => this.ready,
      requireProfile: (id) => this.profileList.require(id),
      profileOf: (id) => this.profileList.find(id),
      profiles: () => this.profileList.all(),
      stateOf: (id) => this.stateOf(id),
      knownState: (id) => this.states.get(id),
      bindingOf: bindingOrNone,
      requireBinding: (profile) => this.requireBinding(profile),
      requireCurrentCopy: (profile, reread) => this.requireCurrentCopy(profile, reread),
      load: (id) => this.load(id),
      track: (work) => this.track(work),
      clients: this.clients,
      activities: this.activities,
      requireNetwork: (profile) => this.requireNetwork(profile),
      isCurrent: (profile, generation) => !this.disposed && this.stateOf(profile.id).generation === generation,
      check: (id) => this.check(id),
      warningMs: () => this.warningMs,
      isRevokedAtServer: (tokenId) => this.revokedLongIds.has(tokenId),
    };
    this.longTermDeps = {
      otpCode: (profile) => options.prompts.otpCode(profile),
      shortTermToken: async (profile, flight) => (await this.getShortTermToken(profile.id, 0, flight)).value,
    };
    this.subscriptions.push(options.store.onDidChange((key) => this.onStoreChange(key)));
    this.subscriptions.push(this.windows.onDidChange((keys) => keys.forEach((key) => this.onStoreChange(key))));
    this.ready = Promise.resolve();
    this.setProfiles(options.profiles ?? [], options.activeProfileId);
    const resumed = revocation.resumeUnfinishedRevokes(this.core, this.journal);
    this.track(resumed);
    this.ready = Promise.all([this.ready, resumed]).then(
      () => undefined,
      () => undefined,
    );
  }

  // ---- TokenService -------------------------------------------------------------------------------------------

  onDidChange(listener: () => void): Disposable {
    return this.report.changed.event(listener);
  }

  /** What the profile is sending to the server right now (a user's command or background work), if anything. */
  activity(profileId: string): Activity | undefined {
    return this.activities.of(profileId);
  }

  profiles(): ProfileSummary[] {
    return this.profileList.summaries();
  }

  tokens(): TokenInfo[] {
    return listTokens(this.core, this.warningMs);
  }

  async getShortTermToken(profileId?: string, minValidityMs = 0, control?: OperationControl): Promise<ShortResult> {
    const profile = this.profileList.require(profileId);
    await this.ready;
    const st = this.stateOf(profile.id);
    const cached = currentShort(profile, st);
    const now = this.clock.now();
    const answer = cachedAnswer(st, cached, now, minValidityMs, this.random);
    if (answer === 'serve' && cached) return served(this.core, profile, st, cached, now);
    if (typeof answer !== 'string') throw answer;
    try {
      // Reported as background: the caller is a consumer (language client, another extension), not a user command.
      return await this.flights.run(
        profile.id,
        (flight) => exchange(this.core, profile, true, flight),
        control,
        () => cancelledError(profile.name, 'refresh'),
      );
    } catch (error) {
      // A failed refresh does not take away a token that still works; a cancel is the caller's answer, not a failure.
      const fallback = currentShort(profile, st);
      const later = this.clock.now();
      if (
        error instanceof CoreError &&
        error.code !== 'revoked' &&
        error.code !== 'aborted' &&
        fallback &&
        usableUntilExpiry(fallback, later, minValidityMs)
      ) {
        return served(this.core, profile, st, fallback, later);
      }
      throw error;
    }
  }

  /**
   * A short-term token with exactly `scopes` (for consumers such as other extensions asking for less). The profile's
   * own token serves when the scopes are its scopes or none are given; otherwise a narrowed token is exchanged once
   * and kept in memory (never stored) while it is valid and its long-term token unchanged and not revoked.
   */
  async getScopedShortTermToken(
    profileId: string | undefined,
    scopes: readonly string[],
    minValidityMs = 0,
  ): Promise<ShortResult> {
    const profile = this.profileList.require(profileId);
    await this.ready;
    return this.narrowed.get(profile, scopes, minValidityMs);
  }

  revokeByFingerprint(fingerprint: string, control?: OperationControl): Promise<void> {
    return revocation.revokeByFingerprint(this.core, fingerprint, control);
  }

  // ---- Profiles and secrets -----------------------------------------------------------------------------------

  /** Replaces the profile list (from settings); changed profiles are re-read, removed ones forgotten. */
  setProfiles(profiles: Profile[], activeId?: string): void {
    const { rebound, removed } = this.profileList.set(profiles, activeId);
    const loads = rebound.map((p) => {
      const st = this.states.get(p.id);
      if (st) st.bindingNotice = undefined;
      return this.load(p.id);
    });
    for (const id of removed) {
      this.states.delete(id);
      this.scheduler.schedule(id, undefined);
    }
    const loaded = Promise.all(loads).then(() => undefined);
    this.track(loaded);
    this.ready = Promise.all([this.ready, loaded]).then(
      () => undefined,
      () => undefined,
    );
    this.report.changed.fire();
  }

  activeProfileId(): string | undefined {
    return this.profileList.active();
  }

  /** Days before expiry a long-term token is warned about and shown as expiring (c2m.expiryWarningDays); 0 = off. */
  setExpiryWarningDays(days: number): void {
    const warningMs = longWarningMsOf(days);
    if (warningMs === this.warningMs) return;
    this.warningMs = warningMs;
    for (const p of this.profileList.all()) this.check(p.id);
  }

  async setClientSecret(profileId: string, secret: string): Promise<void> {
    await secrets.setClientSecret(this.core, profileId, secret);
  }

  /** Accepts PKCS#8, PKCS#1 or SEC1 PEM (RSA, P-256, Ed25519) and stores it as PKCS#8. */
  async setPrivateKey(profileId: string, pem: string): Promise<void> {
    await secrets.setPrivateKey(this.core, profileId, pem);
  }

  secretPresence(profileId: string, kind: SecretKind): Promise<SecretPresence> {
    return secrets.secretPresence(this.core, profileId, kind);
  }

  /** A stored token value, for tests only (engineSecrets.ts). */
  getTokenValue(profileId: string, kind: TokenKind): Promise<string> {
    return secrets.storedTokenValue(this.core, profileId, kind);
  }

  /**
   * Every secret value this window holds in memory now: the active long- and short-term tokens of each profile, the
   * scope-narrowed ones and the client secrets seen. For redaction only: logs and what the language server is sent
   * mask these wherever they appear, in any spelling. Never handed to anything outside the extension.
   */
  heldSecrets(): { tokens: string[]; secrets: string[] } {
    const tokens = new Set<string>();
    for (const st of this.states.values()) {
      if (isActive(st.long)) tokens.add(st.long.accessToken);
      if (isActive(st.short)) tokens.add(st.short.accessToken);
    }
    for (const value of this.narrowed.values()) tokens.add(value);
    return { tokens: [...tokens], secrets: this.report.secrets() };
  }

  // ---- Lifecycle operations -----------------------------------------------------------------------------------

  /** A second call while one runs for the profile (issue or rotate) gets its result: one new token, not two. */
  async issueLongTermToken(profileId: string, control?: OperationControl): Promise<TokenInfo> {
    const profile = this.profileList.require(profileId);
    return this.longFlights.run(
      profile.id,
      (flight) => replaceLongTermToken(this.core, this.longTermDeps, profile.id, 'issue', flight),
      control,
      () => cancelledError(profile.name, 'issue'),
    );
  }

  /** Issue the new token, store it, then revoke the old one (retried later if that fails; the new one stays). */
  async rotateLongTermToken(profileId: string, control?: OperationControl): Promise<TokenInfo> {
    const profile = this.profileList.require(profileId);
    return this.longFlights.run(
      profile.id,
      (flight) => replaceLongTermToken(this.core, this.longTermDeps, profile.id, 'rotate', flight),
      control,
      () => cancelledError(profile.name, 'rotate'),
    );
  }

  async refreshShortTermToken(profileId: string, control?: OperationControl): Promise<TokenInfo> {
    const profile = this.profileList.require(profileId);
    await this.ready;
    return (
      await this.flights.run(
        profile.id,
        (flight) => exchange(this.core, profile, false, flight),
        control,
        () => cancelledError(profile.name, 'refresh'),
      )
    ).info;
  }

  /**
   * Revokes the profile's long- or short-term token. It wins over an exchange in flight (its answer is discarded).
   * Locally the token is dropped at once; a failed server revoke is retried later and reported by the thrown error.
   */
  revoke(profileId: string, kind: TokenKind, control?: OperationControl): Promise<void> {
    return revocation.revokeToken(this.core, profileId, kind, control);
  }

  /** Forgets the profile's tokens in every window, then revokes them at the server (revocation.ts). */
  signOut(profileId: string, control?: OperationControl): Promise<void> {
    return revocation.signOut(this.core, profileId, control);
  }

  /** Moves the profile's records from its previous base URL (same origin) to its current one (rebinding.ts). */
  rebind(profileId: string, previousBaseUrl: string): Promise<number> {
    return rebindProfile(this.core, profileId, previousBaseUrl);
  }

  revokeCapability(profileId: string): RevokeCapability {
    return revocation.revokeCapabilityOf(this.core, profileId);
  }

  /** Sign out and delete the profile's stored client secret and private key (profile removed). */
  async forgetProfile(profileId: string): Promise<void> {
    await this.signOut(profileId);
    await secrets.deleteSecrets(this.core, profileId);
  }

  /** Resolves when no background work (re-reads, timer refreshes, revoke retries) is running. For tests and shutdown. */
  idle(): Promise<void> {
    return this.background.idle();
  }

  pendingRevokes(): { profileId: string; tokenId: string }[] {
    return this.revoker.pending();
  }

  dispose(): void {
    this.disposed = true;
    this.scheduler.dispose();
    this.revoker.dispose();
    this.leases.dispose();
    for (const s of this.subscriptions.splice(0)) s.dispose();
    this.report.dispose();
  }

  // ---- State, timers, other windows ---------------------------------------------------------------------------

  private onStoreChange(key: string): void {
    const parsed = parseRecordKey(key);
    if (!parsed || this.disposed) return;
    // Re-read only: writing here would echo between windows forever.
    if (parsed.slot === 'long' || parsed.slot === 'short') this.track(this.load(parsed.profileId));
    else this.report.changed.fire();
  }

  /** Re-reads a profile's token records into memory (never writes), then re-checks its timers. */
  private async load(profileId: string): Promise<void> {
    if (!this.profileList.find(profileId)) return;
    const [long, short] = await Promise.all([
      this.records.readToken(profileId, 'long'),
      this.records.readToken(profileId, 'short'),
    ]);
    if (this.disposed) return;
    const st = this.stateOf(profileId);
    // Reads may finish out of order; versions only move forward, so an older read never replaces a newer one.
    // (Absent or unreadable: always applied.)
    if (long.version === 0 || long.damaged || long.version >= st.longVersion) {
      if (st.long?.tokenId !== shown(long.record)?.tokenId) st.failure = undefined;
      st.long = shown(long.record);
      st.longVersion = long.version;
    }
    if (short.version === 0 || short.damaged || short.version >= st.shortVersion) {
      if (st.short?.tokenId !== shown(short.record)?.tokenId) {
        clearFailure(st);
      }
      st.short = shown(short.record);
      st.shortVersion = short.version;
    }
    st.elsewhere = {
      long: this.windows.newer(recordKey(profileId, 'long'), st.longVersion),
      short: this.windows.newer(recordKey(profileId, 'short'), st.shortVersion),
    };
    this.noticeBinding(profileId);
    this.check(profileId);
  }

  /** Warnings, background refresh and the next timer of one profile. Fires onDidChange. */
  private check(profileId: string): void {
    const profile = this.profileList.find(profileId);
    const st = this.states.get(profileId);
    if (!profile || !st || this.disposed) return;
    const now = this.clock.now();
    const binding = bindingOrNone(profile);
    const long = binding && isActive(st.long) && isBoundTo(st.long, binding) ? st.long : undefined;
    const short = currentShort(profile, st);
    if (long && longTermState(long, now, this.warningMs) === 'expiring')
      this.report.expiringLongTerm(profile, st, long, now);
    if (short) {
      const refreshAt = refreshAtOf(st, short, this.random);
      const retryDue =
        st.failure === undefined || (st.failure.retryable && st.retryAt !== undefined && now >= st.retryAt);
      const auto =
        this.options.autoRefresh !== false &&
        long !== undefined &&
        now < expiryOf(long) &&
        this.networkAllowed(profile);
      // Retries stop once the token has expired (the next use tries again); a first refresh also renews an expired
      // token, e.g. after the machine slept through its refresh point.
      const worthIt = st.failure === undefined || now < expiryOf(short);
      if (auto && retryDue && worthIt && now >= refreshAt && !this.flights.has(profileId) && !isBehindHere(st)) {
        this.track(this.refreshUnderLease(profile, short.tokenId));
      }
    }
    this.scheduler.schedule(profileId, nextDueAt(st, long, short, now, this.random, this.warningMs));
    this.report.changed.fire();
  }

  /**
   * Throws (nothing sent, nothing stored) when another window wrote records this window's copy of secret storage
   * does not hold: acting on the older copy would use revoked tokens or put the older copy back. With `reread`,
   * the shared state is read again first (before user commands and after a 401).
   */
  private async requireCurrentCopy(profile: Profile, reread = false): Promise<void> {
    if (reread) await this.windows.refresh();
    const st = this.stateOf(profile.id);
    const newer =
      this.windows.newer(recordKey(profile.id, 'long'), st.longVersion) ??
      this.windows.newer(recordKey(profile.id, 'short'), st.shortVersion);
    if (isBehindHere(st) || newer || (await this.windows.behind())) throw staleWindowError(profile.name);
  }

  /** The timer refresh: one window refreshes a token for all; the others look again when its lease ends. */
  private async refreshUnderLease(profile: Profile, tokenId: string): Promise<void> {
    if (!(await this.leases.claim(profile, tokenId)) || this.disposed) return;
    await this.flights.run(profile.id, (flight) => exchange(this.core, profile, true, flight)).catch(() => undefined);
  }

  private onWake(sleptMs: number): void {
    this.report.log(`the clock jumped by ${Math.round(sleptMs / 1000)} s (machine woke up?): re-checking every token`);
    for (const p of this.profileList.all()) this.check(p.id);
  }

  /** Tell the user once that tokens of an old base URL / client id are ignored. */
  private noticeBinding(profileId: string): void {
    const profile = this.profileList.find(profileId);
    const st = this.states.get(profileId);
    if (!profile || !st) return;
    const binding = bindingOrNone(profile);
    const stray = strayToTell(st, binding);
    if (stray) this.report.failInBackground(profileId, originChangedError(profile.name, binding, stray));
  }

  // ---- Helpers ------------------------------------------------------------------------------------------------

  private stateOf(profileId: string): ProfileState {
    let st = this.states.get(profileId);
    if (!st) {
      st = newProfileState();
      this.states.set(profileId, st);
    }
    return st;
  }

  private requireBinding(profile: Profile): Binding {
    try {
      return bindingOf(profile);
    } catch (error) {
      throw this.report.coreErrorOf(error, `Profile "${profile.name}" cannot be used`);
    }
  }

  private networkAllowed(profile: Profile): boolean {
    return this.options.canUseNetwork?.(profile) ?? true;
  }

  private requireNetwork(profile: Profile): void {
    if (!this.networkAllowed(profile)) throw networkBlockedError(profile.name);
  }

  private revokedAtServer(profileId: string, tokenId: string): void {
    this.revokedLongIds.add(tokenId);
    for (const id of this.revokedLongIds) {
      if (this.revokedLongIds.size <= REVOKED_IDS_KEPT) break;
      this.revokedLongIds.delete(id);
    }
    this.check(profileId);
  }

  private track(work: Promise<unknown>): void {
    this.background.track(work);
  }
}
