// What the one-time code box accepts: authenticator apps show 6 digits, often as "123 456". Spaces are dropped;
// anything else is refused as the user types, before anything is sent (a wrong code burns a login attempt).
import { l10n } from '../host/l10n';

export function otpProblem(value: string): string | undefined {
  return /^\d{6}$/.test(normaliseOtp(value))
    ? undefined
    : l10n.t('Enter the 6 digits of the one-time code (spaces are ignored).');
}

export function normaliseOtp(value: string): string {
  return value.replace(/\s+/g, '');
}
