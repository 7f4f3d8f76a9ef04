// Scope arithmetic: 'prefix:*' covers everything under 'prefix:' (including 'prefix:*' itself), '*' covers everything.
import { invalidScope } from './errors';

const SCOPE_PATTERN = /^[A-Za-z0-9_.:*-]{1,128}$/;

export function isValidScope(scope: string): boolean {
  if (!SCOPE_PATTERN.test(scope)) return false;
  // A wildcard is allowed only as the whole last segment: 'jobs:*' or '*'.
  const star = scope.indexOf('*');
  return star < 0 || (star === scope.length - 1 && (scope.length === 1 || scope[star - 1] === ':'));
}

/** Does one granted scope cover the requested one? */
export function scopeCovers(granted: string, requested: string): boolean {
  if (granted === requested || granted === '*') return true;
  if (!granted.endsWith(':*')) return false;
  return requested.startsWith(granted.slice(0, -1));
}

export function scopesCover(granted: readonly string[], requested: string): boolean {
  return granted.some((scope) => scopeCovers(scope, requested));
}

/**
 * The scopes to grant: `requested` (deduplicated) when every one is covered by `ceiling`, else 400 invalid_scope;
 * `ceiling` itself when nothing was requested.
 */
export function resolveScopes(requested: readonly string[] | undefined, ceiling: readonly string[]): string[] {
  if (requested === undefined) return [...ceiling];
  if (requested.length === 0) throw invalidScope('At least one scope is required when "scopes" is given.');
  const malformed = requested.filter((scope) => !isValidScope(scope));
  if (malformed.length > 0) {
    throw invalidScope('Scopes must look like "area:action" or "area:*".', {
      invalid_scopes: malformed.map((s) => s.slice(0, 128)),
    });
  }
  const unique = [...new Set(requested)];
  const notAllowed = unique.filter((scope) => !scopesCover(ceiling, scope));
  if (notAllowed.length > 0) {
    throw invalidScope(`Requested scopes are not allowed: ${notAllowed.join(', ')}.`, {
      invalid_scopes: notAllowed,
      allowed_scopes: [...ceiling],
    });
  }
  return unique;
}
