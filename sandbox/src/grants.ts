// The four ways to obtain a long-term token, exactly one per call: client secret, one-time code (TOTP or a sandbox
// code), signed assertion, or a short-term token holding tokens:write. Each check returns a Grant whose commit()
// burns what is single-use, so a request refused later (e.g. for its scopes) does not cost the user their code.
import { timingSafeEqual } from 'node:crypto';
import { JWT_BEARER_ASSERTION_TYPE } from '@shared/contract/wire';
import type { AssertionVerifier } from './assertion';
import { authenticate, type BearerContext } from './bearer';
import { sha256, type RegisteredClient } from './clients';
import {
  insufficientScope,
  invalidClient,
  invalidGrant,
  invalidRequest,
  invalidToken,
  unsupportedGrantType,
} from './errors';
import type { LongTokenRequest } from './requestSchemas';
import { scopesCover } from './scopes';
import { matchTotpStep } from './totp';

export type Mechanism = 'client_secret' | 'otp' | 'assertion' | 'bearer';

export interface Grant {
  client: RegisteredClient;
  /** The most the new token may hold; also its scopes when none are requested. */
  ceiling: readonly string[];
  /** Burns the single-use part of the credential; throws 401 invalid_client if a concurrent request burnt it first. */
  commit(): void;
}

export interface GrantContext extends BearerContext {
  clients: ReadonlyMap<string, RegisteredClient>;
  assertions: AssertionVerifier;
}

const nothingToCommit = () => undefined;

/** Which mechanism the request uses; 400 for a missing or unknown grant_type, no credential, more than one, or a misfit. */
export function mechanismOf(request: LongTokenRequest, bearer: string | undefined): Mechanism {
  if (request.grant_type !== 'client_credentials' && request.grant_type !== 'assertion') throw unsupportedGrantType();
  const present: Mechanism[] = [];
  if (request.client_secret !== undefined) present.push('client_secret');
  if (request.otp_code !== undefined) present.push('otp');
  if (request.assertion !== undefined || request.grant_type === 'assertion') present.push('assertion');
  if (bearer !== undefined) present.push('bearer');
  if (present.length === 0) {
    throw invalidRequest(
      'Provide one credential: client_secret, otp_code, assertion, or a short-term token in the Authorization header.',
    );
  }
  if (present.length > 1) {
    throw invalidRequest('Provide exactly one credential per request.', { mechanisms: present });
  }
  const mechanism = present[0]!;
  if (mechanism === 'assertion') {
    if (request.grant_type !== 'assertion') throw invalidGrant('An assertion needs grant_type "assertion".');
    if (request.assertion === undefined)
      throw invalidRequest('Field "assertion" is required when grant_type is "assertion".', { field: 'assertion' });
    if (request.assertion_type !== JWT_BEARER_ASSERTION_TYPE) {
      throw invalidGrant(`assertion_type must be "${JWT_BEARER_ASSERTION_TYPE}".`);
    }
  } else {
    if (request.grant_type !== 'client_credentials')
      throw invalidGrant(`This credential needs grant_type "client_credentials".`);
    if (request.assertion_type !== undefined)
      throw invalidRequest('Field "assertion_type" belongs to the assertion grant.', { field: 'assertion_type' });
  }
  return mechanism;
}

function secretMatches(client: RegisteredClient, secret: string): boolean {
  return client.secretDigest !== undefined && timingSafeEqual(sha256(secret), client.secretDigest);
}

function otpGrant(client: RegisteredClient, code: string, nowMs: number): Grant {
  const alreadyUsed = () => invalidClient('The one-time code was already used; use a new code.');
  if (client.unusedOneTimeCodes.has(code)) {
    return {
      client,
      ceiling: client.allowedScopes,
      commit: () => {
        if (!client.unusedOneTimeCodes.delete(code)) throw alreadyUsed();
      },
    };
  }
  const step = client.totpKey && /^\d{6}$/.test(code) ? matchTotpStep(client.totpKey, code, nowMs) : undefined;
  if (step === undefined) throw invalidClient('The one-time code is invalid or expired.');
  if (step <= client.lastTotpStep) throw alreadyUsed();
  return {
    client,
    ceiling: client.allowedScopes,
    commit: () => {
      if (step <= client.lastTotpStep) throw alreadyUsed();
      client.lastTotpStep = step;
    },
  };
}

/** Checks the credential of the request's one mechanism. Nothing single-use is consumed until commit(). */
export async function checkGrant(
  mechanism: Mechanism,
  request: LongTokenRequest,
  bearer: string | undefined,
  ctx: GrantContext,
): Promise<Grant> {
  const client = ctx.clients.get(request.client_id);
  switch (mechanism) {
    case 'client_secret':
      if (!client || !secretMatches(client, request.client_secret!)) throw invalidClient();
      return { client, ceiling: client.allowedScopes, commit: nothingToCommit };
    case 'otp':
      if (!client) throw invalidClient();
      return otpGrant(client, request.otp_code!, ctx.now());
    case 'assertion': {
      if (!client) throw invalidClient();
      const commit = await ctx.assertions.verify(client, request.assertion!);
      return { client, ceiling: client.allowedScopes, commit };
    }
    case 'bearer': {
      const token = await authenticate(bearer!, ctx);
      if (token.kind !== 'short')
        throw invalidToken('Send a short-term token with tokens:write, not a long-term token.');
      if (!scopesCover(token.scopes, 'tokens:write')) throw insufficientScope('tokens:write');
      if (!client || token.clientId !== client.clientId)
        throw invalidGrant('The token does not belong to this client_id.');
      // A rotation keeps within what the long-term token it descends from could do: no escalation by token.
      const parent = ctx.store.get(token.parentId);
      return { client, ceiling: parent?.scopes ?? token.scopes, commit: nothingToCommit };
    }
  }
}
