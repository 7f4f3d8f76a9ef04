// How the windows of one VS Code server keep their token records in step when their SecretStorage is not really
// shared (VS Code for the Web: each browser tab holds its own copy of every secret, loaded at start, and writes the
// whole copy back on every store). The windows share a small state file on the extension host's disk instead. It
// holds no secret: per record key the version, state and token metadata (id, fingerprint, expiry) of the last
// write, one version counter for all keys, and per profile who refreshes the short-term token next (a lease).
//
// Rules kept here, tested with in-memory fakes:
// - Versions come from the one counter, so they order writes across windows.
// - A window whose SecretStorage copy is behind the shared file for any key writes nothing: on the web its write
//   would put back its whole, older copy and drop the newer records another window made. It says so instead.
// - The newest record another window wrote (metadata only) is what the window shows and decides by.
// - One window refreshes a short-term token for all: the lease holder; a lease expires, so a closed window hands
//   over.
import { CoreError } from './errors';
import { Emitter } from './events';
import type { Clock } from './clock';
import type { Binding, TokenMeta } from './secretRecords';
import type { Disposable } from './tokenService';

/** What the state file says about one record key: never a value. */
export interface SharedSlot {
  version: number;
  /** The window that wrote it (a random id per window). */
  by: string;
  state: 'active' | 'revoked' | 'signed_out' | 'secret' | 'deleted';
  /** Token slots in state active or revoked: enough to show the token and recognise it. */
  meta?: TokenMeta & Binding;
}

export interface Lease {
  holder: string;
  /** The short-term token being replaced: a lease covers one refresh. */
  tokenId: string;
  until: number;
}

export interface SharedState {
  v: 1;
  /** The highest version written to any key. */
  clock: number;
  slots: Record<string, SharedSlot>;
  leases: Record<string, Lease>;
}

/** The state file, as a port: the VS Code side is sharedStateFile.ts, tests use MemorySharedFile. */
export interface SharedFile {
  read(): Promise<string | undefined>;
  /** Runs `change` while holding a lock that every window's process respects; writes `next` atomically if given. */
  locked<R>(change: (raw: string | undefined) => Promise<{ next?: string; result: R }>): Promise<R>;
  /** Fires (maybe more than once) after any process changed the file. */
  onDidChange(listener: () => void): Disposable;
}

/** What the engine asks of the other windows; singleWindow is the answer when there are none to ask. */
export interface WindowCoordinator {
  /**
   * Runs `doWrite` with the version the record gets, then publishes `slot` to the other windows. Returns false and
   * writes nothing when this window's copy of the secrets is behind another window's writes.
   */
  write(
    key: string,
    copyVersion: number,
    slot: Omit<SharedSlot, 'version' | 'by'>,
    doWrite: (version: number) => Promise<void>,
  ): Promise<boolean>;
  /** The last write of `key` by any window, if it is newer than `version` (the version this window's copy holds). */
  newer(key: string, version: number): SharedSlot | undefined;
  /** Whether this window's copy misses a write of another window (any key): then it must write nothing. */
  behind(): Promise<boolean>;
  /** Re-reads the shared state now (after a 401, on focus). */
  refresh(): Promise<void>;
  /** Whether this window may refresh `tokenId` of the profile now; false: another window holds the lease. */
  claimRefresh(profileId: string, tokenId: string): Promise<{ claimed: boolean; until?: number }>;
  /** Keys whose shared slot changed (written by another window). */
  onDidChange(listener: (keys: string[]) => void): Disposable;
}

/** One window alone (or a test without a channel): versions count per key, nothing is shared. */
export const singleWindow: WindowCoordinator = {
  write: async (_key, copyVersion, _slot, doWrite) => {
    await doWrite(copyVersion + 1);
    return true;
  },
  newer: () => undefined,
  behind: async () => false,
  refresh: async () => undefined,
  claimRefresh: async () => ({ claimed: true }),
  onDidChange: () => ({ dispose: () => undefined }),
};

/** How long a refresh lease lasts: longer than one exchange with its retries, short enough to hand over soon. */
export const LEASE_MS = 60_000;

export function emptyState(): SharedState {
  return { v: 1, clock: 0, slots: {}, leases: {} };
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
const STATES = new Set(['active', 'revoked', 'signed_out', 'secret', 'deleted']);

/** A damaged or foreign file reads as empty (the next write replaces it); single entries that do not fit are dropped. */
export function parseShared(raw: string | undefined): SharedState {
  if (raw === undefined) return emptyState();
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return emptyState();
  }
  if (!isObject(value) || value.v !== 1 || !isCount(value.clock) || !isObject(value.slots) || !isObject(value.leases))
    return emptyState();
  const state = emptyState();
  state.clock = value.clock;
  for (const [key, slot] of Object.entries(value.slots)) {
    if (
      isObject(slot) &&
      isCount(slot.version) &&
      typeof slot.by === 'string' &&
      STATES.has(slot.state as string) &&
      (slot.meta === undefined || isMeta(slot.meta))
    ) {
      state.slots[key] = slot as unknown as SharedSlot;
      state.clock = Math.max(state.clock, slot.version);
    }
  }
  for (const [key, lease] of Object.entries(value.leases)) {
    if (
      isObject(lease) &&
      typeof lease.holder === 'string' &&
      typeof lease.tokenId === 'string' &&
      typeof lease.until === 'number'
    ) {
      state.leases[key] = lease as unknown as Lease;
    }
  }
  return state;
}

function isMeta(x: unknown): boolean {
  return (
    isObject(x) &&
    typeof x.tokenId === 'string' &&
    typeof x.fingerprint === 'string' &&
    Array.isArray(x.scopes) &&
    typeof x.expiresIn === 'number' &&
    typeof x.receivedAt === 'number' &&
    typeof x.origin === 'string' &&
    typeof x.clientId === 'string' &&
    typeof x.serverExpiresAt === 'string' &&
    !('accessToken' in x) &&
    !('value' in x)
  );
}

/**
 * Whether this window's copy of `slot` is older than the shared file says. A key deleted elsewhere is behind only if
 * the copy still holds an older record of it.
 */
export function isBehind(slot: SharedSlot, copyVersion: number): boolean {
  if (slot.state === 'deleted') return copyVersion !== 0 && copyVersion < slot.version;
  return copyVersion < slot.version;
}

/** The version a new write gets: after everything this key ever had and everything any window wrote. */
export function nextVersion(state: SharedState, copyVersion: number): number {
  return Math.max(copyVersion, state.clock) + 1;
}

/** Who may refresh `tokenId` of `profileId` at `now`: the holder of a live lease for it, else whoever asks first. */
export function claimLease(
  state: SharedState,
  profileId: string,
  tokenId: string,
  windowId: string,
  now: number,
  leaseMs = LEASE_MS,
): { claimed: boolean; until: number } {
  const lease = state.leases[profileId];
  if (lease && lease.holder !== windowId && lease.tokenId === tokenId && now < lease.until)
    return { claimed: false, until: lease.until };
  const until = now + leaseMs;
  state.leases[profileId] = { holder: windowId, tokenId, until };
  return { claimed: true, until };
}

/**
 * What the state file may say about a record body: its state and, for tokens, the metadata fields picked one by one,
 * so neither a token value nor a client secret or private key can reach the file.
 */
export function slotOf(body: object): Omit<SharedSlot, 'version' | 'by'> {
  const b = body as Record<string, unknown>;
  if (b.state === 'active' || b.state === 'revoked') {
    const m = body as TokenMeta & Binding;
    const meta: TokenMeta & Binding = {
      tokenId: m.tokenId,
      scopes: [...m.scopes],
      expiresIn: m.expiresIn,
      receivedAt: m.receivedAt,
      serverExpiresAt: m.serverExpiresAt,
      fingerprint: m.fingerprint,
      origin: m.origin,
      clientId: m.clientId,
      ...(m.longTokenId !== undefined ? { longTokenId: m.longTokenId } : {}),
    };
    return { state: b.state, meta };
  }
  return { state: b.state === 'signed_out' ? 'signed_out' : 'secret' };
}

/** The version in a stored record's header (0: absent or unreadable), without judging the rest of it. */
export function versionOfRaw(raw: string | undefined): number {
  if (raw === undefined) return 0;
  try {
    const value: unknown = JSON.parse(raw);
    return isObject(value) && isCount(value.version) ? value.version : 0;
  } catch {
    return 0;
  }
}

/** Keys whose slot differs between two states. */
export function changedKeys(before: SharedState, after: SharedState): string[] {
  const keys = new Set([...Object.keys(before.slots), ...Object.keys(after.slots)]);
  return [...keys].filter((k) => before.slots[k]?.version !== after.slots[k]?.version);
}

export function staleWindowError(profileName: string): CoreError {
  return new CoreError(
    'other_window',
    `The tokens of "${profileName}" were changed in another window (issued, refreshed, rotated or signed out), and ` +
      'this window cannot read the change: in VS Code for the Web every window keeps its own copy of secret storage. ' +
      'Nothing was sent or stored. Reload this window to continue; do not issue a new token for this.',
    { action: 'reload' },
  );
}

export interface WindowChannelOptions {
  file: SharedFile;
  clock: Clock;
  /** A random id per window (never vscode.env.sessionId: it is the same in every browser tab). */
  windowId: string;
  /** The version of `key` in this window's own copy of the secrets (0: absent). */
  copyVersion: (key: string) => Promise<number>;
  leaseMs?: number;
  log?: (line: string) => void;
}

export class WindowChannel implements WindowCoordinator, Disposable {
  private state = emptyState();
  private readonly changed = new Emitter<string[]>();
  private readonly subscription: Disposable;
  private disposed = false;
  /** Resolves once the file has been read the first time. */
  readonly ready: Promise<void>;

  constructor(private readonly options: WindowChannelOptions) {
    this.subscription = options.file.onDidChange(() => void this.refresh().catch(() => undefined));
    this.ready = this.refresh().catch(() => undefined);
  }

  readonly onDidChange = this.changed.event;

  get windowId(): string {
    return this.options.windowId;
  }

  newer(key: string, version: number): SharedSlot | undefined {
    const slot = this.state.slots[key];
    return slot && slot.by !== this.options.windowId && isBehind(slot, version) ? slot : undefined;
  }

  async behind(): Promise<boolean> {
    return (await this.behindKeys(this.state)).length > 0;
  }

  async refresh(): Promise<void> {
    this.apply(parseShared(await this.options.file.read()));
  }

  async write(
    key: string,
    copyVersion: number,
    slot: Omit<SharedSlot, 'version' | 'by'>,
    doWrite: (version: number) => Promise<void>,
  ): Promise<boolean> {
    let wrote = false;
    let written: SharedState | undefined;
    try {
      written = await this.options.file.locked(async (raw) => {
        const state = parseShared(raw);
        const behind = await this.behindKeys(state);
        if (behind.length > 0) {
          this.options.log?.(
            `not writing ${key}: this window's copy of secret storage is behind another window's writes (${behind.join(', ')})`,
          );
          this.apply(state);
          return { result: undefined };
        }
        const version = nextVersion(state, copyVersion);
        await doWrite(version);
        wrote = true;
        state.clock = version;
        state.slots[key] = { ...slot, version, by: this.options.windowId };
        return { next: JSON.stringify(state), result: state };
      });
    } catch (error) {
      if (wrote) throw error; // The store itself failed: the caller reports it.
      // The state file cannot be used (disk full, permissions): the record is still written, as it would be with one
      // window, rather than a token the server issued being dropped.
      this.options.log?.(
        `the windows' state file failed (${error instanceof Error ? error.message : String(error)}); writing ${key} without telling other windows`,
      );
      await doWrite(nextVersion(this.state, copyVersion));
      return true;
    }
    if (!written) return false;
    this.apply(written);
    return true;
  }

  async claimRefresh(profileId: string, tokenId: string): Promise<{ claimed: boolean; until?: number }> {
    const now = this.options.clock.now();
    const leaseMs = this.options.leaseMs ?? LEASE_MS;
    try {
      return await this.options.file.locked(async (raw) => {
        const state = parseShared(raw);
        const answer = claimLease(state, profileId, tokenId, this.options.windowId, now, leaseMs);
        return { ...(answer.claimed ? { next: JSON.stringify(state) } : {}), result: answer };
      });
    } catch {
      // Without the state file a window refreshes for itself: two exchanges are better than none.
      return { claimed: true };
    }
  }

  /** Hands this window's leases over at once (best effort): another window need not wait for them to expire. */
  async release(): Promise<void> {
    await this.options.file.locked(async (raw) => {
      const state = parseShared(raw);
      const mine = Object.entries(state.leases).filter(([, l]) => l.holder === this.options.windowId);
      for (const [profileId] of mine) delete state.leases[profileId];
      return { ...(mine.length > 0 ? { next: JSON.stringify(state) } : {}), result: undefined };
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.subscription.dispose();
    this.changed.dispose();
  }

  private async behindKeys(state: SharedState): Promise<string[]> {
    const behind: string[] = [];
    for (const [key, slot] of Object.entries(state.slots)) {
      if (slot.by !== this.options.windowId && isBehind(slot, await this.options.copyVersion(key))) behind.push(key);
    }
    return behind;
  }

  private apply(next: SharedState): void {
    if (this.disposed) return;
    const keys = changedKeys(this.state, next).filter((k) => next.slots[k]?.by !== this.options.windowId);
    this.state = next;
    if (keys.length > 0) this.changed.fire(keys);
  }
}

/**
 * The state file in memory, for tests: `window()` gives each window its own view (its own change listeners) of one
 * content, and the lock is a promise chain, as the real file's lock is across processes.
 */
export class MemorySharedFile {
  content: string | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<() => void>();

  window(): SharedFile {
    const own = new Set<() => void>();
    return {
      read: async () => this.content,
      locked: (change) => {
        const run = this.chain.then(async () => {
          const { next, result } = await change(this.content);
          if (next !== undefined && next !== this.content) {
            this.content = next;
            for (const l of this.listeners) queueMicrotask(l);
          }
          return result;
        });
        this.chain = run.catch(() => undefined);
        return run;
      },
      onDidChange: (listener) => {
        own.add(listener);
        this.listeners.add(listener);
        return { dispose: () => (own.delete(listener), this.listeners.delete(listener)) };
      },
    };
  }
}
