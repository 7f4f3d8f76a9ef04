/** Diagnostic codes, stable so code actions and tests can match on them. */
export const DiagnosticCodes = {
  expired: 'c2m.expired',
  revoked: 'c2m.revoked',
  longTerm: 'c2m.longTermLeak',
  expiring: 'c2m.expiring',
  envNotIgnored: 'c2m.envNotIgnored',
  tooLarge: 'c2m.tooLarge',
  /** A token goes to a host other than its profile's origin. */
  wrongDestination: 'c2m.wrongDestination',
  /** REST Client reads a synced {{$dotenv}} variable from another env file than the one the sync writes. */
  syncShadowed: 'c2m.syncShadowed',
} as const;
