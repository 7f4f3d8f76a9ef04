// The assertion mechanism: a JWT signed with the client's private key, verified with jose against the registered
// public key. iss = sub = client_id, aud = the sandbox's base URL, exp required and at most ~5 minutes ahead,
// every jti accepted once.
import type { RegisteredClient } from './clients';
import { invalidClient, type SandboxHttpError } from './errors';

/** Longest lifetime an assertion may claim, counted from now. */
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;
/** Clock difference tolerated between the signer and the sandbox. */
export const ASSERTION_SKEW_SECONDS = 60;

type PublicKey = Awaited<
  ReturnType<typeof import('./joseParts.mjs', { with: { 'resolution-mode': 'import' } }).importSPKI>
>;

const fail = (reason: string): SandboxHttpError => invalidClient(`The assertion is invalid: ${reason}.`);

/** Maps jose's error codes to a reason that helps without echoing the assertion. */
function reasonOf(error: unknown): string {
  const { code, claim } = (error ?? {}) as { code?: string; claim?: string };
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'it has expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return `the "${claim ?? 'unknown'}" claim check failed`;
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'the signature does not match the registered public key';
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'the signing algorithm is not the one of the registered key';
    default:
      return 'it is not a well-formed signed JWT';
  }
}

export class AssertionVerifier {
  /** `client\0jti` of every accepted assertion: never forgotten, so a jti is never accepted twice (assertions are rare). */
  private readonly usedJtis = new Set<string>();
  private readonly keys = new Map<string, Promise<PublicKey>>();

  constructor(
    private readonly audience: string,
    private readonly now: () => number,
  ) {}

  private key(client: RegisteredClient): Promise<PublicKey> {
    let key = this.keys.get(client.clientId);
    if (!key) {
      key = import('./joseParts.mjs').then(({ importSPKI }) =>
        importSPKI(client.publicKeyPem!, client.assertionAlgorithm!),
      );
      this.keys.set(client.clientId, key);
    }
    return key;
  }

  /**
   * Verifies the assertion and returns a commit function that burns its jti; commit throws if another request
   * burnt the same jti in the meantime (checked again synchronously, so concurrent replays cannot both pass).
   */
  async verify(client: RegisteredClient, assertion: string): Promise<() => void> {
    if (!client.publicKeyPem || !client.assertionAlgorithm)
      throw invalidClient('This client has no registered public key.');
    const { jwtVerify } = await import('./joseParts.mjs');
    const nowMs = this.now();
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(assertion, await this.key(client), {
        algorithms: [client.assertionAlgorithm],
        issuer: client.clientId,
        subject: client.clientId,
        audience: this.audience,
        currentDate: new Date(nowMs),
        clockTolerance: ASSERTION_SKEW_SECONDS,
        requiredClaims: ['exp', 'jti'],
      }));
    } catch (error) {
      throw fail(reasonOf(error));
    }
    const nowSeconds = nowMs / 1000;
    const exp = payload.exp as number;
    if (exp > nowSeconds + MAX_ASSERTION_LIFETIME_SECONDS + ASSERTION_SKEW_SECONDS) {
      throw fail(`"exp" is more than ${MAX_ASSERTION_LIFETIME_SECONDS} seconds ahead`);
    }
    if (typeof payload.iat === 'number' && payload.iat > nowSeconds + ASSERTION_SKEW_SECONDS)
      throw fail('"iat" is in the future');
    const jti = payload.jti;
    if (typeof jti !== 'string' || jti === '' || jti.length > 256) throw fail('"jti" must be a non-empty string');
    const entry = `${client.clientId}\0${jti}`;
    const burn = () => {
      if (this.usedJtis.has(entry)) throw fail('its "jti" was already used');
      this.usedJtis.add(entry);
    };
    if (this.usedJtis.has(entry)) throw fail('its "jti" was already used');
    return burn;
  }
}
