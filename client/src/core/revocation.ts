// Revoking and signing out, and what is left to revoke: a token the server issued that could not be stored, and
// revokes a closed window left unfinished. Each drops the token here first (a revoke wins over an exchange in flight:
// the generation moves, so a late answer is discarded) and then asks the server through the Revoker, which retries
// what waiting can help. Decisions are taken on the records as they are when written (compare-and-set), so a token
// another window stored meanwhile is the one revoked.
import { cancelledError, originChangedError } from './engineErrors';
import type { EngineCore } from './engineCore';
import { CoreError } from './errors';
import { canRevokeWith, type RevokeCapability } from './lifecycleScopes';
import type { OperationControl } from './operation';
import type { Profile } from './profile';
import { clearFailure, isActive, type Active } from './profileState';
import { sortUnfinished, type SecretRevokeJournal } from './revokeJournal';
import { disownedError } from './revokeMessages';
import type { RevokeTarget } from './revoker';
import { expiryOf, isBoundTo, retiredRecordBody, revokedRecordBody, type TokenRecord } from './secretRecords';
import type { ShownMeta } from './tokenInfo';
import type { TokenKind } from './tokenService';

/** Revokes the active token of any profile with this fingerprint (the leak scan and the editors know only that). */
export async function revokeByFingerprint(
  core: EngineCore,
  fingerprint: string,
  control?: OperationControl,
): Promise<void> {
  await core.ready();
  for (const p of core.profiles()) {
    const st = core.knownState(p.id);
    if (st?.long?.state === 'active' && st.long.fingerprint === fingerprint)
      return revokeToken(core, p.id, 'long', control);
    if (st?.short?.state === 'active' && st.short.fingerprint === fingerprint)
      return revokeToken(core, p.id, 'short', control);
  }
  throw new CoreError(
    'no_profile',
    'No token of any profile has this fingerprint (already revoked, or not one of ours).',
  );
}

/** Whether this profile's tokens can be revoked: the live long-term token's granted scopes, else the configured ones. */
export function revokeCapabilityOf(core: EngineCore, profileId: string): RevokeCapability {
  const profile = core.requireProfile(profileId);
  const st = core.knownState(profile.id);
  const binding = core.bindingOf(profile);
  const long =
    st && binding && isActive(st.long) && isBoundTo(st.long, binding) && core.clock.now() < expiryOf(st.long)
      ? st.long
      : undefined;
  if (!long) return { canRevoke: canRevokeWith(profile.scopes) };
  return { canRevoke: canRevokeWith(long.scopes), long: { tokenId: long.tokenId, expiresAt: expiryOf(long) } };
}

/**
 * Revokes the profile's long- or short-term token. Locally the token is dropped at once; a failed server revoke is
 * retried later and reported by the thrown error.
 */
export async function revokeToken(
  core: EngineCore,
  profileId: string,
  kind: TokenKind,
  control?: OperationControl,
): Promise<void> {
  const profile = core.requireProfile(profileId);
  const st = core.stateOf(profile.id);
  st.generation++;
  await core.ready();
  const binding = core.requireBinding(profile);
  await core.requireCurrentCopy(profile, true);
  let stray: Active | undefined;
  const { seen, written } = await core.records.updateToken(profile.id, kind, ({ record }) => {
    stray = isActive(record) && !isBoundTo(record, binding) ? record : undefined;
    return isActive(record) && !stray ? revokedRecordBody(record) : undefined;
  });
  if (stray) throw originChangedError(profile.name, binding, stray);
  const target = seen.at(-1)?.record;
  if (!written || !isActive(target)) return; // Already revoked or signed out: revoking is idempotent.
  // The server revokes a long-term token's short-term children with it. The short-term slot is written even when
  // it holds no child: its version moves, so an exchange in flight (here or in another window), which writes
  // with compare-and-set, stores nothing.
  if (kind === 'long') await core.records.updateToken(profile.id, 'short', ({ record }) => retiredRecordBody(record));
  await core.load(profile.id);
  const { record: long } = await core.records.readToken(profile.id, 'long');
  const bearer = kind === 'short' && isActive(long) && isBoundTo(long, binding) ? long.accessToken : target.accessToken;
  const { error } = await core.revoker.revoke(profile, revokeTargetOf(kind, target, bearer), false, control);
  if (error) throw error;
}

/**
 * Forgets the profile's tokens here and in every window (tombstones), then revokes at the server (best effort)
 * every live token the slots held when they were written, including one another window stored meanwhile.
 */
export async function signOut(core: EngineCore, profileId: string, control?: OperationControl): Promise<void> {
  const profile = core.requireProfile(profileId);
  const st = core.stateOf(profile.id);
  st.generation++;
  await core.ready();
  await core.requireCurrentCopy(profile, true);
  const tombstone = () => ({ state: 'signed_out' as const });
  const longs = await core.records.updateToken(profile.id, 'long', tombstone);
  const shorts = await core.records.updateToken(profile.id, 'short', tombstone);
  clearFailure(st);
  await core.load(profile.id);
  const binding = core.bindingOf(profile);
  const live = (reads: { record?: TokenRecord }[]): Active[] => {
    const out = new Map<string, Active>();
    for (const { record } of reads) {
      if (isActive(record) && !!binding && isBoundTo(record, binding) && core.clock.now() < expiryOf(record))
        out.set(record.tokenId, record);
    }
    return [...out.values()];
  };
  const liveLongs = live(longs.seen);
  // Revoking a long-term token revokes its short-term tokens too; a short-term token of another parent goes alone,
  // first, while a long-term bearer for it is still alive.
  const bearer = liveLongs.at(-1)?.accessToken;
  // A cancel queues the revokes not yet done for the background retries: these tokens are no longer held here.
  let cancelled = false;
  for (const short of live(shorts.seen)) {
    if (liveLongs.some((l) => l.tokenId === short.longTokenId)) continue;
    const { error } = await core.revoker.revoke(
      profile,
      revokeTargetOf('short', short, bearer ?? short.accessToken),
      true,
      control,
    );
    cancelled ||= error?.code === 'aborted';
  }
  for (const long of liveLongs) {
    const { error } = await core.revoker.revoke(profile, revokeTargetOf('long', long, long.accessToken), true, control);
    cancelled ||= error?.code === 'aborted';
  }
  if (cancelled) throw cancelledError(profile.name, 'sign_out');
}

/**
 * A token the server issued could not be stored: it is revoked (or queued for it) so that nobody is left with a
 * live token they do not hold, and the returned error says which, and what became of it.
 */
export async function disown(
  core: EngineCore,
  profile: Profile,
  target: RevokeTarget,
  error: unknown,
  kept: string,
): Promise<CoreError> {
  core.report.auditToken('issue', profile, target.kind, target);
  const { outcome } = await core.revoker.revoke(profile, target, false);
  const failure = disownedError(
    profile.name,
    target,
    error instanceof Error ? error.message : 'unknown error',
    outcome,
    kept,
  );
  core.report.log(failure.message);
  return failure;
}

/** Revokes left unfinished by a window that closed: the user hears which tokens may be live, then they are retried. */
export async function resumeUnfinishedRevokes(core: EngineCore, journal: SecretRevokeJournal): Promise<void> {
  const { expired, live } = sortUnfinished(await journal.read().catch(() => []), core.clock.now());
  for (const job of expired) core.track(journal.remove(job.tokenId));
  for (const [profileId, list] of live) {
    const profile = core.profileOf(profileId);
    core.report.unfinishedRevokes(profileId, list, profile !== undefined);
    for (const job of list) core.track(profile ? core.revoker.resume(profile, job) : journal.remove(job.tokenId));
  }
}

/** What the revoker needs of a token: its id, a bearer allowed to revoke it, and what to tell if it cannot. */
export function revokeTargetOf(
  kind: TokenKind,
  record: Active | (ShownMeta & { accessToken: string; bodyTokenId?: string }),
  bearer: string,
): RevokeTarget {
  // A 201 whose body named another id than X-Token-Id: the header's is tried first, the body's on a 404.
  const fallback =
    'bodyTokenId' in record && record.bodyTokenId !== undefined ? { fallbackId: record.bodyTokenId } : {};
  return {
    tokenId: record.tokenId,
    kind,
    bearer,
    scopes: [...record.scopes],
    expiresAt: expiryOf(record),
    ...fallback,
  };
}
