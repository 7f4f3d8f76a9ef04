// What the language server is sent of a text: token shapes get their stand-ins (redactTokens), then every value the
// extension holds that still shows, in any spelling (heldSecrets.ts), is replaced too. Same length throughout, so
// every offset the server reports holds. Pure, no vscode import. The finder is the log redactor's (api/heldSecrets.ts),
// handed in by the extension: this bundle keeps no copy of it.
import type { HeldSpan, heldSpans } from '../api/heldSecrets';
import { tokenFingerprint } from '@shared/tokens/fingerprint';
import { redactTokens } from '@shared/tokens/redactTokens';

/** Where held values appear in a text, in any spelling. */
export type HeldSpanFinder = typeof heldSpans;

/** The values the extension holds: tokens (which the server may know by fingerprint) and other secrets. */
export interface Held {
  tokens: readonly string[];
  secrets: readonly string[];
}

export const NOTHING_HELD: Held = Object.freeze({ tokens: [], secrets: [] });

/** Neither base64url nor a separator any parser looks at: a blanked secret reads as no token and splits nothing. */
const FILLER = '*';
const STAND_IN = 'C2MFP';
const LONG_STAND_IN_LENGTH = 'lt_'.length + STAND_IN.length + 16;

/**
 * The same-length replacement of one hit. A held token written as it is (an opaque long-term token has no shape the
 * server looks for) becomes the `lt_` stand-in of its fingerprint where it is long enough, so the server still knows
 * the token there; everything else (encoded spellings, client secrets, short values) is blanked.
 */
function replacementOf(hit: HeldSpan, isToken: boolean): string {
  const length = hit.end - hit.start;
  if (hit.raw && isToken && length >= LONG_STAND_IN_LENGTH) {
    return `lt_${STAND_IN}${tokenFingerprint(hit.value)}${'_'.repeat(length - LONG_STAND_IN_LENGTH)}`;
  }
  return FILLER.repeat(length);
}

/** `text` as the server may see it: no token's secret part, no held value in any spelling, every offset kept. */
export function serverText(text: string, held: Held, find: HeldSpanFinder): string {
  const shaped = redactTokens(text);
  if (held.tokens.length === 0 && held.secrets.length === 0) return shaped;
  const hits = find(shaped, [...held.tokens, ...held.secrets]);
  if (hits.length === 0) return shaped;
  const tokens = new Set(held.tokens);
  const parts: string[] = [];
  let pos = 0;
  for (const hit of hits) {
    parts.push(shaped.slice(pos, hit.start), replacementOf(hit, tokens.has(hit.value)));
    pos = hit.end;
  }
  parts.push(shaped.slice(pos));
  return parts.join('');
}
