// Hover on a token: masked value, whose it is, when it expires, and its claims (decoded, never verified).
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver-protocol';
import type { Analysis } from '../analysis';
import { decodeJwt, scopesOf, tokenIdOf } from '../parse/jwtDecode';
import type { TokenSnapshot } from '../tokenStateStore';
import { classify, findingAt, mask, valueOf, type ClassifiedToken } from './classify';
import { absolute, relative } from './time';

const MAX_CLAIMS_CHARS = 2_000;

function when(at: number | undefined, now: number): string {
  return at === undefined ? 'unknown' : `${relative(at, now)} (${absolute(at)})`;
}

/** Claims are shown as JSON in a code block; backticks are escaped so a crafted claim cannot break out of it. */
function claimsBlock(claims: unknown): string {
  let json = JSON.stringify(claims, null, 2) ?? '';
  if (json.length > MAX_CLAIMS_CHARS) json = `${json.slice(0, MAX_CLAIMS_CHARS)}\n…`;
  return '```json\n' + json.replace(/`/g, '\\u0060') + '\n```';
}

/** What can be said of a token the extension does not know: its claims, unverified (anyone can write an `exp`). */
function unverified(shape: 'jwt' | 'jwe' | 'longTerm', expiresAt: number | undefined, now: number): string {
  if (shape === 'longTerm') return 'a long-lived secret whose state cannot be checked here';
  if (shape === 'jwe') return 'encrypted, claims unreadable';
  if (expiresAt === undefined) return 'claims unverified: no exp';
  return `claims unverified: exp ${relative(expiresAt, now)}`;
}

/** A status only for the extension's own tokens: for others, "valid" would only echo an unverified claim. */
function statusText(t: ClassifiedToken): string {
  if (!t.meta) return 'unknown (not a token of this extension)';
  if (t.condition === 'unknown') return t.kind === 'long' ? 'long-lived' : 'unknown';
  if (t.meta.superseded && (t.condition === 'valid' || t.condition === 'expiring'))
    return `${t.condition} (replaced by a newer token; works until it expires)`;
  return t.condition;
}

export function hover(analysis: Analysis, pos: Position, snapshot: TokenSnapshot, now: number): Hover | null {
  const hit = findingAt(analysis, pos.line, pos.character);
  if (!hit) return null;
  const value = valueOf(analysis.text, hit.block, hit.finding);
  const t = classify(analysis.text, hit.block, hit.finding, snapshot, now);
  const decoded = hit.finding.kind === 'longTerm' ? undefined : decodeJwt(value);
  const lines: string[] = [];
  lines.push(`**C2M token** \`${mask(value, t.fingerprint)}\``, '');
  if (t.meta) {
    const profile = t.meta.profileName || t.meta.profileId;
    lines.push(`Profile **${profile}** · ${t.kind === 'long' ? 'long-term' : 'short-term'} token`);
  } else {
    lines.push(
      `Not a known C2M token (${hit.finding.kind === 'longTerm' ? 'long-term format' : hit.finding.kind === 'jwe' ? 'encrypted JWT' : 'JWT'}) — ${unverified(hit.finding.kind, t.expiresAt, now)}`,
    );
  }
  const tokenId = t.meta?.tokenId ?? (decoded?.payload && tokenIdOf(decoded.payload));
  const scopes = t.meta?.scopes ?? (decoded?.payload && scopesOf(decoded.payload));
  lines.push('');
  if (tokenId) lines.push(`- Token id: \`${tokenId.replace(/`/g, '')}\``);
  if (scopes)
    lines.push(`- Scopes: ${scopes.length ? scopes.map((s) => `\`${s.replace(/`/g, '')}\``).join(', ') : 'none'}`);
  lines.push(`- Issued: ${when(t.issuedAt, now)}`);
  lines.push(`- Expires${t.meta ? '' : ' (claimed)'}: ${when(t.expiresAt, now)}`);
  lines.push(`- Status: ${statusText(t)}`);
  if (decoded) {
    for (const problem of decoded.problems) lines.push(`- ⚠ ${problem}`);
    if (decoded.payload) lines.push('', 'Claims (decoded, **not verified**):', claimsBlock(decoded.payload));
  }
  return { contents: { kind: MarkupKind.Markdown, value: lines.join('\n') }, range: t.range };
}
