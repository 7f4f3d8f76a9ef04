// Bearer credentials: reading the Authorization header and turning a token value into a live token record.
import type { IncomingHttpHeaders } from 'node:http';
import { invalidToken } from './errors';
import type { ShortTokenSigner } from './shortJwt';
import type { LongTokenRecord, TokenRecord, TokenStore } from './tokenStore';

/** The token in `Authorization: Bearer <token>`; undefined without the header; 401 for another scheme or an empty token. */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const header = headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header);
  if (!match) throw invalidToken('The Authorization header must be "Bearer <token>".');
  return match[1];
}

const looksLikeJwt = (value: string) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(value);

export interface BearerContext {
  store: TokenStore;
  signer: ShortTokenSigner;
  now: () => number;
}

/** Any token of ours that is known, unrevoked and unexpired (long-term or short-term); 401 otherwise. */
export async function authenticate(token: string, ctx: BearerContext): Promise<TokenRecord> {
  const nowMs = ctx.now();
  let record: TokenRecord | undefined;
  if (looksLikeJwt(token)) {
    const verified = await ctx.signer.verify(token, nowMs);
    const found = verified ? ctx.store.get(verified.jti) : undefined;
    if (found?.kind === 'short' && found.clientId === verified?.sub) record = found;
  } else {
    record = ctx.store.findLongByValue(token);
  }
  if (!record) throw invalidToken();
  if (record.revoked) throw invalidToken('The provided token has been revoked.');
  if (nowMs >= record.expiresAt) throw invalidToken('The provided token has expired.');
  if (record.kind === 'short' && ctx.store.isRevoked(record.parentId))
    throw invalidToken('The provided token has been revoked.');
  return record;
}

export async function authenticateLong(token: string, ctx: BearerContext): Promise<LongTokenRecord> {
  const record = await authenticate(token, ctx);
  if (record.kind !== 'long') throw invalidToken('A long-term token is required for this operation.');
  return record;
}
