// The timer refresh across windows: one window refreshes a profile's short-term token for all, under a lease the
// window channel grants; the others look again when that lease ends (the winner's token reaches them as a change
// by then). Owns the pending claims and the look-again timers, so none outlives the engine.
import type { Clock } from './clock';
import type { Profile } from './profile';
import type { Disposable } from './tokenService';
import type { WindowCoordinator } from './windowChannel';

export interface RefreshLeasesDeps {
  clock: Clock;
  windows: WindowCoordinator;
  log(line: string): void;
  /** Another window's lease ended: re-read the profile (its token, or the lack of one, decides what follows). */
  leaseEnded(profileId: string): void;
}

export class RefreshLeases implements Disposable {
  /** Profiles whose refresh lease is being asked for. */
  private readonly claiming = new Set<string>();
  /** The re-checks set for when another window's lease ends. */
  private readonly waits = new Map<string, Disposable>();
  private disposed = false;

  constructor(private readonly deps: RefreshLeasesDeps) {}

  /** True when this window may refresh `tokenId` now; false when a claim runs already or another window holds it. */
  async claim(profile: Profile, tokenId: string): Promise<boolean> {
    if (this.claiming.has(profile.id)) return false;
    this.claiming.add(profile.id);
    let lease: { claimed: boolean; until?: number };
    try {
      lease = await this.deps.windows.claimRefresh(profile.id, tokenId);
    } finally {
      this.claiming.delete(profile.id);
    }
    if (this.disposed) return false;
    if (lease.claimed) return true;
    const { clock } = this.deps;
    this.deps.log(
      `another window refreshes the short-term token of "${profile.name}"; looking again when its lease ends`,
    );
    this.waits.get(profile.id)?.dispose();
    const wait = Math.max(0, (lease.until ?? clock.now()) - clock.now()) + 1;
    this.waits.set(
      profile.id,
      clock.setTimer(wait, () => {
        this.waits.delete(profile.id);
        this.deps.leaseEnded(profile.id);
      }),
    );
    return false;
  }

  dispose(): void {
    this.disposed = true;
    for (const wait of this.waits.values()) wait.dispose();
    this.waits.clear();
  }
}
