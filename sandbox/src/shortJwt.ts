// Short-term tokens: HS256 JWTs signed with a key that lives only as long as this sandbox instance.
import { randomBytes } from 'node:crypto';

export interface ShortTokenClaims {
  sub: string;
  scope: string;
  jti: string;
  /** Epoch seconds. */
  iat: number;
  exp: number;
}

export class ShortTokenSigner {
  private readonly key = new Uint8Array(randomBytes(32));

  async sign(claims: ShortTokenClaims): Promise<string> {
    const { SignJWT } = await import('./joseParts.mjs');
    return new SignJWT({ scope: claims.scope })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.sub)
      .setJti(claims.jti)
      .setIssuedAt(claims.iat)
      .setExpirationTime(claims.exp)
      .sign(this.key);
  }

  /** The token's jti and sub when the signature is ours and it has not expired at `nowMs`; otherwise undefined. */
  async verify(token: string, nowMs: number): Promise<{ jti: string; sub: string } | undefined> {
    const { jwtVerify } = await import('./joseParts.mjs');
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        currentDate: new Date(nowMs),
        requiredClaims: ['exp', 'jti', 'sub'],
      });
      if (typeof payload.jti !== 'string' || typeof payload.sub !== 'string') return undefined;
      return { jti: payload.jti, sub: payload.sub };
    } catch {
      return undefined;
    }
  }
}
