// Where credentials may be sent. HTTPS only, except loopback (the local sandbox), and an origin helper so
// secrets and bearer tokens can be bound to the origin they belong to.
import { isLoopbackHost } from '@shared/net/loopbackHost';
import { originOf } from '@shared/net/origin';
import { C2mApiError } from './errors';

export { originOf };

function insecure(code: string, message: string): C2mApiError {
  return new C2mApiError({ kind: 'insecure_url', code, message });
}

/**
 * Parses and vets a base URL such as https://api.example.com/v1.
 * Throws C2mApiError kind insecure_url with a message that says what to change.
 */
export function checkBaseUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw insecure(
      'invalid_base_url',
      'The C2M base URL is not a valid URL (expected e.g. https://api.example.com/v1).',
    );
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw insecure('invalid_base_url', `The C2M base URL must start with https:// (got ${parsed.protocol}).`);
  }
  if (parsed.username || parsed.password) {
    throw insecure('invalid_base_url', 'The C2M base URL must not contain a user name or password.');
  }
  if (parsed.search || parsed.hash) {
    throw insecure('invalid_base_url', 'The C2M base URL must not contain a query (?...) or fragment (#...).');
  }
  if (parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname)) {
    throw insecure(
      'insecure_url',
      `Refusing to send credentials over plain HTTP to ${parsed.host}: use https://, ` +
        'or http:// only for a local sandbox on 127.0.0.1, ::1 or localhost.',
    );
  }
  return parsed;
}

/**
 * The base URL that credentials are bound to: origin (port explicit) and path without trailing slashes, so
 * https://a/v1, https://a:443/v1/ and HTTPS://A/v1 compare equal and https://a/v2 does not.
 */
export function normalisedBaseUrl(base: URL): string {
  return `${originOf(base)}${base.pathname.replace(/\/+$/, '')}`;
}

/** The base URL as a string without trailing slashes, to append contract paths to. */
export function baseHref(base: URL): string {
  return base.href.replace(/\/+$/, '');
}
