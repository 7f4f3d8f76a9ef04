// The physical floor for figure 1: the least work that still finds every bearer token in a file, decodes its payload
// and classifies it. No request model, no ranges beyond line/column, no incremental state: anything the language
// server does beyond this must earn its cost.

export interface FloorToken {
  line: number;
  start: number;
  end: number;
  status: 'valid' | 'expired' | 'malformed';
  exp: number | undefined;
}

const BEARER = /^\s*authorization\s*:\s*bearer\s+(\S+)/i;
const ENV_VALUE =
  /^\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_.]*\s*=\s*["']?(eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)/;

function classify(token: string, nowS: number): Pick<FloorToken, 'status' | 'exp'> {
  const dot1 = token.indexOf('.');
  const dot2 = token.indexOf('.', dot1 + 1);
  if (dot1 < 0 || dot2 < 0) return { status: 'malformed', exp: undefined };
  try {
    const payload = JSON.parse(Buffer.from(token.slice(dot1 + 1, dot2), 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    const exp = typeof payload.exp === 'number' ? payload.exp : undefined;
    return { status: exp !== undefined && exp <= nowS ? 'expired' : 'valid', exp };
  } catch {
    return { status: 'malformed', exp: undefined };
  }
}

function scan(text: string, pattern: RegExp, nowMs: number): FloorToken[] {
  const nowS = nowMs / 1000;
  const found: FloorToken[] = [];
  const lines = text.split(/\r?\n/);
  for (let line = 0; line < lines.length; line++) {
    const match = pattern.exec(lines[line] as string);
    if (!match) continue;
    const token = match[1] as string;
    const start = (match.index ?? 0) + match[0].length - token.length;
    found.push({ line, start, end: start + token.length, ...classify(token, nowS) });
  }
  return found;
}

/** Every `Authorization: Bearer <token>` header of an .http file, decoded and classified. */
export function floorRequests(text: string, nowMs: number): FloorToken[] {
  return scan(text, BEARER, nowMs);
}

/** Every JWT-looking value of an .env file, decoded and classified. */
export function floorEnv(text: string, nowMs: number): FloorToken[] {
  return scan(text, ENV_VALUE, nowMs);
}
