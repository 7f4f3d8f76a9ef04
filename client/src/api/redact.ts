// The one redaction function (idempotent: masked text stays as it is). Every log line and every C2mApiError message passes through it, so a secret
// that reaches an error path (a server echoing the request, a URL, a header dump) is masked before anyone sees it.
// Rules are patterns (we cannot know every secret), plus exact values known to be secret: those the caller names, and
// every value the extension holds right now (useHeldSecrets), found in any spelling (heldSecrets.ts).
import { heldSpans } from './heldSecrets';

const MASK = '[REDACTED]';

/** Field names whose values are secrets, in JSON (`"k": "v"`), form (`k=v`) and header-ish (`k: v`) spellings. */
const SECRET_FIELDS = [
  'client_secret',
  'clientSecret',
  'otp_code',
  'otpCode',
  'otp',
  'assertion',
  'access_token',
  'accessToken',
  'long_token',
  'longToken',
  'short_token',
  'shortTermToken',
  'longTermToken',
  'refresh_token',
  'id_token',
  'password',
  'private_key',
  'privateKey',
  'privateKeyPem',
  'secret',
  'api_key',
  'apiKey',
];

const PEM_PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;
// Authorization / Proxy-Authorization with any scheme, as a header line or a JSON/inspected object entry.
const AUTH_HEADER = /\b((?:proxy-)?authorization)(["']?\s*[:=]\s*["']?)(?!\[REDACTED)(?:[A-Za-z-]+\s+)?[^\s"',}\]]+/gi;
const FIELD = new RegExp(
  String.raw`(["']?)\b(${SECRET_FIELDS.join('|')})\1(\s*[:=]\s*)(?!\[REDACTED)("(?:[^"\\]|\\.)*"|'[^']*'|[^\s&,;}\]"']+)`,
  'g',
);
const BEARER = /\bBearer\s+[A-Za-z0-9._~+/=-]+/gi;
// JWT/JWS/JWE-shaped: base64url of '{"' starts with eyJ; keep dots so every segment goes, even when truncated, and
// percent-encoded dots (`%2E`, a token in a query string) count as dots.
const JWT_SHAPED = /eyJ[A-Za-z0-9_-]{4,}(?:(?:\.|%2[Ee])[A-Za-z0-9_-]*){0,4}/g;
// Opaque long-term tokens (lt_...). \b keeps token ids such as tok_lt_b8e0aa readable (the `_` before lt is a word char).
const OPAQUE_LONG_TERM = /\blt_[A-Za-z0-9_-]{6,}/g;

/** Where the values the extension holds come from; none until the extension says (useHeldSecrets). */
let heldSource: () => Iterable<string> = () => [];

/**
 * From now on every redact() also masks what `source` gives (read at each call: the values held at that moment).
 * Disposing restores the previous source.
 */
export function useHeldSecrets(source: () => Iterable<string>): { dispose(): void } {
  const previous = heldSource;
  heldSource = source;
  return { dispose: () => void (heldSource = previous) };
}

/** The values `source` gives, or none when it fails (redaction never throws). */
function held(): string[] {
  try {
    return [...heldSource()];
  } catch {
    return [];
  }
}

function maskSpans(text: string, values: readonly string[], minLength: number): string {
  const spans = heldSpans(text, values, minLength);
  if (spans.length === 0) return text;
  let out = '';
  let pos = 0;
  for (const s of spans) {
    out += text.slice(pos, s.start) + MASK;
    pos = s.end;
  }
  return out + text.slice(pos);
}

/**
 * Masks secrets in `text`. `known` adds exact values that are secret in this context (the credential of the request in
 * flight); values shorter than 4 chars are ignored. Those and the values the extension holds are masked in any
 * spelling: as they are, JSON-escaped, percent-encoded (any characters), inside base64.
 */
export function redact(text: string, known: readonly string[] = []): string {
  let out = String(text);
  out = maskSpans(
    out,
    known.filter((k) => typeof k === 'string'),
    4,
  );
  out = maskSpans(out, held(), 8);
  return out
    .replace(PEM_PRIVATE_KEY, '[REDACTED PRIVATE KEY]')
    .replace(AUTH_HEADER, (_m, name: string, sep: string) => `${name}${sep}${MASK}`)
    .replace(FIELD, (m: string, q: string, name: string, sep: string, value: string) => {
      // Our own sentences ("has no client secret: set it first") are not fields: an unquoted key, a colon and a
      // space, then a short plain word. Secrets are longer or mixed; the values we hold are masked exactly above.
      if (q === '' && /^\s*:\s+$/.test(sep) && /^[A-Za-z]{1,7}$/.test(value)) return m;
      const quote = value.startsWith('"') ? '"' : value.startsWith("'") ? "'" : '';
      return `${q}${name}${q}${sep}${quote}${MASK}${quote}`;
    })
    .replace(BEARER, `Bearer ${MASK}`)
    .replace(JWT_SHAPED, '[REDACTED JWT]')
    .replace(OPAQUE_LONG_TERM, `lt_${MASK}`);
}
