// The variables of a request file as REST Client and httpYac expand them, enough to know where a request goes and what
// its headers send: file variables (`@name = value`, file scope, chains of them), `{{$dotenv NAME}}` and
// `{{$processEnv NAME}}`. Pure: the env file values and the process environment come in as lookups. Anything else
// (environment variables from settings, request variables, `%` indirections, scripts, `$guid`…) is unresolvable, and
// a template that uses one resolves to nothing: the guard then says nothing rather than guess a host.

/** A `{{…}}` reference as written: where it is in its text and what is inside. */
export interface Reference {
  start: number;
  end: number;
  /** Inside the braces, trimmed. */
  body: string;
}

/** What the resolver can look up; undefined: not known (then nothing that uses it resolves). */
export interface Lookups {
  fileVariable(name: string): string | undefined;
  /** The value REST Client reads for `{{$dotenv NAME}}`. */
  dotenv(name: string): string | undefined;
  /** The value for `{{$processEnv NAME}}`. */
  processEnv(name: string): string | undefined;
}

/** Chains deeper than this are not followed (REST Client itself stops on cycles; a real file nests two or three). */
const MAX_DEPTH = 8;
/** Longest template expanded: a URL or header line, not a body. */
export const MAX_TEMPLATE = 8 * 1024;

/** Every `{{…}}` of `text`, left to right (an unclosed `{{` ends the search). */
export function referencesIn(text: string): Reference[] {
  const out: Reference[] = [];
  for (let from = 0; ;) {
    const open = text.indexOf('{{', from);
    if (open === -1) return out;
    const close = text.indexOf('}}', open + 2);
    if (close === -1) return out;
    out.push({ start: open, end: close + 2, body: text.slice(open + 2, close).trim() });
    from = close + 2;
  }
}

/** What a reference names: a file variable, `$dotenv NAME`, `$processEnv NAME`, or something this cannot resolve. */
export type Named =
  | { kind: 'file'; name: string }
  | { kind: 'dotenv'; name: string }
  | { kind: 'processEnv'; name: string }
  | { kind: 'other' };

// REST Client: `\$dotenv\s(%)?([\w-.]+)` and `\$processEnv\s(%)?(\w+)`; a `%` looks the name up in the settings'
// environment first, which is not readable here.
const DOTENV = /^\$dotenv\s+([\w.-]+)$/;
const PROCESS_ENV = /^\$processEnv\s+(\w+)$/;
/** A file variable's name: no blanks; not a request variable's dotted path, not a system variable. */
const FILE_NAME = /^[^\s.${}%]+$/;

export function nameOf(body: string): Named {
  let m = DOTENV.exec(body);
  if (m) return { kind: 'dotenv', name: m[1]! };
  m = PROCESS_ENV.exec(body);
  if (m) return { kind: 'processEnv', name: m[1]! };
  if (FILE_NAME.test(body)) return { kind: 'file', name: body };
  return { kind: 'other' };
}

/**
 * `template` with every reference replaced by its value, recursively (a file variable's value may hold references);
 * undefined when one of them cannot be resolved, a chain loops or goes too deep. Never throws.
 */
export function expand(
  template: string,
  lookups: Lookups | ((body: string) => string | undefined),
  depth = 0,
  seen: ReadonlySet<string> = new Set(),
): string | undefined {
  if (template.length > MAX_TEMPLATE || depth > MAX_DEPTH) return undefined;
  let out = '';
  let pos = 0;
  for (const ref of referencesIn(template)) {
    // A function: the caller's (memoised) resolution of a top-level reference.
    const value = typeof lookups === 'function' ? lookups(ref.body) : valueOfReference(ref.body, lookups, depth, seen);
    if (value === undefined) return undefined;
    out += template.slice(pos, ref.start) + value;
    pos = ref.end;
  }
  return out + template.slice(pos);
}

/** The value of one reference's body, or undefined. */
export function valueOfReference(
  body: string,
  lookups: Lookups,
  depth = 0,
  seen: ReadonlySet<string> = new Set(),
): string | undefined {
  const named = nameOf(body);
  switch (named.kind) {
    case 'dotenv':
      return lookups.dotenv(named.name);
    case 'processEnv':
      return lookups.processEnv(named.name);
    case 'file': {
      if (seen.has(named.name)) return undefined;
      const raw = lookups.fileVariable(named.name);
      if (raw === undefined) return undefined;
      return expand(raw, lookups, depth + 1, new Set([...seen, named.name]));
    }
    default:
      return undefined;
  }
}

const ESCAPED: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t' };

/**
 * `@name = value` (REST Client: the name has no blanks, the value is trimmed, then its backslash escapes taken off:
 * `\n`, `\r`, `\t`, and any other character after a backslash stands for itself); undefined for any other line. The
 * value as REST Client sends it matters: a URL parser reads `https://a.example\.evil.test` as host a.example.
 */
export function fileVariableLine(line: string): { name: string; value: string } | undefined {
  const m = /^\s*@([^\s=]+)\s*=\s*(.*?)\s*$/.exec(line);
  if (!m) return undefined;
  const value = m[2]!.includes('\\') ? m[2]!.replace(/\\(.?)/g, (_, c: string) => ESCAPED[c] ?? c) : m[2]!;
  return { name: m[1]!, value };
}

const METHOD =
  /^(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS|CONNECT|TRACE|LOCK|UNLOCK|PROPFIND|PROPPATCH|COPY|MOVE|MKCOL|MKCALENDAR|ACL|SEARCH)\s+/i;
const VERSION = /\s+HTTP\/\d(?:\.\d)?\s*$/i;

/** The URL part of a request line: the method and the `HTTP/1.1` after it taken off. */
export function urlOfRequestLine(line: string): string {
  return line.trim().replace(METHOD, '').replace(VERSION, '').trim();
}
