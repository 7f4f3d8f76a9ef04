// Finding a secret even in pieces: an editor sends an insertion as a minimal diff, so a token can cross the LSP
// connection (and land in a trace log) split into fragments that no whole-value search would see.

/**
 * The whole value, and 12-character pieces at 4-character steps of its random part (so any fragment of 15 characters
 * or more of it is caught): a JWT's signature, or what follows the last '-' or '_' of an opaque value. Headers and
 * payload prefixes are left out: they are the same for every token of one issuer and would match innocent tokens.
 */
export function piecesOf(secret: string): string[] {
  const signature = /^eyJ[\w-]+\.[\w-]+\.([\w-]+)$/.exec(secret)?.[1];
  const random = signature ?? secret.slice(Math.max(secret.lastIndexOf('-'), secret.lastIndexOf('_')) + 1);
  const pieces = [secret];
  for (let i = 0; i + 12 <= random.length; i += 4) pieces.push(random.slice(i, i + 12));
  return pieces;
}

/** Whether `text` holds one of the secrets, whole or a piece of it. */
export function holdsAny(text: string, secrets: readonly string[]): boolean {
  return secrets.some((s) => piecesOf(s).some((piece) => text.includes(piece)));
}
