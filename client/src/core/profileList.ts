// The profiles the engine serves, as settings give them, and which one is active. Kept apart from the token state:
// a profile is configuration (its base URL and client id decide where its tokens may be sent), the state is what
// secret storage holds for it. Copies are kept, so a caller changing its array changes nothing here.
import { CoreError } from './errors';
import { bindingOf, type Profile } from './profile';
import type { Binding } from './secretRecords';
import type { ProfileSummary } from './tokenService';

export class ProfileList {
  private list: Profile[] = [];
  private activeId: string | undefined;

  /**
   * Replaces the list (active: `activeId`, else the first). Returns the profiles that are new or whose binding
   * changed (their records must be read again) and the ids of the removed ones.
   */
  set(profiles: readonly Profile[], activeId?: string): { rebound: Profile[]; removed: string[] } {
    const before = new Map(this.list.map((p) => [p.id, p]));
    this.list = profiles.map((p) => ({ ...p, scopes: [...p.scopes] }));
    this.activeId = activeId ?? this.list[0]?.id;
    const rebound: Profile[] = [];
    for (const p of this.list) {
      const old = before.get(p.id);
      before.delete(p.id);
      if (!old || old.baseUrl !== p.baseUrl || old.clientId !== p.clientId) rebound.push(p);
    }
    return { rebound, removed: [...before.keys()] };
  }

  all(): readonly Profile[] {
    return this.list;
  }

  find(profileId: string): Profile | undefined {
    return this.list.find((p) => p.id === profileId);
  }

  active(): string | undefined {
    return this.activeId;
  }

  /** The profile with this id (default: the active one), or a CoreError saying there is none. */
  require(profileId?: string): Profile {
    const id = profileId ?? this.activeId;
    const profile = this.list.find((p) => p.id === id);
    if (!profile) {
      throw new CoreError(
        'no_profile',
        id === undefined ? 'No C2M profile is active: add one first.' : `There is no C2M profile "${id}".`,
      );
    }
    return profile;
  }

  summaries(): ProfileSummary[] {
    return this.list.map((p) => ({
      id: p.id,
      name: p.name,
      baseUrl: p.baseUrl,
      clientId: p.clientId,
      active: p.id === this.activeId,
    }));
  }
}

/** Where the profile's tokens may be sent; undefined when its base URL or client id cannot be used. */
export function bindingOrNone(profile: Profile): Binding | undefined {
  try {
    return bindingOf(profile);
  } catch {
    return undefined;
  }
}
