// Finding a secret even in pieces: an editor sends an insertion as a minimal diff, so a token can cross the LSP
// connection (and land in a trace log) split into fragments that no whole-value search would see.

/**
 * The whole value and every 16-character piece at 8-character steps, so any fragment of 24 characters or more is
 * caught. A JWT's header is left out: it is the same for every token of one issuer.
 */
export function piecesOf(secret: string): string[] {
  const body = /^eyJ[\w-]+\./.test(secret) ? secret.slice(secret.indexOf('.') + 1) : secret;
  const pieces = [secret];
  for (let i = 0; i + 16 <= body.length; i += 8) pieces.push(body.slice(i, i + 16));
  return pieces;
}

/** Whether `text` holds one of the secrets, whole or a piece of it. */
export function holdsAny(text: string, secrets: readonly string[]): boolean {
  return secrets.some((s) => piecesOf(s).some((piece) => text.includes(piece)));
}
