// The demo client every sandbox serves unless told otherwise. These values are public on purpose:
// they are documented in the README and work only against the local sandbox.
import type { SandboxClientConfig } from './types';

export const DEMO_CLIENT_ID = 'c2m_demo';
export const DEMO_CLIENT_SECRET = 'sandbox-secret-not-for-production';
/** Base32 TOTP secret (RFC 6238, SHA-1, 6 digits, 30 s): `totp(DEMO_TOTP_SECRET, Date.now())` gives the current code. */
export const DEMO_TOTP_SECRET = 'C2MSANDBOXDEMOTOTPSECRETONLY2345';
export const DEMO_SCOPES: readonly string[] = ['jobs:*', 'templates:*', 'tokens:*'];

export const DEMO_CLIENT: SandboxClientConfig = Object.freeze({
  clientId: DEMO_CLIENT_ID,
  clientSecret: DEMO_CLIENT_SECRET,
  totpSecret: DEMO_TOTP_SECRET,
  allowedScopes: [...DEMO_SCOPES],
});
