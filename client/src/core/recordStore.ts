// Reads and writes the versioned records of secretRecords.ts. Writes within a window are serialised per key and
// only move the version forward. Every token write is compare-and-set: either against the version its caller read
// (a refresh writes only if nobody wrote since it started, so a sign-out or revoke from another window is never
// overwritten by a late answer), or through update(), which decides from the record as it is at the moment of the
// write. A damaged record's rewrite still moves the version forward (past any version it seems to carry, and past
// every version this window has seen), so other windows, which ignore older versions, take it.
import type { SecretStore } from './secretStore';
import {
  decodeSecretRecord,
  decodeTokenRecord,
  recordKey,
  type Decoded,
  type RecordSlot,
  type SecretKind,
  type SecretRecord,
  type TokenRecord,
} from './secretRecords';
import type { TokenKind } from './tokenService';
import { singleWindow, slotOf, type WindowCoordinator } from './windowChannel';

/** Body of a record without its header (version and writer are filled in here). */
type Body<T> = T extends unknown ? Omit<T, 'v' | 'version' | 'writtenBy'> : never;

export interface Read<T> {
  record?: T;
  /** 0 when absent; for an unreadable record, the highest version it or this window knew of (the next write is above). */
  version: number;
  /** The stored record could not be read: it counts as absent, and its next write replaces it. */
  damaged?: true;
}

/** The version a damaged record seems to carry, if its text still says one. */
function versionIn(raw: string): number {
  const m = /"version"\s*:\s*(\d{1,15})\b/.exec(raw);
  return m ? Number(m[1]) : 0;
}

/** Compare-and-set retries of update() before it gives up: each retry means another window wrote meanwhile. */
const UPDATE_ATTEMPTS = 10;

export class RecordStore {
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly reportedCorrupt = new Set<string>();
  /** The highest version seen per key, so a damaged record's rewrite lands above what other windows hold. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly store: SecretStore,
    private readonly windowId: string,
    /** Called once per unreadable record (until it becomes readable again). Never given the content. */
    private readonly onUnreadable: (profileId: string, slot: RecordSlot) => void,
    /** Gives each write its version and tells the other windows (metadata only); refuses when this copy is behind. */
    private readonly windows: WindowCoordinator = singleWindow,
  ) {}

  async readToken(profileId: string, kind: TokenKind): Promise<Read<TokenRecord>> {
    return this.read(profileId, kind, decodeTokenRecord);
  }

  async readSecret(profileId: string, kind: SecretKind): Promise<Read<SecretRecord>> {
    return this.read(profileId, kind, decodeSecretRecord);
  }

  /**
   * Writes a token record with the next version, only if the stored version is still `expectedVersion`; returns
   * false otherwise (someone else wrote meanwhile: their record wins). With `stillWanted`, asked inside the
   * serialised write (after every earlier write of this window to the key), a false answer also writes nothing and
   * returns false: a revoke that started meanwhile wins.
   */
  writeToken(
    profileId: string,
    kind: TokenKind,
    body: Body<TokenRecord>,
    expectedVersion: number,
    stillWanted?: () => boolean,
  ): Promise<boolean> {
    return this.write(profileId, kind, decodeTokenRecord, () => body, expectedVersion, stillWanted);
  }

  /**
   * Read, decide, write: `decide` sees the record as stored now and returns the body to write, or undefined to leave
   * it. The write is compare-and-set against that read, retried from a fresh read if another window wrote in
   * between. Resolves with every record `decide` was shown (the last is what the write replaced), so a caller can
   * act on each token that was there, and whether it wrote.
   */
  async updateToken(
    profileId: string,
    kind: TokenKind,
    decide: (current: Read<TokenRecord>) => Body<TokenRecord> | undefined,
  ): Promise<{ seen: Read<TokenRecord>[]; written: boolean }> {
    const seen: Read<TokenRecord>[] = [];
    for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      const current = await this.readToken(profileId, kind);
      seen.push(current);
      const body = decide(current);
      if (body === undefined) return { seen, written: false };
      if (await this.write(profileId, kind, decodeTokenRecord, () => body, current.version))
        return { seen, written: true };
    }
    throw new Error(`the ${kind}-term record kept changing under ${UPDATE_ATTEMPTS} attempts to write it`);
  }

  /** A secret the user just gave replaces whatever is stored (the user's latest word wins). */
  writeSecret(profileId: string, kind: SecretKind, body: Body<SecretRecord>): Promise<boolean> {
    return this.write(profileId, kind, decodeSecretRecord, () => body, undefined);
  }

  async deleteSecret(profileId: string, kind: SecretKind): Promise<void> {
    const key = recordKey(profileId, kind);
    await this.serialised(key, async () => {
      const { version } = await this.read(profileId, kind, decodeSecretRecord);
      return this.windows.write(key, version, { state: 'deleted' }, () => this.store.delete(key));
    });
  }

  private async read<T extends { version: number }>(
    profileId: string,
    slot: RecordSlot,
    decode: (raw: string | undefined) => Decoded<T>,
  ): Promise<Read<T>> {
    const key = recordKey(profileId, slot);
    const raw = await this.store.get(key);
    const decoded = decode(raw);
    if (decoded.status === 'corrupt') {
      if (!this.reportedCorrupt.has(key)) {
        this.reportedCorrupt.add(key);
        this.onUnreadable(profileId, slot);
      }
      const version = Math.max(versionIn(raw ?? ''), this.seen.get(key) ?? 0);
      this.note(key, version);
      return { version, damaged: true };
    }
    this.reportedCorrupt.delete(key);
    if (decoded.status !== 'ok') return { version: 0 };
    this.note(key, decoded.record.version);
    return { record: decoded.record, version: decoded.record.version };
  }

  private note(key: string, version: number): void {
    if (version > (this.seen.get(key) ?? 0)) this.seen.set(key, version);
  }

  private write<T extends { version: number }>(
    profileId: string,
    slot: RecordSlot,
    decode: (raw: string | undefined) => Decoded<T>,
    body: () => object,
    expectedVersion: number | undefined,
    stillWanted: () => boolean = () => true,
  ): Promise<boolean> {
    const key = recordKey(profileId, slot);
    return this.serialised(key, async () => {
      const current = await this.read(profileId, slot, decode);
      if (expectedVersion !== undefined && current.version !== expectedVersion) return false;
      if (!stillWanted()) return false;
      const fields = body();
      // The version comes from the window channel: above this copy's (a damaged record's included) and above
      // anything any window wrote, so versions order writes across windows.
      return this.windows.write(key, current.version, slotOf(fields), async (version) => {
        const record = { v: 1, version, writtenBy: this.windowId, ...fields };
        await this.store.store(key, JSON.stringify(record));
        this.note(key, version);
      });
    });
  }

  private serialised<R>(key: string, task: () => Promise<R>): Promise<R> {
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.chains.set(key, settled);
    void settled.then(() => {
      if (this.chains.get(key) === settled) this.chains.delete(key);
    });
    return next;
  }
}
