// Rewrites one variable of a dotenv file in place: every other line, comment, blank line and the order stay exactly as
// they were, and so do the line endings. Pure text in, text out, so the .env sync and its tests share it.

/** Names dotenv readers (dotenv, httpYac, REST Client) agree on. */
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** `KEY=`, `export KEY =` ... : the assignment part of a line, up to and including `=`. */
function assignmentOf(line: string, name: string): string | undefined {
  const m = /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_.-]*)(\s*=\s*)/.exec(line);
  return m && m[2] === name ? m[0] : undefined;
}

export function isEnvName(name: string): boolean {
  return NAME.test(name);
}

/**
 * The value as written in a file. Plain when it is made of characters no reader treats specially (a JWT always is),
 * else double-quoted with `\`, `"` and newlines escaped.
 */
export function quoteEnvValue(value: string): string {
  if (/^[A-Za-z0-9_.\-~+/:@%=]*$/.test(value)) return value;
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r/g, '\\r').replace(/\n/g, '\\n')}"`;
}

/** The value of `name` as dotenv reads it (the last assignment wins), or undefined. Quotes are removed, comments dropped. */
export function readEnvVariable(text: string, name: string): string | undefined {
  let found: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const head = assignmentOf(line, name);
    if (head === undefined) continue;
    const rest = line.slice(head.length);
    const quote = rest[0];
    if (quote === '"' || quote === "'") {
      let end = 1;
      while (end < rest.length && rest[end] !== quote) end += quote === '"' && rest[end] === '\\' ? 2 : 1;
      const inner = rest.slice(1, end);
      found = quote === '"' ? inner.replace(/\\n/g, '\n').replace(/\\r/g, '\r').replace(/\\(["\\])/g, '$1') : inner;
    } else {
      found = rest.replace(/\s+#.*$/, '').trim();
    }
  }
  return found;
}

/**
 * `text` with `name` set to `value`: each line assigning it is rewritten in place (its `export` prefix kept), and when
 * none does, one line is appended (after a newline if the text lacks a final one). `text` undefined = a new file.
 */
export function setEnvVariable(text: string | undefined, name: string, value: string): string {
  if (!isEnvName(name)) throw new Error(`"${name}" is not a valid environment variable name.`);
  const source = text ?? '';
  const eol = source.includes('\r\n') ? '\r\n' : '\n';
  const assignment = `${name}=${quoteEnvValue(value)}`;
  const parts = source.split(/(\r?\n)/); // odd indexes hold the separators, kept as they are
  let replaced = false;
  for (let i = 0; i < parts.length; i += 2) {
    const line = parts[i] ?? '';
    const head = assignmentOf(line, name);
    if (head === undefined) continue;
    const prefix = /^\s*(?:export\s+)?/.exec(head)?.[0] ?? '';
    parts[i] = prefix + assignment;
    replaced = true;
  }
  if (replaced) return parts.join('');
  if (source === '') return assignment + eol;
  return source + (source.endsWith('\n') ? '' : eol) + assignment + eol;
}
