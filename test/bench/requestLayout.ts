// Positions inside a generated request file, found from its text rather than assumed from the generator.

export interface RequestLines {
  /** Line of the request line (`METHOD url`). */
  requestLine: number;
  /** Line of `Authorization: Bearer <jwt>`. */
  authLine: number;
  /** Column where the JWT starts on authLine. */
  tokenColumn: number;
}

/** The `index`-th request (0-based) of a generated file. */
export function locateRequest(text: string, index: number): RequestLines {
  const lines = text.split('\n');
  const header = lines.indexOf(`### request ${index}`);
  if (header < 0) throw new Error(`request ${index} not found`);
  const authLine = lines.findIndex((l, i) => i > header && l.startsWith('Authorization: Bearer '));
  return { requestLine: header + 1, authLine, tokenColumn: 'Authorization: Bearer '.length };
}
