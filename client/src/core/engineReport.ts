// What the token engine tells the world: its events (change, failure, expiry warning, clock skew, activity), its log
// and its audit trail. Every line and error passes the masking here: the client secrets this window has seen are
// masked even where no pattern catches them, so no other part of the engine formats a line or an error for the user.
import { redact } from '../api/redact';
import type { IssuedToken } from '../api/types';
import type { Clock } from './clock';
import type { AuditEntry, ClockSkewReport, ExpiryWarning, TokenEngineOptions, TokenFailure } from './engineTypes';
import { idsDisagreeNotice, unreadableRecordError } from './engineErrors';
import { CoreError, toCoreError } from './errors';
import { Emitter } from './events';
import type { Profile } from './profile';
import type { ProfileState } from './profileState';
import { clockSkewOf, isReportableSkew } from './refreshPolicy';
import { journalUnsavedError, unfinishedRevokesError } from './revokeMessages';
import type { RevokeJob, RevokeOutcome } from './revoker';
import { expiryOf, type RecordSlot } from './secretRecords';
import type { Disposable, TokenKind } from './tokenService';

/** A skew report is repeated only when the estimate moves by more than this. */
const SKEW_REPORT_STEP_MS = 60_000;

type AuditedMeta = { tokenId: string; scopes: string[] } & (
  { expiresAt: number } | { receivedAt: number; expiresIn: number }
);

export interface EngineReportDeps {
  clock: Clock;
  log: TokenEngineOptions['log'];
  audit: TokenEngineOptions['audit'];
  /** The profile's name for a line about it; undefined once the profile is gone (its id is shown then). */
  nameOf(profileId: string): string | undefined;
}

export class EngineReport implements Disposable {
  readonly changed = new Emitter<void>();
  readonly failed = new Emitter<TokenFailure>();
  readonly expiring = new Emitter<ExpiryWarning>();
  readonly skewed = new Emitter<ClockSkewReport>();
  readonly activityChanged = new Emitter<void>();
  /** Client secrets this window has seen: masked in every log line and error even where no pattern catches them. */
  private readonly knownSecrets = new Set<string>();
  /** Profiles whose server was told about once for giving a token two ids (it will keep doing so). */
  private readonly idsDisagreeTold = new Set<string>();

  constructor(private readonly deps: EngineReportDeps) {}

  log(line: string): void {
    this.deps.log?.(redact(`c2m-core: ${line}`, [...this.knownSecrets]));
  }

  /** A client secret to mask from now on (too short a value would mask ordinary words: not kept). */
  remember(secret: string | undefined): void {
    if (secret && secret.length >= 8) this.knownSecrets.add(secret);
  }

  secrets(): string[] {
    return [...this.knownSecrets];
  }

  /** Any thrown value as a CoreError; the client secrets this window has seen are masked in its message too. */
  coreErrorOf(error: unknown, what: string): CoreError {
    return toCoreError(error, what, this.deps.clock.now(), [...this.knownSecrets]);
  }

  /** One onDidFail event; its action is the error's own. */
  fail(profileId: string, error: CoreError, background: boolean, operation?: TokenFailure['operation']): void {
    this.failed.fire({
      profileId,
      error,
      ...(error.action ? { action: error.action } : {}),
      background,
      ...(operation ? { operation } : {}),
    });
  }

  /** A failure nobody asked about (found while reading or in the background): logged, then one onDidFail event. */
  failInBackground(profileId: string, error: CoreError, operation?: TokenFailure['operation']): void {
    this.log(error.message);
    this.fail(profileId, error, true, operation);
  }

  unreadable(profileId: string, slot: RecordSlot): void {
    this.failInBackground(profileId, unreadableRecordError(this.deps.nameOf(profileId) ?? profileId, slot));
  }

  /** Revokes a closed window left unfinished: the user hears which tokens may still be live. */
  unfinishedRevokes(profileId: string, jobs: RevokeJob[], profileKnown: boolean): void {
    this.failInBackground(
      profileId,
      unfinishedRevokesError(this.deps.nameOf(profileId) ?? profileId, jobs, profileKnown),
      'revoke',
    );
  }

  unsavedJournal(jobs: RevokeJob[], error: unknown): void {
    const failure = journalUnsavedError(jobs, error instanceof Error ? error.message : 'unknown error');
    this.log(failure.message);
    for (const profileId of new Set(jobs.map((j) => j.profileId))) this.fail(profileId, failure, true, 'revoke');
  }

  /** A 201 whose body named another id than X-Token-Id: logged each time, told to the user once per profile. */
  idsDisagree(profile: Profile, issued: IssuedToken): void {
    if (issued.bodyTokenId === undefined) return;
    const notice = idsDisagreeNotice(profile.name, issued.tokenId, issued.bodyTokenId);
    this.log(notice.message);
    if (this.idsDisagreeTold.has(profile.id)) return;
    this.idsDisagreeTold.add(profile.id);
    this.fail(profile.id, notice, true);
  }

  /** The server's clock seen in an answer: reported when far off, and again only when the estimate moves. */
  skew(profile: Profile, st: ProfileState, issued: IssuedToken): void {
    const skew = clockSkewOf({
      receivedAt: issued.receivedAt,
      expiresIn: issued.expiresIn,
      serverExpiresAt: issued.expiresAt,
    });
    if (!isReportableSkew(skew)) {
      st.lastSkew = undefined;
      return;
    }
    if (st.lastSkew !== undefined && Math.abs(st.lastSkew - skew) < SKEW_REPORT_STEP_MS) return;
    st.lastSkew = skew;
    const minutes = Math.round(skew / 60_000);
    this.log(
      `the server clock of "${profile.name}" differs from this machine's by about ${minutes} min; ` +
        'expiry is computed from local receipt time, so tokens keep working',
    );
    this.skewed.fire({ profileId: profile.id, skewMs: skew });
  }

  /** A long-term token entered its warning period: said once per token. */
  expiringLongTerm(
    profile: Profile,
    st: ProfileState,
    long: { tokenId: string; receivedAt: number; expiresIn: number },
    now: number,
  ): void {
    if (st.warnedTokenId === long.tokenId) return;
    st.warnedTokenId = long.tokenId;
    const expiresAt = expiryOf(long);
    const daysLeft = Math.max(0, Math.floor((expiresAt - now) / 86_400_000));
    this.log(`long-term token ${long.tokenId} of "${profile.name}" expires in ${daysLeft} day(s)`);
    this.expiring.fire({
      profileId: profile.id,
      profileName: profile.name,
      tokenId: long.tokenId,
      expiresAt,
      daysLeft,
    });
  }

  auditToken(
    action: AuditEntry['action'],
    profile: Pick<Profile, 'id' | 'name'>,
    kind: TokenKind,
    meta: AuditedMeta,
    outcome?: RevokeOutcome,
  ): void {
    const entry: AuditEntry = {
      action,
      profileId: profile.id,
      profileName: profile.name,
      kind,
      tokenId: meta.tokenId,
      scopes: [...meta.scopes],
      expiresAt: 'expiresAt' in meta ? meta.expiresAt : expiryOf(meta),
      at: this.deps.clock.now(),
      ...(outcome ? { outcome } : {}),
    };
    // One audit line, not two: with an audit sink (the extension's log) it writes the line; without one, the log does.
    if (this.deps.audit) this.deps.audit(entry);
    else
      this.log(
        `audit: ${action}${outcome ? ` (${outcome})` : ''} ${kind}-term token ${entry.tokenId} of "${profile.name}", scopes ${entry.scopes.join(' ') || '(none)'}, expires ${new Date(entry.expiresAt).toISOString()}`,
      );
  }

  /** Each ending of a revoke (and its queuing for a retry) is one audit line: never "revoked" for a refusal. */
  auditRevoke(job: RevokeJob, outcome: RevokeOutcome): void {
    this.auditToken(
      'revoke',
      { id: job.profileId, name: this.deps.nameOf(job.profileId) ?? job.profileId },
      job.kind,
      job,
      outcome,
    );
  }

  dispose(): void {
    this.changed.dispose();
    this.failed.dispose();
    this.expiring.dispose();
    this.skewed.dispose();
    this.activityChanged.dispose();
  }
}
