// Registered clients: configs checked once at start (a bad key or base32 secret fails startSandbox, not a request),
// plus each client's single-use state (one-time codes left, last TOTP step accepted).
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import type { AssertionAlg } from '@shared/contract/wire';
import { decodeBase32 } from './totp';
import { isValidScope } from './scopes';
import type { SandboxClientConfig } from './types';

export interface RegisteredClient {
  readonly clientId: string;
  readonly allowedScopes: readonly string[];
  /** SHA-256 of the secret, compared in constant time; the secret itself is not kept. */
  readonly secretDigest?: Buffer;
  readonly totpKey?: Buffer;
  readonly publicKeyPem?: string;
  /** The JWS algorithm the registered key signs with. */
  readonly assertionAlgorithm?: AssertionAlg;
  readonly unusedOneTimeCodes: Set<string>;
  /** RFC 6238 §5.2: a code is accepted once; any step at or before the last accepted one is refused. */
  lastTotpStep: number;
}

export function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function algorithmOf(key: KeyObject, clientId: string): AssertionAlg {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return 'RS256';
    case 'ec':
      if (key.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
        throw new Error(`Client "${clientId}": ES256 needs a P-256 key.`);
      return 'ES256';
    case 'ed25519':
      return 'EdDSA';
    default:
      throw new Error(`Client "${clientId}": unsupported public key type (use RSA, P-256 or Ed25519).`);
  }
}

export function registerClient(config: SandboxClientConfig): RegisteredClient {
  const { clientId } = config;
  if (typeof clientId !== 'string' || !/^[\w.:-]{1,128}$/.test(clientId)) {
    throw new Error('Each sandbox client needs a clientId of 1-128 letters, digits, "_", ".", ":" or "-".');
  }
  if (
    !Array.isArray(config.allowedScopes) ||
    config.allowedScopes.length === 0 ||
    !config.allowedScopes.every(isValidScope)
  ) {
    throw new Error(`Client "${clientId}": allowedScopes must be a non-empty list of scopes like "jobs:*".`);
  }
  let publicKeyPem: string | undefined;
  let assertionAlgorithm: AssertionAlg | undefined;
  if (config.publicKeyPem !== undefined) {
    let key: KeyObject;
    try {
      key = createPublicKey(config.publicKeyPem);
    } catch {
      throw new Error(`Client "${clientId}": publicKeyPem is not a valid SPKI PEM public key.`);
    }
    assertionAlgorithm = algorithmOf(key, clientId);
    // Normalised to SPKI PEM, which is what jose's importSPKI reads.
    publicKeyPem = key.export({ type: 'spki', format: 'pem' }).toString();
  }
  let totpKey: Buffer | undefined;
  if (config.totpSecret !== undefined) {
    try {
      totpKey = decodeBase32(config.totpSecret);
    } catch {
      throw new Error(`Client "${clientId}": totpSecret is not valid base32.`);
    }
  }
  if (config.clientSecret !== undefined && (typeof config.clientSecret !== 'string' || config.clientSecret === '')) {
    throw new Error(`Client "${clientId}": clientSecret must be a non-empty string.`);
  }
  return {
    clientId,
    allowedScopes: [...new Set(config.allowedScopes)],
    ...(config.clientSecret !== undefined ? { secretDigest: sha256(config.clientSecret) } : {}),
    ...(totpKey ? { totpKey } : {}),
    ...(publicKeyPem ? { publicKeyPem, assertionAlgorithm } : {}),
    unusedOneTimeCodes: new Set((config.oneTimeCodes ?? []).filter((code) => typeof code === 'string' && code !== '')),
    lastTotpStep: Number.NEGATIVE_INFINITY,
  };
}

export function registerClients(configs: readonly SandboxClientConfig[]): Map<string, RegisteredClient> {
  const clients = new Map<string, RegisteredClient>();
  for (const config of configs) {
    const client = registerClient(config);
    if (clients.has(client.clientId)) throw new Error(`Client "${client.clientId}" is registered twice.`);
    clients.set(client.clientId, client);
  }
  return clients;
}
