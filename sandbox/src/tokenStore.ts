// In-memory token state: every issued token by id, long-term tokens by a digest of their value
// (the value itself is not kept), and the parent -> children links that make revocation cascade.
import { randomBytes } from 'node:crypto';
import { sha256 } from './clients';

interface TokenRecordBase {
  readonly tokenId: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
  /** Epoch ms. */
  readonly issuedAt: number;
  readonly expiresAt: number;
  revoked: boolean;
}

export interface LongTokenRecord extends TokenRecordBase {
  readonly kind: 'long';
  readonly children: Set<string>;
}

export interface ShortTokenRecord extends TokenRecordBase {
  readonly kind: 'short';
  readonly parentId: string;
}

export type TokenRecord = LongTokenRecord | ShortTokenRecord;

const randomId = (bytes: number) => randomBytes(bytes).toString('hex');

export class TokenStore {
  private readonly byId = new Map<string, TokenRecord>();
  private readonly longIdByDigest = new Map<string, string>();

  /** Creates an opaque long-term token (`lt_` + 256 random bits). */
  issueLong(
    clientId: string,
    scopes: readonly string[],
    issuedAt: number,
    ttlSeconds: number,
  ): { record: LongTokenRecord; value: string } {
    const value = `lt_${randomBytes(32).toString('base64url')}`;
    const record: LongTokenRecord = {
      kind: 'long',
      tokenId: `tok_lt_${randomId(12)}`,
      clientId,
      scopes: [...scopes],
      issuedAt,
      expiresAt: issuedAt + ttlSeconds * 1000,
      revoked: false,
      children: new Set(),
    };
    this.byId.set(record.tokenId, record);
    this.longIdByDigest.set(sha256(value).toString('hex'), record.tokenId);
    return { record, value };
  }

  /** Records a short-term token made from `parent`; the caller signs the JWT whose jti is the returned id. */
  registerShort(
    parent: LongTokenRecord,
    scopes: readonly string[],
    issuedAt: number,
    ttlSeconds: number,
  ): ShortTokenRecord {
    const record: ShortTokenRecord = {
      kind: 'short',
      tokenId: `tok_st_${randomId(12)}`,
      clientId: parent.clientId,
      parentId: parent.tokenId,
      scopes: [...scopes],
      issuedAt,
      expiresAt: issuedAt + ttlSeconds * 1000,
      revoked: false,
    };
    this.byId.set(record.tokenId, record);
    parent.children.add(record.tokenId);
    return record;
  }

  findLongByValue(value: string): LongTokenRecord | undefined {
    const id = this.longIdByDigest.get(sha256(value).toString('hex'));
    const record = id === undefined ? undefined : this.byId.get(id);
    return record?.kind === 'long' ? record : undefined;
  }

  get(tokenId: string): TokenRecord | undefined {
    return this.byId.get(tokenId);
  }

  /** Revokes a token and, for a long-term token, every short-term token made from it. Idempotent. */
  revoke(tokenId: string): void {
    const record = this.byId.get(tokenId);
    if (!record) return;
    record.revoked = true;
    if (record.kind === 'long') {
      for (const childId of record.children) {
        const child = this.byId.get(childId);
        if (child) child.revoked = true;
      }
    }
  }

  isRevoked(tokenId: string): boolean {
    return this.byId.get(tokenId)?.revoked ?? false;
  }
}
