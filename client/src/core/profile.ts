// A profile holds only non-secret fields (they live in settings); its secrets live in the SecretStore.
// Field validators return a message or undefined, so quick inputs can validate as the user types.
import { checkBaseUrl, normalisedBaseUrl, originOf } from '../api/baseUrl';
import type { Binding } from './secretRecords';

export type Mechanism = 'client_secret' | 'otp' | 'assertion' | 'short_term';

export const MECHANISMS: readonly Mechanism[] = ['client_secret', 'otp', 'assertion', 'short_term'];

export interface Profile {
  id: string;
  name: string;
  baseUrl: string;
  clientId: string;
  mechanism: Mechanism;
  /** Scopes requested for the long-term token. */
  scopes: string[];
  /** Requested long-term lifetime in days (contract: 1 hour to 90 days; the server may clamp). */
  ttlDays?: number;
  /** Scopes narrowed for short-term tokens; absent = the long-term token's scopes. */
  shortScopes?: string[];
}

const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const SCOPE = /^[A-Za-z0-9_.:*-]{1,100}$/;
export const MAX_TTL_DAYS = 90;
export const MIN_TTL_DAYS = 1 / 24;

export function validateProfileId(id: string): string | undefined {
  return ID.test(id)
    ? undefined
    : 'Profile id: 1-64 letters, digits, "_", "." or "-", starting with a letter or digit.';
}

export function validateName(name: string): string | undefined {
  const trimmed = name.trim();
  if (!trimmed) return 'Name is required.';
  return trimmed.length > 80 ? 'Name: at most 80 characters.' : undefined;
}

export function validateBaseUrl(url: string): string | undefined {
  try {
    checkBaseUrl(url);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : 'The base URL is not valid.';
  }
}

export function validateClientId(clientId: string): string | undefined {
  if (!clientId.trim()) return 'Client id is required.';
  return /^[\x21-\x7e]{1,200}$/.test(clientId) ? undefined : 'Client id: printable characters without spaces.';
}

export function validateMechanism(mechanism: string): string | undefined {
  return (MECHANISMS as readonly string[]).includes(mechanism)
    ? undefined
    : `Mechanism must be one of ${MECHANISMS.join(', ')}.`;
}

/** Scopes as typed in an input box: separated by spaces or commas. */
export function parseScopes(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

export function validateScopes(scopes: readonly string[], required = true): string | undefined {
  if (required && scopes.length === 0) return 'At least one scope is required (for example jobs:submit).';
  const bad = scopes.find((s) => !SCOPE.test(s));
  return bad === undefined
    ? undefined
    : `Not a valid scope: "${bad.slice(0, 40)}" (letters, digits and _ . : * - only).`;
}

export function validateTtlDays(days: number | undefined): string | undefined {
  if (days === undefined) return undefined;
  if (!Number.isFinite(days) || days < MIN_TTL_DAYS || days > MAX_TTL_DAYS) {
    return `Lifetime must be between 1 hour (${MIN_TTL_DAYS.toFixed(3)} days) and ${MAX_TTL_DAYS} days.`;
  }
  return undefined;
}

/** Every problem of a (possibly hand-edited) profile, empty when usable. */
export function validateProfile(p: Partial<Profile>): string[] {
  const messages = [
    validateProfileId(String(p.id ?? '')),
    validateName(String(p.name ?? '')),
    validateBaseUrl(String(p.baseUrl ?? '')),
    validateClientId(String(p.clientId ?? '')),
    validateMechanism(String(p.mechanism ?? '')),
    Array.isArray(p.scopes) ? validateScopes(p.scopes.map(String)) : 'Scopes must be a list.',
    validateTtlDays(p.ttlDays),
    p.shortScopes === undefined
      ? undefined
      : Array.isArray(p.shortScopes)
        ? validateScopes(p.shortScopes.map(String), false)
        : 'Short-term scopes must be a list.',
  ];
  return messages.filter((m): m is string => m !== undefined);
}

/**
 * Where this profile's secrets may be sent: the normalised base URL (origin and path) and the client id. A path
 * change on the same origin is a change of binding too: another path may be another service. Throws for an
 * unusable URL.
 */
export function bindingOf(profile: Pick<Profile, 'baseUrl' | 'clientId'>): Binding {
  const url = checkBaseUrl(profile.baseUrl);
  return { origin: originOf(url), clientId: profile.clientId, baseUrl: normalisedBaseUrl(url) };
}
