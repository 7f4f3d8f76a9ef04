// What an agent is shown of a response: every value the extension holds masked in any spelling (heldSecrets.ts: as
// it is, percent-encoded, JSON-escaped, inside base64), then the token shapes nobody told us about (eyJ…, lt_… at a
// word start, Bearer …, secret fields), and a body cut to a bound without leaving the start of a held value at the
// cut: a prefix of a token is still part of it. The shapes are the log's (api/redact.ts), not the language server's
// redactTokens: that one also replaces `lt_…` glued to a word, which turns token ids (`tok_lt_…`) the agent needs
// into stand-ins; a held token glued to a word is still masked, by value.
// Pure and vscode-free.
import { heldSpans } from '../../api/heldSecrets';
import { redact } from '../../api/redact';

/** The longest spelling of one character heldSpans finds (`\u002e`): an encoded value is at most this many times longer. */
const WIDEST_SPELLING = 6;

/** Dot-separated parts of a held value this long are masked on their own too. */
const MIN_PART_LENGTH = 16;

/**
 * The held values and, for dotted ones (JWTs), each long part: a server that escapes the dots in a way no spelling
 * above covers (JSON escaped twice: `\\u002e`) would otherwise leave the signature readable between masked shapes.
 */
export function withParts(held: readonly string[]): string[] {
  const out = new Set(held);
  for (const value of held) {
    for (const part of value.split('.')) if (part.length >= MIN_PART_LENGTH && part !== value) out.add(part);
  }
  return [...out];
}

/** Masks held values (`held`, and those the extension registered with useHeldSecrets) and token shapes in `text`. */
export function redactForAgent(text: string, held: readonly string[]): string {
  return redact(text, withParts(held));
}

/** How many characters past a cut a held value spelled in any way can reach. */
export function cutMargin(held: readonly string[]): number {
  return WIDEST_SPELLING * Math.max(0, ...held.map((h) => h.length)) + 16;
}

/**
 * `text` (the first part of a longer body: it ends mid-way) cut so that what is kept holds no part of a held value that
 * is not wholly inside it: the last cutMargin() characters go (a value spelled there may run past the end of `text`),
 * and a held value the cut would split goes with them. Returns the kept text.
 */
export function cutSafely(text: string, held: readonly string[]): string {
  let cut = Math.max(0, text.length - cutMargin(held));
  for (const span of heldSpans(text, withParts(held), 4)) {
    if (span.start < cut && span.end > cut) cut = span.start;
  }
  return text.slice(0, cut);
}

/** Whether `text` still holds one of `held` in any spelling (the last check before a result leaves the tool). */
export function holdsAny(text: string, held: readonly string[]): boolean {
  return heldSpans(text, withParts(held), 4).length > 0;
}
