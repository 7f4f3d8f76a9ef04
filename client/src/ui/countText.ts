// Counts and sizes in user-facing texts: "1 token", "3 tokens", "512 bytes", "1.4 MB"; never "token(s)" or "0.0 MB".
// Each noun is its own pair of strings, so a translation picks its own singular and plural. Pure (texts through the
// l10n shim), so the rules run under plain mocha.
import { l10n } from '../host/l10n';

export type Counted = 'token' | 'file' | 'commit' | 'entry';

const FORMS: Record<Counted, (n: number) => string> = {
  token: (n) => (n === 1 ? l10n.t('1 token') : l10n.t('{0} tokens', n)),
  file: (n) => (n === 1 ? l10n.t('1 file') : l10n.t('{0} files', n)),
  commit: (n) => (n === 1 ? l10n.t('1 commit') : l10n.t('{0} commits', n)),
  entry: (n) => (n === 1 ? l10n.t('1 entry') : l10n.t('{0} entries', n)),
};

/** `n` of the noun, singular for exactly one. */
export function counted(n: number, noun: Counted): string {
  return FORMS[noun](n);
}

/** A size as people read it: bytes below 1 kB, then kB, MB, GB (SI), one decimal below 10 and whole numbers above. */
export function sizeText(bytes: number): string {
  if (bytes < 1000) return bytes === 1 ? l10n.t('1 byte') : l10n.t('{0} bytes', bytes);
  const units = ['kB', 'MB', 'GB'];
  let value = bytes / 1000;
  let unit = 0;
  // Chosen after rounding: 999,950 bytes is "1.0 MB", not "1000 kB".
  while (unit < units.length - 1 && Math.round(value) >= 1000) {
    value /= 1000;
    unit++;
  }
  return `${value < 9.95 ? value.toFixed(1) : Math.round(value).toString()} ${units[unit]}`;
}
