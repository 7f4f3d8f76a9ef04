// Reads and writes the versioned records of secretRecords.ts. Writes within a window are serialised per key and
// only move the version forward; a refresh writes only if nobody wrote since it started (compare-and-set on the
// version), so a sign-out or revoke from another window is never overwritten by a late answer.
import type { SecretStore } from './secretStore';
import {
  decodeSecretRecord, decodeTokenRecord, recordKey,
  type Decoded, type RecordSlot, type SecretKind, type SecretRecord, type TokenRecord,
} from './secretRecords';
import type { TokenKind } from './tokenService';
import { singleWindow, slotOf, type WindowCoordinator } from './windowChannel';

/** Body of a record without its header (version and writer are filled in here). */
type Body<T> = T extends unknown ? Omit<T, 'v' | 'version' | 'writtenBy'> : never;

export interface Read<T> {
  record?: T;
  /** 0 when absent or unreadable: the next write starts from 1. */
  version: number;
}

export class RecordStore {
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly reportedCorrupt = new Set<string>();

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
   * Writes a token record with the next version. With `expectedVersion`, writes only if the stored version is
   * still that one and returns false otherwise (someone else wrote meanwhile: their record wins). With
   * `stillWanted`, asked inside the serialised write (after every earlier write of this window to the key), a
   * false answer also writes nothing and returns false: a revoke that started meanwhile wins.
   */
  writeToken(
    profileId: string, kind: TokenKind, body: Body<TokenRecord>, expectedVersion?: number, stillWanted?: () => boolean,
  ): Promise<boolean> {
    return this.write(profileId, kind, decodeTokenRecord, body, expectedVersion, stillWanted);
  }

  writeSecret(profileId: string, kind: SecretKind, body: Body<SecretRecord>): Promise<boolean> {
    return this.write(profileId, kind, decodeSecretRecord, body, undefined);
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
    const decoded = decode(await this.store.get(key));
    if (decoded.status === 'corrupt') {
      if (!this.reportedCorrupt.has(key)) {
        this.reportedCorrupt.add(key);
        this.onUnreadable(profileId, slot);
      }
      return { version: 0 };
    }
    this.reportedCorrupt.delete(key);
    return decoded.status === 'ok' ? { record: decoded.record, version: decoded.record.version } : { version: 0 };
  }

  private write<T extends { version: number }>(
    profileId: string,
    slot: RecordSlot,
    decode: (raw: string | undefined) => Decoded<T>,
    body: object,
    expectedVersion: number | undefined,
    stillWanted: () => boolean = () => true,
  ): Promise<boolean> {
    const key = recordKey(profileId, slot);
    return this.serialised(key, async () => {
      const current = await this.read(profileId, slot, decode);
      if (expectedVersion !== undefined && current.version !== expectedVersion) return false;
      if (!stillWanted()) return false;
      return this.windows.write(key, current.version, slotOf(body), async (version) => {
        const record = { v: 1, version, writtenBy: this.windowId, ...body };
        await this.store.store(key, JSON.stringify(record));
      });
    });
  }

  private serialised<R>(key: string, task: () => Promise<R>): Promise<R> {
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    const settled = next.then(() => undefined, () => undefined);
    this.chains.set(key, settled);
    void settled.then(() => {
      if (this.chains.get(key) === settled) this.chains.delete(key);
    });
    return next;
  }
}
