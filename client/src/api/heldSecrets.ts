// Where a secret the extension holds (a token value, a client secret) appears in a text, in whatever spelling: as it
// is, percent-encoded (any of its characters, either hex case: a token in a query string, `%2E` for its dots),
// JSON-escaped (`\u002e`, `\/`, `\"`), or inside base64/base64url (`Authorization: Basic base64(id:secret)`).
// Shapes (eyJ…, lt_…) catch tokens nobody told us about; this catches the values we know, opaque ones included.
// Pure, no vscode import: the log redactor and the language server sync both use it.

export interface HeldSpan {
  start: number;
  end: number;
  /** The held value found there (so a caller can tell tokens from other secrets). */
  value: string;
  /** Spelled exactly as the value (not encoded): only there may a stand-in that names the value go. */
  raw: boolean;
}

/** Shorter values are not looked for: they would match ordinary text (and nothing the extension holds is that short). */
export const MIN_HELD_LENGTH = 8;

const HEX = '0123456789abcdef';

/** Both cases of a hex digit as a character class (`[Ee]`), a digit as itself. */
function hexDigit(n: number): string {
  const d = HEX[n]!;
  return d >= 'a' ? `[${d.toUpperCase()}${d}]` : d;
}

function hexByte(byte: number): string {
  return hexDigit(byte >> 4) + hexDigit(byte & 15);
}

function escapeRegExp(c: string): string {
  return c.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/** Every spelling of one character: itself, %XX (UTF-8 bytes), \uXXXX, and `\c` for what JSON may escape that way. */
function spellings(c: string): string {
  const code = c.charCodeAt(0);
  const bytes = [...Buffer.from(c, 'utf8')];
  const alternatives = [escapeRegExp(c), bytes.map((b) => `%${hexByte(b)}`).join('')];
  alternatives.push(`\\\\u${[12, 8, 4, 0].map((shift) => hexDigit((code >> shift) & 15)).join('')}`);
  if (c === '/' || c === '"' || c === '\\') alternatives.push(`\\\\${escapeRegExp(c)}`);
  return `(?:${alternatives.join('|')})`;
}

/**
 * One regex per value: each character in any of its spellings. The alternatives of one character start with different
 * characters (the character itself, `%`, `\`), so a failed attempt costs at most the value's length: linear in practice.
 */
const patterns = new Map<string, RegExp>();
const MAX_PATTERNS = 256;

function encodedPattern(value: string): RegExp {
  let re = patterns.get(value);
  if (!re) {
    // Surrogate pairs stay together (Array.from splits by code point); such a character is matched as itself only.
    re = new RegExp([...value].map((c) => (c.length === 1 ? spellings(c) : escapeRegExp(c))).join(''), 'g');
    if (patterns.size >= MAX_PATTERNS) patterns.clear();
    patterns.set(value, re);
  }
  return re;
}

/**
 * The runs of base64 (and base64url) that encode `value` whatever bytes came before it: for each of the three
 * alignments, the characters made of the value's bits only (the edges, which mix in neighbouring bytes, are left out).
 */
function base64Cores(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const out = new Set<string>();
  for (let pad = 0; pad < 3; pad++) {
    const encoded = Buffer.concat([Buffer.alloc(pad), bytes]).toString('base64');
    const core = encoded.slice(Math.ceil((8 * pad) / 6), Math.floor((8 * (pad + bytes.length)) / 6));
    if (core.length < MIN_HELD_LENGTH) continue;
    out.add(core);
    out.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...out];
}

function addAll(text: string, needle: string, value: string, raw: boolean, out: HeldSpan[]): void {
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1))
    out.push({ start: at, end: at + needle.length, value, raw });
}

/**
 * Every place in `text` where one of `values` appears, in any spelling above; sorted by start, overlapping hits merged
 * into the first (its value and rawness kept). Values shorter than `minLength` are skipped.
 */
export function heldSpans(text: string, values: Iterable<string>, minLength = MIN_HELD_LENGTH): HeldSpan[] {
  const hits: HeldSpan[] = [];
  // Escapes only matter where the text has any: otherwise plain searches are all there is to do.
  const escaped = text.includes('%') || text.includes('\\');
  for (const value of new Set(values)) {
    if (typeof value !== 'string' || value.length < minLength) continue;
    addAll(text, value, value, true, hits);
    if (escaped) {
      const re = encodedPattern(value);
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        if (m[0] !== value) hits.push({ start: m.index, end: m.index + m[0].length, value, raw: false });
        re.lastIndex = m.index + 1;
      }
    }
    for (const core of base64Cores(value)) if (core !== value) addAll(text, core, value, false, hits);
  }
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: HeldSpan[] = [];
  for (const h of hits) {
    const last = merged.at(-1);
    if (last && h.start < last.end) {
      if (h.end > last.end) merged[merged.length - 1] = { ...last, end: h.end, raw: false };
      continue;
    }
    merged.push(h);
  }
  return merged;
}
