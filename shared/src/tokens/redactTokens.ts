// Redaction: what the client syncs instead of a document's text.
// Same-length patches, in two layers. Below, every token-shaped substring wherever it starts: glued to a word
// (`tok_eyJ…`, `Bearer%20eyJ…`, `-lt_…`) or inside a longer chain of dotted runs (a JWT after `eyJ….`, an `lt_` run
// that swallowed a JWT's header) has its secret part replaced; the server does not look for those, but their secrets
// must not cross the connection either. On top, the tokens the server's own scanner finds (at a word start) get the
// stand-ins it recognises, and where a glued shape overlapped one of them outside its secret part, the parts that
// hold no secret (the `lt_` prefix, a header or payload of JSON claims: non-ASCII claims can encode to `lt_…`)
// are put back: the server finds and classifies them as before.
import { matchJose, matchLongTerm, releaseScannedText, TokenScanner, type TokenShape, type TokenSpan } from './grammar';
import { standInFingerprint, standInFor } from './standIns';

/** A same-length replacement of text[at, at + text.length). */
interface Patch {
  at: number;
  text: string;
}

/** Where a span's secret part starts: a JWT's signature, everything after a JWE's header, an `lt_` token's body. */
function secretStart(value: string, kind: TokenShape): number {
  return kind === 'longTerm' ? 3 : kind === 'jwe' ? value.indexOf('.') + 1 : value.lastIndexOf('.') + 1;
}

/**
 * The stand-in for the span's secret part. Undefined when there is nothing to replace (empty, or already a stand-in),
 * unless `keep`: then an existing stand-in is its own patch (it must survive the glued layer).
 */
function patchFor(text: string, span: TokenSpan, keep = false): Patch | undefined {
  const value = text.slice(span.start, span.end);
  const at = secretStart(value, span.kind);
  if (at >= value.length) return undefined;
  if (span.kind !== 'jwe' && standInFingerprint(value) !== undefined)
    return keep ? { at: span.start + at, text: value.slice(at) } : undefined;
  return { at: span.start + at, text: standInFor(value, span.kind).slice(at) };
}

/** The spans the server's parsers find (TokenScanner: a token at a word start). */
function serverSpans(text: string): TokenSpan[] {
  const scanner = new TokenScanner(text);
  const spans: TokenSpan[] = [];
  for (let r = scanner.next(0, text.length); r; r = scanner.next(r.end, text.length)) spans.push(r);
  return spans;
}

/** Whether the server's sweep found this very span (its patch is made there). */
function isSeen(seen: TokenSpan | undefined, span: TokenSpan): boolean {
  return seen !== undefined && seen.start === span.start && seen.end === span.end;
}

/**
 * Every token shape that starts at any `needle` (`eyJ` or `lt_`), wherever it is, whose span the server's sweep did
 * not find itself (`seen`). A failed candidate skips the run it started (matchJose / matchLongTerm say where to).
 * After a JWT/JWE the search goes on from the end of its header run, not of the token: a token may start in its
 * payload or signature run (a chain `eyJ….eyJ….eyJ….sig`), and then its signature lies past this one's. Each run
 * starts at most one attempt, and an attempt reads at most five runs: linear. An `lt_` hit takes the rest of its run.
 */
function gluedShapes(text: string, needle: 'eyJ' | 'lt_', seen: readonly TokenSpan[], out: Patch[]): void {
  const match = needle === 'eyJ' ? matchJose : matchLongTerm;
  let k = 0;
  for (let from = 0; ;) {
    const pos = text.indexOf(needle, from);
    if (pos === -1) return;
    const r = match(text, pos, text.length);
    if (typeof r === 'number') {
      from = Math.max(r, pos + 1);
      continue;
    }
    while (k < seen.length && seen[k]!.start < pos) k++;
    const patch = isSeen(seen[k], r) ? undefined : patchFor(text, r);
    if (patch) out.push(patch);
    from = needle === 'eyJ' ? text.indexOf('.', pos) : r.end;
  }
}

/** Whether `segment` is base64url of a JSON object: a JWT's header or payload, whose bytes are claims, not secrets. */
function isClaims(segment: string): boolean {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object';
  } catch {
    return false;
  }
}

/** The parts of a span outside its secret part that hold no secret: the `lt_` prefix, header and payload of claims. */
function publicParts(text: string, span: TokenSpan): Patch[] {
  if (span.kind === 'longTerm') return [{ at: span.start, text: 'lt_' }];
  const d1 = text.indexOf('.', span.start);
  const parts = [{ at: span.start, text: text.slice(span.start, d1) }];
  if (span.kind === 'jwt') parts.push({ at: d1 + 1, text: text.slice(d1 + 1, text.lastIndexOf('.', span.end - 1)) });
  return parts.filter((p) => p.text === 'lt_' || isClaims(p.text));
}

/** The public parts of the server's spans that a glued patch overlaps (both lists sorted by position). */
function restores(text: string, glued: readonly Patch[], spans: readonly TokenSpan[]): Patch[] {
  const out: Patch[] = [];
  let k = 0;
  for (const g of glued) {
    const end = g.at + g.text.length;
    while (k < spans.length && spans[k]!.end <= g.at) k++;
    for (let i = k; i < spans.length && spans[i]!.start < end; i++) {
      for (const part of publicParts(text, spans[i]!))
        if (part.at < end && g.at < part.at + part.text.length) out.push(part);
    }
  }
  return out;
}

/** `text` with the patches applied (sorted by `at`; where two overlap, the earlier one's characters are kept). */
function applyPatches(text: string, patches: readonly Patch[]): string {
  let out = '';
  let pos = 0;
  for (const p of patches) {
    const end = p.at + p.text.length;
    if (end <= pos) continue;
    const from = Math.max(p.at, pos);
    out += text.slice(pos, from) + p.text.slice(from - p.at);
    pos = end;
  }
  return out + text.slice(pos);
}

const byPosition = (a: Patch, b: Patch): number => a.at - b.at;

/** The token shapes as written: dots as dots. */
function redactShapes(text: string): string {
  const spans = serverSpans(text);
  const glued: Patch[] = [];
  gluedShapes(text, 'eyJ', spans, glued);
  gluedShapes(text, 'lt_', spans, glued);
  releaseScannedText();
  if (glued.length === 0) {
    const own = spans.map((s) => patchFor(text, s)).filter((p) => p !== undefined);
    return own.length > 0 ? applyPatches(text, own) : text;
  }
  glued.sort(byPosition);
  const own = spans.map((s) => patchFor(text, s, true)).filter((p) => p !== undefined);
  return applyPatches(applyPatches(text, glued), [...own, ...restores(text, glued, spans)].sort(byPosition));
}

const ENCODED_DOT = /%2e/gi;
/** What each `%2E` is read as: a dot, then two base64url characters, so every offset holds. */
const READ_AS_DOT = '.__';

/**
 * `redacted` (the shapes as written, already replaced) with the secret parts of the shapes whose dots are
 * percent-encoded (`eyJ…%2EeyJ…%2Esig`: a token in a query string) replaced too. Each `%2E` is read as `.__`, the
 * shapes found that way are redacted, and only the characters that redaction changed are taken over: the `%` of every
 * `%2E` stays (so the server finds no token there, as before), and the secret after it does not cross.
 */
function redactEncodedDots(redacted: string): string {
  ENCODED_DOT.lastIndex = 0;
  if (!ENCODED_DOT.test(redacted)) return redacted;
  const dotted = redacted.replace(ENCODED_DOT, READ_AS_DOT);
  const red = redactShapes(dotted);
  if (red === dotted) return redacted;
  const parts: string[] = [];
  let pos = 0;
  for (let i = 0; i < red.length; i++) {
    if (red.charCodeAt(i) === dotted.charCodeAt(i)) continue;
    let j = i + 1;
    while (j < red.length && red.charCodeAt(j) !== dotted.charCodeAt(j)) j++;
    parts.push(redacted.slice(pos, i), red.slice(i, j));
    pos = i = j;
  }
  parts.push(redacted.slice(pos));
  return parts.join('');
}

/**
 * `text` with every token-shaped substring's secret part replaced by its stand-in, whatever precedes or follows it,
 * dots written as `%2E` included (same length: every offset holds; linear; returns `text` itself when it holds none).
 */
export function redactTokens(text: string): string {
  return redactEncodedDots(redactShapes(text));
}
