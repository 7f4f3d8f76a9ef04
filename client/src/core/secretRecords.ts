// What lives in the SecretStore and how it is named and encoded: one key per secret, each value a versioned
// JSON record bound to the origin and client id it belongs to. Pure functions; recordStore.ts does the I/O.
import type { IssuedToken } from '../api/types';
import { tokenFingerprint } from '@shared/tokens/fingerprint';
import type { TokenKind } from './tokenService';

export type SecretKind = 'client_secret' | 'private_key';
export type RecordSlot = SecretKind | TokenKind;

const PREFIX = 'c2m/';

export function recordKey(profileId: string, slot: RecordSlot): string {
  return `${PREFIX}${profileId}/${slot}`;
}

/** Inverse of recordKey for change events; undefined for keys that are not ours. */
export function parseRecordKey(key: string): { profileId: string; slot: RecordSlot } | undefined {
  const m = /^c2m\/(.+)\/(client_secret|private_key|long|short)$/.exec(key);
  return m ? { profileId: m[1]!, slot: m[2] as RecordSlot } : undefined;
}

/**
 * Where a secret may be sent: the normalised base URL (scheme://host:port/path, no trailing slash) and the client id
 * it was issued to. `origin` is kept beside it for messages and for records written before paths were bound.
 */
export interface Binding {
  origin: string;
  clientId: string;
  /** Absent only in records written before the path was bound: those are bound to their origin alone. */
  baseUrl?: string;
}

interface RecordHeader {
  v: 1;
  /** Per key, only ever moves forward; a write never replaces a record with a higher version. */
  version: number;
  /** Which window wrote it (diagnostics only). */
  writtenBy: string;
}

/** Metadata of a token, enough to show and revoke it. */
export interface TokenMeta {
  tokenId: string;
  scopes: string[];
  expiresIn: number;
  /** Local epoch ms of receipt; expiry = receivedAt + expiresIn * 1000. */
  receivedAt: number;
  /** Server's expires_at, for skew reports and display only. */
  serverExpiresAt: string;
  /** tokenFingerprint() of the value, so a revoked token stays recognisable after its value is dropped. */
  fingerprint: string;
  /** Short-term only: the long-term token it was exchanged from (rotating the long-term token makes it stale). */
  longTokenId?: string;
  /** The 201's token_id when it disagreed with X-Token-Id (tokenId): a revoke answered 404 tries this one. */
  bodyTokenId?: string;
}

export type TokenRecord = RecordHeader &
  (
    | ({ state: 'active'; accessToken: string } & Binding & TokenMeta)
    | ({ state: 'revoked' } & Binding & TokenMeta)
    /** Tombstone: signed out. Kept (not deleted) so its version stops an older write from bringing a token back. */
    | { state: 'signed_out' }
  );

export type SecretRecord = RecordHeader & Binding & { value: string };

export type Decoded<T> = { status: 'absent' } | { status: 'corrupt' } | { status: 'ok'; record: T };

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isString = (x: unknown): x is string => typeof x === 'string';
const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;

function parse(raw: string | undefined): Record<string, unknown> | 'absent' | 'corrupt' {
  if (raw === undefined) return 'absent';
  try {
    const value: unknown = JSON.parse(raw);
    if (!isObject(value) || value.v !== 1 || !isCount(value.version) || !isString(value.writtenBy)) return 'corrupt';
    return value;
  } catch {
    return 'corrupt';
  }
}

const hasBinding = (o: Record<string, unknown>): boolean =>
  isString(o.origin) && isString(o.clientId) && (o.baseUrl === undefined || isString(o.baseUrl));
const hasMeta = (o: Record<string, unknown>): boolean =>
  isString(o.tokenId) &&
  Array.isArray(o.scopes) &&
  o.scopes.every(isString) &&
  typeof o.expiresIn === 'number' &&
  o.expiresIn > 0 &&
  typeof o.receivedAt === 'number' &&
  Number.isFinite(o.receivedAt) &&
  isString(o.serverExpiresAt) &&
  isString(o.fingerprint) &&
  (o.longTokenId === undefined || isString(o.longTokenId)) &&
  (o.bodyTokenId === undefined || isString(o.bodyTokenId));

export function decodeTokenRecord(raw: string | undefined): Decoded<TokenRecord> {
  const o = parse(raw);
  if (o === 'absent' || o === 'corrupt') return { status: o };
  const ok =
    o.state === 'signed_out' ||
    (o.state === 'revoked' && hasBinding(o) && hasMeta(o)) ||
    (o.state === 'active' && hasBinding(o) && hasMeta(o) && isString(o.accessToken) && o.accessToken.length > 0);
  // The object was validated field by field above; JSON.parse never yields a prototype other than Object's.
  return ok ? { status: 'ok', record: o as unknown as TokenRecord } : { status: 'corrupt' };
}

export function decodeSecretRecord(raw: string | undefined): Decoded<SecretRecord> {
  const o = parse(raw);
  if (o === 'absent' || o === 'corrupt') return { status: o };
  return hasBinding(o) && isString(o.value) && o.value.length > 0
    ? { status: 'ok', record: o as unknown as SecretRecord }
    : { status: 'corrupt' };
}

/** Same client id and base URL (origin and path); a record without a path (older format) matches its origin. */
export function isBoundTo(record: Binding, binding: Binding): boolean {
  if (record.origin !== binding.origin || record.clientId !== binding.clientId) return false;
  return record.baseUrl === undefined || binding.baseUrl === undefined || record.baseUrl === binding.baseUrl;
}

/** The binding as written into a record. */
export function bindingFields(binding: Binding): Binding {
  return {
    origin: binding.origin,
    clientId: binding.clientId,
    ...(binding.baseUrl !== undefined ? { baseUrl: binding.baseUrl } : {}),
  };
}

/** Where a record belongs, for messages: its base URL, or its origin for records of the older format. */
export function placeOf(binding: Binding): string {
  return binding.baseUrl ?? binding.origin;
}

/** Expiry from local receipt time and lifetime, never from the server's clock. */
export function expiryOf(meta: Pick<TokenMeta, 'receivedAt' | 'expiresIn'>): number {
  return meta.receivedAt + meta.expiresIn * 1000;
}

const LOCAL_ID_PREFIX = 'local_';

/**
 * The id a token is known by here. The contract makes token_id optional for short-term tokens; without one,
 * the fingerprint stands in, so that per-token state (refresh point, adoption, failure reset) still tells one
 * token from the next.
 */
export function tokenIdOf(issued: Pick<IssuedToken, 'tokenId' | 'accessToken'>): string {
  return issued.tokenId !== '' ? issued.tokenId : `${LOCAL_ID_PREFIX}${tokenFingerprint(issued.accessToken)}`;
}

/** An id made up here (tokenIdOf): the server does not know it, so it cannot be revoked by it. */
export function isLocalTokenId(tokenId: string): boolean {
  return tokenId.startsWith(LOCAL_ID_PREFIX);
}

/** The record body of a freshly issued token (the header is added by RecordStore). */
export function activeRecordBody(issued: IssuedToken, binding: Binding, longTokenId?: string) {
  return {
    state: 'active' as const,
    accessToken: issued.accessToken,
    ...bindingFields(binding),
    tokenId: tokenIdOf(issued),
    scopes: [...issued.scopes],
    expiresIn: issued.expiresIn,
    receivedAt: issued.receivedAt,
    serverExpiresAt: issued.expiresAt,
    fingerprint: tokenFingerprint(issued.accessToken),
    ...(longTokenId !== undefined ? { longTokenId } : {}),
    ...(issued.bodyTokenId !== undefined ? { bodyTokenId: issued.bodyTokenId } : {}),
  };
}

/** A revoked token keeps its metadata (to show and recognise it) and loses its value. */
export function revokedRecordBody(record: Extract<TokenRecord, { state: 'active' }>) {
  const { accessToken: _dropped, v: _v, version: _version, writtenBy: _by, ...meta } = record;
  return { ...meta, state: 'revoked' as const };
}

/** The same record bound elsewhere (after the user agreed to move it); its header is written anew. */
export function reboundRecordBody(record: Exclude<TokenRecord, { state: 'signed_out' }>, binding: Binding) {
  const { v: _v, version: _version, writtenBy: _by, origin: _o, clientId: _c, baseUrl: _b, ...rest } = record;
  return { ...rest, ...bindingFields(binding) };
}

/**
 * What a slot holds once its token can no longer be used: active becomes revoked, revoked stays as it is, anything
 * else a tombstone. Written even when nothing changes, so the slot's version moves.
 */
export function retiredRecordBody(record: TokenRecord | undefined) {
  if (record?.state === 'active') return revokedRecordBody(record);
  if (record?.state === 'revoked') {
    const { v: _v, version: _version, writtenBy: _by, ...body } = record;
    return body;
  }
  return { state: 'signed_out' as const };
}
