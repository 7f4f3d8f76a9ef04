// Reads and rewrites one variable of a dotenv file. The reader is dotenv's own grammar (the `dotenv` package, which
// httpYac uses and REST Client follows; the tests compare every reading with dotenv.parse), so a quoted or multi-line
// value, an `export ` prefix and a trailing comment are read as the tools that send the requests read them. The
// rewrite replaces only the value of the assignment: the prefix, the comment after it and every other byte stay.
// Pure text in, text out: the writer (vscode/envWriter.ts) and the tests share it.

/** Names the extension writes: what every shell and dotenv reader accepts, nothing a reader could misread. */
export const SAFE_ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

export function isSafeEnvName(name: string): boolean {
  return SAFE_ENV_NAME.test(name);
}

/**
 * dotenv 16's LINE expression, flag `d` added for the offsets. Run over text whose line breaks are all `\n` (as dotenv
 * does); group 1 is the name, group 2 the raw value (surrounding quotes and blanks included).
 */
const LINE =
  /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/dgm;

/** The separator part of LINE at its shortest (`=` with the blanks before it, or `:` and one blank). */
const SEPARATOR = /\s*=|:\s/y;

export interface EnvAssignment {
  name: string;
  value: string;
  /** Offsets in the original text of the value as written (quotes included, blanks around it not). */
  valueStart: number;
  valueEnd: number;
}

/** The text with `\r\n` and `\r` turned into `\n`, and for each offset of it the offset in the original. */
function normalised(text: string): { text: string; origin: (offset: number) => number } {
  if (!text.includes('\r')) return { text, origin: (o) => o };
  const map: number[] = [];
  let out = '';
  for (let i = 0; i < text.length; i++) {
    map.push(i);
    if (text[i] === '\r') {
      out += '\n';
      if (text[i + 1] === '\n') i++;
    } else out += text[i];
  }
  map.push(text.length);
  return { text: out, origin: (o) => map[o] ?? text.length };
}

/** dotenv's reading of a raw value: blanks trimmed, surrounding quotes removed, `\n` `\r` expanded in double quotes. */
function valueOf(raw: string): string {
  let value = raw.trim();
  const quote = value[0];
  value = value.replace(/^(['"`])([\s\S]*)\1$/gm, '$2');
  if (quote === '"') value = value.replace(/\\n/g, '\n').replace(/\\r/g, '\r');
  return value;
}

/** Every assignment in file order, as dotenv reads them. */
export function parseEnv(text: string): EnvAssignment[] {
  const { text: lf, origin } = normalised(text);
  const out: EnvAssignment[] = [];
  LINE.lastIndex = 0;
  for (let m = LINE.exec(lf); m !== null; m = LINE.exec(lf)) {
    const nameEnd = m.indices?.[1]?.[1] ?? m.index;
    const group = m.indices?.[2];
    let start: number;
    let end: number;
    if (!group) {
      // No value at all: the spot right after the separator.
      SEPARATOR.lastIndex = nameEnd;
      start = end = nameEnd + (SEPARATOR.exec(lf)?.[0].length ?? 0);
    } else {
      [start, end] = group;
      // Blanks before the value stay unless they hold a line break (`A=` then `"x"` on the next line: dotenv reads x).
      let lead = start;
      while (lead < end && /[^\S\n]/.test(lf[lead] ?? '')) lead++;
      if (lead === end)
        end = start; // only blanks: the value goes in front of them
      else if (lf[lead] !== '\n') start = lead;
      while (end > start && /\s/.test(lf[end - 1] ?? '')) end--;
    }
    out.push({ name: m[1] ?? '', value: valueOf(m[2] ?? ''), valueStart: origin(start), valueEnd: origin(end) });
  }
  LINE.lastIndex = 0;
  return out;
}

/** The variables as dotenv.parse gives them (the last assignment of a name wins). */
export function readEnv(text: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const a of parseEnv(text)) out[a.name] = a.value;
  return out;
}

/** The value of `name` as dotenv reads it, or undefined. */
export function readEnvVariable(text: string, name: string): string | undefined {
  let found: string | undefined;
  for (const a of parseEnv(text)) if (a.name === name) found = a.value;
  return found;
}

/** A value no dotenv quoting can carry (it holds every quote character and ends in a backslash, say). */
export class EnvValueError extends Error {}

/**
 * The value as written in a file, such that dotenv reads exactly `value` back when a blank or a comment follows it.
 * Plain when no character is special (a JWT or an `lt_` token always is); else double quotes (dotenv expands only
 * `\n` and `\r` there, and unescapes nothing else), single quotes, or backticks, whichever can hold it.
 */
export function quoteEnvValue(value: string): string {
  if (/^[A-Za-z0-9_.\-~+/:@%=,]*$/.test(value)) return value;
  const safeInside = (q: string): boolean => !value.includes(q) && !value.endsWith('\\');
  if (safeInside('"') && !/\\[nr]/.test(value)) return `"${value.replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
  // Raw line breaks inside single quotes or backticks would be read back as `\n` whatever they were.
  if (!value.includes('\r')) {
    if (safeInside("'")) return `'${value}'`;
    if (safeInside('`')) return `\`${value}\``;
  }
  throw new EnvValueError('the value cannot be written so that dotenv reads it back unchanged');
}

/** The line break the file uses (the first one found), `\n` for a file without one. */
function lineBreakOf(text: string): string {
  const at = text.search(/\r\n?|\n/);
  if (at === -1) return '\n';
  return text[at] === '\n' ? '\n' : text[at + 1] === '\n' ? '\r\n' : '\r';
}

/**
 * `text` with `name` set to `value`: the value of each assignment of `name` is replaced where it stands (readers
 * differ on which assignment wins), everything else is kept byte for byte. When no line assigns it, one is appended
 * with the file's own line break; a file without a final line break still ends without one. `text` undefined = a new
 * file. Throws when the result would not read back `value` for `name` and every other variable as before (a value
 * dotenv cannot carry, or a file whose open quote would swallow the new line).
 */
export function setEnvVariable(text: string | undefined, name: string, value: string): string {
  if (!isSafeEnvName(name))
    throw new Error(`"${name}" is not a valid environment variable name (A-Z, 0-9 and _, not starting with a digit).`);
  const source = text ?? '';
  const written = quoteEnvValue(value);
  const own = parseEnv(source).filter((a) => a.name === name);
  let result: string;
  if (own.length > 0) {
    result = '';
    let at = 0;
    for (const a of own) {
      result += source.slice(at, a.valueStart) + written;
      at = a.valueEnd;
    }
    result += source.slice(at);
  } else {
    const bom = source.startsWith('\uFEFF') ? '\uFEFF' : '';
    const body = source.slice(bom.length);
    const eol = lineBreakOf(source);
    const line = `${name}=${written}`;
    if (body === '') result = `${bom}${line}${eol}`;
    else if (/(?:\r\n?|\n)$/.test(body)) result = `${source}${line}${eol}`;
    else result = `${source}${eol}${line}`;
  }
  const before = readEnv(source);
  const after = readEnv(result);
  const others = new Set([...Object.keys(before), ...Object.keys(after)].filter((k) => k !== name));
  if (after[name] !== value || [...others].some((k) => before[k] !== after[k])) {
    throw new EnvValueError(
      `the file cannot take ${name} without changing how its other lines are read (an unclosed quote?)`,
    );
  }
  return result;
}
