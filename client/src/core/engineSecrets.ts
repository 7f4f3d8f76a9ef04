// The profile's credentials in secret storage: the client secret and the private key, bound like tokens to the
// origin and client id they were given for, so they are never sent anywhere else; and, for tests only, a stored
// token's value. Nothing here is written without this window's copy being current (it would overwrite a newer one).
import type { SecretPresence } from './engineTypes';
import type { EngineCore } from './engineCore';
import { CoreError } from './errors';
import { pkcs8PemOf } from './privateKeyPem';
import { isActive } from './profileState';
import { bindingFields, expiryOf, isBoundTo, type SecretKind } from './secretRecords';
import type { TokenKind } from './tokenService';
import { staleWindowError } from './windowChannel';

export async function setClientSecret(core: EngineCore, profileId: string, secret: string): Promise<void> {
  if (!secret) throw new CoreError('missing_secret', 'The client secret is empty.', { action: 'setClientSecret' });
  await storeSecret(core, profileId, 'client_secret', secret);
}

/** Accepts PKCS#8, PKCS#1 or SEC1 PEM (RSA, P-256, Ed25519) and stores it as PKCS#8. */
export async function setPrivateKey(core: EngineCore, profileId: string, pem: string): Promise<void> {
  await storeSecret(core, profileId, 'private_key', pkcs8PemOf(pem));
}

export async function secretPresence(core: EngineCore, profileId: string, kind: SecretKind): Promise<SecretPresence> {
  const profile = core.requireProfile(profileId);
  const { record } = await core.records.readSecret(profile.id, kind);
  if (!record) return 'absent';
  const binding = core.bindingOf(profile);
  return binding && isBoundTo(record, binding) ? 'set' : 'other_origin';
}

/**
 * A stored token value. No product code calls it (the extension reaches it only through its `testing` API, which
 * exists outside production mode): tests read real values with it to prove they never surface anywhere.
 */
export async function storedTokenValue(core: EngineCore, profileId: string, kind: TokenKind): Promise<string> {
  const profile = core.requireProfile(profileId);
  const binding = core.requireBinding(profile);
  const { record } = await core.records.readToken(profile.id, kind);
  if (!isActive(record) || !isBoundTo(record, binding) || core.clock.now() >= expiryOf(record)) {
    throw new CoreError('no_long_token', `Profile "${profile.name}" has no valid ${kind}-term token.`, {
      action: 'issue',
    });
  }
  return record.accessToken;
}

/** Sign-out comes first (revocation.ts); then the profile's client secret and private key are deleted. */
export async function deleteSecrets(core: EngineCore, profileId: string): Promise<void> {
  await core.records.deleteSecret(profileId, 'client_secret');
  await core.records.deleteSecret(profileId, 'private_key');
}

async function storeSecret(core: EngineCore, profileId: string, kind: SecretKind, value: string): Promise<void> {
  const profile = core.requireProfile(profileId);
  const binding = core.requireBinding(profile);
  // Masked from now on, before anything could log it.
  if (kind === 'client_secret') core.report.remember(value);
  await core.requireCurrentCopy(profile, true);
  if (!(await core.records.writeSecret(profile.id, kind, { ...bindingFields(binding), value }))) {
    throw staleWindowError(profile.name);
  }
  core.report.log(
    `stored the ${kind === 'client_secret' ? 'client secret' : 'private key'} of "${profile.name}" for ${binding.origin}`,
  );
}
