// The variables of a dotenv file as the `dotenv` package reads them (REST Client reads `{{$dotenv}}` with it, httpYac
// loads env files with it): the same LINE expression as dotenv 16, the same unquoting. Only what the destination
// guard needs: name -> value, the last assignment of a name winning. The tests compare it with dotenv.parse.

/** dotenv 16's LINE expression (global, multi-line), run over text whose line breaks are all `\n`. */
const LINE =
  /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/gm;

function unquote(raw: string): string {
  let value = raw.trim();
  const quote = value[0];
  value = value.replace(/^(['"`])([\s\S]*)\1$/gm, '$2');
  if (quote === '"') value = value.replace(/\\n/g, '\n').replace(/\\r/g, '\r');
  return value;
}

export function dotenvValues(text: string): Map<string, string> {
  const lf = text.replace(/\r\n?/g, '\n');
  const out = new Map<string, string>();
  LINE.lastIndex = 0;
  for (let m = LINE.exec(lf); m !== null; m = LINE.exec(lf)) out.set(m[1] ?? '', unquote(m[2] ?? ''));
  LINE.lastIndex = 0;
  return out;
}
