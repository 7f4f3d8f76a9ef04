// Moving a profile's stored records to a new base URL on the same origin (another path), once the user agreed:
// tokens and secrets bound to the old base URL are bound to the new one, each write compare-and-set.
import type { RecordStore } from './recordStore';
import { bindingFields, isBoundTo, reboundRecordBody, type Binding } from './secretRecords';

/** Returns how many records moved (long, short, client secret, private key). */
export async function rebindRecords(records: RecordStore, profileId: string, before: Binding, now: Binding): Promise<number> {
  const moves = (record: Binding): boolean => isBoundTo(record, before) && !isBoundTo(record, now);
  let moved = 0;
  for (const kind of ['long', 'short'] as const) {
    const { written } = await records.updateToken(profileId, kind, ({ record }) =>
      record && record.state !== 'signed_out' && moves(record) ? reboundRecordBody(record, now) : undefined);
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
