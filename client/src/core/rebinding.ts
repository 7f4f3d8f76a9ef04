// Moving a profile's stored records to a new base URL on the same origin (another path), once the user agreed:
// tokens and secrets bound to the old base URL are bound to the new one, each write compare-and-set.
import type { EngineCore } from './engineCore';
import { originChangedError } from './engineErrors';
import { clearFailure } from './profileState';
import type { RecordStore } from './recordStore';
import { bindingFields, isBoundTo, reboundRecordBody, type Binding } from './secretRecords';

/**
 * After the user agreed to it: tokens and secrets bound to the profile's previous base URL (same origin and client
 * id, another path) are bound to its current one, so they are sent there from now on. Returns how many moved.
 */
export async function rebindProfile(core: EngineCore, profileId: string, previousBaseUrl: string): Promise<number> {
  const profile = core.requireProfile(profileId);
  await core.ready();
  const now = core.requireBinding(profile);
  const before = core.requireBinding({ ...profile, baseUrl: previousBaseUrl });
  if (before.origin !== now.origin) throw originChangedError(profile.name, now, before);
  const moved = await rebindRecords(core.records, profile.id, before, now);
  const st = core.stateOf(profile.id);
  st.bindingNotice = undefined;
  // A refresh that failed because the records belonged elsewhere says nothing about them now.
  if (moved > 0) clearFailure(st);
  core.report.log(
    `moved ${moved} record(s) of "${profile.name}" from ${before.baseUrl ?? before.origin} to ${now.baseUrl ?? now.origin}`,
  );
  await core.load(profile.id);
  return moved;
}

/** Returns how many records moved (long, short, client secret, private key). */
export async function rebindRecords(
  records: RecordStore,
  profileId: string,
  before: Binding,
  now: Binding,
): Promise<number> {
  const moves = (record: Binding): boolean => isBoundTo(record, before) && !isBoundTo(record, now);
  let moved = 0;
  for (const kind of ['long', 'short'] as const) {
    const { written } = await records.updateToken(profileId, kind, ({ record }) =>
      record && record.state !== 'signed_out' && moves(record) ? reboundRecordBody(record, now) : undefined,
    );
    if (written) moved++;
  }
  for (const kind of ['client_secret', 'private_key'] as const) {
    const { record } = await records.readSecret(profileId, kind);
    if (!record || !moves(record)) continue;
    await records.writeSecret(profileId, kind, { ...bindingFields(now), value: record.value });
    moved++;
  }
  return moved;
}
