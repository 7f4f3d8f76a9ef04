// The signed-assertion mechanism: a short-lived JWT signed with the user's PKCS#8 private key (jose does the crypto).
// The algorithm follows from the key, so the user only configures a key file.
import { createPrivateKey, randomUUID, type KeyObject } from 'node:crypto';
import { C2mApiError } from './errors';
import type { AssertionAlg } from '@shared/contract/wire';

/** Lifetime of an assertion; the contract's servers accept at most 5 minutes. */
export const ASSERTION_LIFETIME_SECONDS = 300;

function badKey(message: string): C2mApiError {
  return new C2mApiError({ kind: 'invalid_request', code: 'invalid_private_key', message });
}

/**
 * Reads the PKCS#8 PEM and picks its algorithm: RS256 for RSA, ES256 for P-256, EdDSA for Ed25519; anything else is
 * refused with a clear message. The parsed key is what jose signs with (it takes a Node KeyObject), so jose's own
 * PKCS#8 importer, and its ASN.1 reader, stay out of the bundle.
 */
function readAssertionKey(privateKeyPem: string): { alg: AssertionAlg; key: KeyObject } | { problem: string } {
  if (!/-----BEGIN PRIVATE KEY-----/.test(privateKeyPem)) {
    return { problem: 'The private key is not a PEM-encoded PKCS#8 key ("-----BEGIN PRIVATE KEY-----").' };
  }
  let key;
  try {
    key = createPrivateKey({ key: privateKeyPem, format: 'pem' });
  } catch {
    return { problem: 'The private key could not be read (damaged PEM or a passphrase-protected key).' };
  }
  switch (key.asymmetricKeyType) {
    case 'rsa':
      if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048)
        return { problem: 'RSA private keys must have at least 2048 bits.' };
      return { alg: 'RS256', key };
    case 'ec':
      if (key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return { alg: 'ES256', key };
      return { problem: 'Only P-256 EC private keys are supported (ES256).' };
    case 'ed25519':
      return { alg: 'EdDSA', key };
    default:
      return {
        problem: `Unsupported private key type ${String(key.asymmetricKeyType)}: use RSA (RS256), P-256 (ES256) or Ed25519 (EdDSA).`,
      };
  }
}

/**
 * Why the signer would refuse this PKCS#8 key, or undefined when it can sign with it: the same rules as signing, so a
 * key is refused when the user stores it, not later on the first issue.
 */
export function assertionKeyProblem(privateKeyPem: string): string | undefined {
  const read = readAssertionKey(privateKeyPem);
  return 'problem' in read ? read.problem : undefined;
}

export interface AssertionInput {
  clientId: string;
  privateKeyPem: string;
  audience: string;
  nowMs: number;
}

/** A compact JWS with iss = sub = clientId, aud, iat, exp = iat + 300 s and a random jti. */
export async function signClientAssertion(input: AssertionInput): Promise<string> {
  const read = readAssertionKey(input.privateKeyPem);
  if ('problem' in read) throw badKey(read.problem);
  const { alg, key } = read;
  // Loaded on first use (assertions are rare, activation never needs it); see joseSign.mjs for why not import('jose').
  const { SignJWT } = await import('./joseSign.mjs');
  const iat = Math.floor(input.nowMs / 1000);
  const jwt = new SignJWT({})
    .setProtectedHeader({ alg, typ: 'JWT' })
    .setIssuer(input.clientId)
    .setSubject(input.clientId)
    .setAudience(input.audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ASSERTION_LIFETIME_SECONDS)
    .setJti(randomUUID());
  try {
    return await jwt.sign(key);
  } catch {
    // Checked above, so this is a key WebCrypto refuses although Node could read it; jose's message may quote key details.
    throw badKey(`The private key could not be used to sign for ${alg}.`);
  }
}
