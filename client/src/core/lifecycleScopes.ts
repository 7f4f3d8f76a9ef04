// The scopes the product's own lifecycle needs from a long-term token, beyond what the user calls the API for.
// Rotate and Sign Out revoke the token they replace or forget (and a short-term token is revoked with the
// long-term token as bearer): that takes tokens:revoke. Step-up issuance exchanges a short-term token holding
// tokens:write, which it can only get from a long-term token that has it.
import type { Mechanism } from './profile';
import { coveredBy } from './scopeNarrowing';

export const REVOKE_SCOPE = 'tokens:revoke';
export const STEP_UP_SCOPE = 'tokens:write';

/** What the wizard proposes for a new profile: the usual API scopes and what rotation and sign-out need. */
export function defaultLongTermScopes(mechanism: Mechanism): string[] {
  return ['jobs:submit', 'templates:read', ...lifecycleScopes(mechanism)];
}

export function lifecycleScopes(mechanism: Mechanism): string[] {
  return mechanism === 'short_term' ? [REVOKE_SCOPE, STEP_UP_SCOPE] : [REVOKE_SCOPE];
}

/** The lifecycle scopes `scopes` do not cover ('tokens:*' and '*' cover them). */
export function missingLifecycleScopes(scopes: readonly string[], mechanism: Mechanism): string[] {
  return lifecycleScopes(mechanism).filter((s) => !coveredBy(scopes, s));
}

export function canRevokeWith(scopes: readonly string[]): boolean {
  return coveredBy(scopes, REVOKE_SCOPE);
}

/** Whether a profile's tokens can be revoked by the product, judged from the long-term token's granted scopes. */
export interface RevokeCapability {
  canRevoke: boolean;
  /** The live long-term token whose scopes were judged; absent when judged from the profile's configured scopes. */
  long?: { tokenId: string; expiresAt: number };
}

/** The line shown wherever the product cannot revoke: in the tree, and before Rotate, Revoke and Sign Out. */
export function cannotRevokeText(profileName: string): string {
  return (
    `The long-term token of "${profileName}" lacks ${REVOKE_SCOPE}: the product cannot revoke its tokens at the server. ` +
    'Rotating or signing out stops using a token here, but it stays valid at the server until it expires.'
  );
}
