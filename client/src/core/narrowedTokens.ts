// Short-term tokens with fewer scopes than the profile's own, for consumers (other extensions) that ask for less.
// Each is exchanged once per set of scopes and kept in memory only (never stored: other windows exchange their own),
// while it is valid and its long-term token is unchanged and not revoked; it is refreshed like the profile's own token
// (needsRefresh) but without jitter, since no other window shares it.
import type { IssuedToken } from '../api/types';
import { cancelledError } from './engineErrors';
import type { EngineReport } from './engineReport';
import { CoreError } from './errors';
import type { CancellableFlight } from './operation';
import type { Profile } from './profile';
import { isActive, type Active, type ProfileState } from './profileState';
import { needsRefresh, refreshPointOf } from './refreshPolicy';
import { coveredBy, normaliseScopes, sameScopes } from './scopeNarrowing';
import { activeRecordBody, type Binding } from './secretRecords';
import { tokenInfoOf, type ShownMeta } from './tokenInfo';
import type { TokenInfo } from './tokenService';

export type ShortResult = { value: string; info: TokenInfo };
/** A narrowed short-term token: the body of a stored record, kept in memory only. */
type Narrowed = ShownMeta & { accessToken: string };

export interface NarrowedTokensDeps {
  now(): number;
  report: EngineReport;
  /** The engine's short-term flights: one exchange per profile and set of scopes at a time. */
  flights: CancellableFlight<ShortResult>;
  stateOf(profileId: string): ProfileState;
  /** The profile's own short-term token (asked for the profile's own scopes, or none). */
  ownToken(profile: Profile, minValidityMs: number): Promise<ShortResult>;
  /** The long-term token to exchange with, checked as for any exchange (binding, current copy, network). */
  usableLong(profile: Profile): Promise<{ binding: Binding; long: Active }>;
  /** The exchange itself, shown as the profile refreshing. */
  exchange(profile: Profile, bearer: string, scopes: string[]): Promise<IssuedToken>;
  /** Throws when the profile was revoked or signed out since `generation`. */
  throwIfSuperseded(profile: Profile, generation: number): void;
}

export class NarrowedTokens {
  /** By profile id + scopes. */
  private readonly narrowed = new Map<string, { record: Narrowed; refreshAt: number; generation: number }>();

  constructor(private readonly deps: NarrowedTokensDeps) {}

  /**
   * A short-term token with exactly `scopes`. The profile's own token serves when the scopes are its scopes or none
   * are given; otherwise a narrowed token.
   */
  async get(profile: Profile, scopes: readonly string[], minValidityMs: number): Promise<ShortResult> {
    const wanted = normaliseScopes(scopes);
    const st = this.deps.stateOf(profile.id);
    const longScopes = st.long?.scopes ?? profile.scopes;
    const ownScopes = profile.shortScopes?.length ? profile.shortScopes : longScopes;
    if (wanted.length === 0 || sameScopes(wanted, ownScopes)) return this.deps.ownToken(profile, minValidityMs);
    const missing = wanted.filter((s) => !coveredBy(longScopes, s));
    if (missing.length > 0) {
      throw new CoreError(
        'api',
        `The long-term token of "${profile.name}" does not allow ${missing.join(', ')}: no narrowed token issued.`,
        { apiCode: 'invalid_scope' },
      );
    }
    const key = `${profile.id}\u0000${wanted.join(' ')}`;
    const now = this.deps.now();
    const cached = this.narrowed.get(key);
    if (
      cached &&
      cached.generation === st.generation &&
      isActive(st.long) &&
      cached.record.longTokenId === st.long.tokenId &&
      !needsRefresh(cached.record, cached.refreshAt, now, minValidityMs)
    ) {
      return resultOf(profile, cached.record, cached.refreshAt, now);
    }
    return this.deps.flights.run(
      key,
      async () => {
        const generation = st.generation;
        const { binding, long } = await this.deps.usableLong(profile);
        let issued: IssuedToken;
        try {
          issued = await this.deps.exchange(profile, long.accessToken, wanted);
        } catch (error) {
          throw this.deps.report.coreErrorOf(
            error,
            `A narrowed short-term token for "${profile.name}" could not be issued`,
          );
        }
        this.deps.throwIfSuperseded(profile, generation);
        // Held like a stored record (never written): one shape, so expiry, status and refresh point are computed once.
        const record: Narrowed = {
          ...activeRecordBody(issued, binding, long.tokenId),
          scopes: issued.scopes.length > 0 ? [...issued.scopes] : [...wanted],
        };
        const refreshAt = refreshPointOf(record, () => 0);
        this.deps.report.log(
          `issued narrowed short-term token ${record.tokenId} for "${profile.name}" (${record.scopes.join(' ')})`,
        );
        this.narrowed.set(key, { record, refreshAt, generation });
        return resultOf(profile, record, refreshAt, this.deps.now());
      },
      {},
      () => cancelledError(profile.name, 'refresh'),
    );
  }

  /** The values held, for redaction only. */
  values(): string[] {
    return [...this.narrowed.values()].map(({ record }) => record.accessToken);
  }
}

function resultOf(profile: Profile, record: Narrowed, refreshAt: number, now: number): ShortResult {
  return { value: record.accessToken, info: tokenInfoOf(profile.id, 'short', record, { now, refreshAt }) };
}
