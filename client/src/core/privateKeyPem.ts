// The private key a user pastes, as the one form it is stored in (PKCS#8 PEM), or a clear refusal now rather than at
// the first issue. Node reads PKCS#8, PKCS#1 and SEC1; the assertion signer then says whether it can sign with it.
import { createPrivateKey } from 'node:crypto';
import { assertionKeyProblem } from '../api/assertion';
import { CoreError } from './errors';

/** Accepts PKCS#8, PKCS#1 or SEC1 PEM (RSA, P-256, Ed25519) and returns it as PKCS#8 PEM. */
export function pkcs8PemOf(pem: string): string {
  let pkcs8: string;
  try {
    pkcs8 = createPrivateKey(pem).export({ type: 'pkcs8', format: 'pem' }).toString();
  } catch {
    throw new CoreError('missing_secret', 'This is not a readable PEM private key (RSA, P-256 or Ed25519).', {
      action: 'setPrivateKey',
    });
  }
  // A key Node can read but the signer refuses (RSA under 2048 bits, P-384, X25519...) is refused now, not at the first issue.
  const problem = assertionKeyProblem(pkcs8);
  if (problem !== undefined) throw new CoreError('missing_secret', problem, { action: 'setPrivateKey' });
  return pkcs8;
}
