// The credential for issuing a long-term token, per the profile's mechanism: the stored client secret or private
// key (only if bound to this origin and client id), a freshly asked OTP, or the current short-term token (step-up).
import type { LongTermGrant } from '../api/types';
import { CoreError } from './errors';
import type { Profile } from './profile';
import type { RecordStore } from './recordStore';
import { isBoundTo, placeOf, type Binding, type SecretKind } from './secretRecords';

export interface GrantDeps {
  records: RecordStore;
  otpCode(profile: Profile): Promise<string | undefined>;
  shortTermToken(profile: Profile): Promise<string>;
}

const LABEL: Record<SecretKind, string> = { client_secret: 'client secret', private_key: 'private key' };
const ACTION = { client_secret: 'setClientSecret', private_key: 'setPrivateKey' } as const;

async function storedSecret(deps: GrantDeps, profile: Profile, binding: Binding, kind: SecretKind): Promise<string> {
  const { record } = await deps.records.readSecret(profile.id, kind);
  if (!record) {
    // A semicolon, not a colon: "secret: set" reads to the redactor as a field and its value ("[REDACTED] it first").
    throw new CoreError('missing_secret', `Profile "${profile.name}" has no ${LABEL[kind]}; set it first.`, {
      action: ACTION[kind],
    });
  }
  if (!isBoundTo(record, binding)) {
    throw new CoreError(
      'missing_secret',
      `The ${LABEL[kind]} of profile "${profile.name}" was stored for ${placeOf(record)} (client ${record.clientId}); ` +
        `it is not sent to ${placeOf(binding)} (client ${binding.clientId}). Set it again for the new base URL.`,
      { action: ACTION[kind] },
    );
  }
  return record.value;
}

export async function buildGrant(deps: GrantDeps, profile: Profile, binding: Binding): Promise<LongTermGrant> {
  const clientId = binding.clientId;
  switch (profile.mechanism) {
    case 'client_secret':
      return {
        mechanism: 'client_secret',
        clientId,
        clientSecret: await storedSecret(deps, profile, binding, 'client_secret'),
      };
    case 'assertion':
      return {
        mechanism: 'assertion',
        clientId,
        privateKeyPem: await storedSecret(deps, profile, binding, 'private_key'),
      };
    case 'otp': {
      const otpCode = (await deps.otpCode(profile))?.trim();
      if (!otpCode)
        throw new CoreError('cancelled', `No one-time code entered for "${profile.name}": nothing was issued.`);
      return { mechanism: 'otp', clientId, otpCode };
    }
    case 'short_term': {
      let shortTermToken: string;
      try {
        shortTermToken = await deps.shortTermToken(profile);
      } catch (error) {
        const reason = error instanceof Error ? error.message : 'no short-term token';
        throw new CoreError(
          'needs_short_token',
          `Step-up issuance for "${profile.name}" needs a valid short-term token with tokens:write (${reason}).`,
          { action: 'issue' },
        );
      }
      return { mechanism: 'short_term', clientId, shortTermToken };
    }
  }
}
