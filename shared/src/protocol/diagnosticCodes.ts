/** Diagnostic codes, stable so code actions and tests can match on them. */
export const DiagnosticCodes = {
  expired: 'c2m.expired',
  revoked: 'c2m.revoked',
  longTerm: 'c2m.longTermLeak',
  expiring: 'c2m.expiring',
  envNotIgnored: 'c2m.envNotIgnored',
  tooLarge: 'c2m.tooLarge',
} as const;
