// Completion that never carries a token value: the item inserts TOKEN_PLACEHOLDER and a client command swaps it
// for a fresh short-term token (fetched, and refreshed first if about to expire, by the client).
// In a request to a host no profile has, nothing that puts a token there is offered (no token, no reference to the
// synced one): one hint instead says why, as language servers tell why they have nothing (an item that inserts nothing
// and runs nothing), so the user does not take the empty list for a broken extension.
import {
  CompletionItemKind,
  MarkupKind,
  type CompletionItem,
  type CompletionList,
  type Position,
  type Range,
} from 'vscode-languageserver-protocol';
import type { Analysis } from '../analysis';
import { blockIndexAt } from '../analysis';
import { parseEnvLine } from '../parse/envFile';
import { ClientCommands, TOKEN_PLACEHOLDER } from '@shared/protocol/clientCommands';
import { ENV_TOKEN_NAME } from '@shared/protocol/envVariable';
import type { ProfileMeta } from '@shared/protocol/tokenState';
import { shownOrigin } from '@shared/net/origin';
import type { TokenSnapshot } from '../tokenStateStore';
import { requestOrigins } from './destination';

const DOTENV_REFERENCE = `{{$dotenv ${ENV_TOKEN_NAME}}}`;
const HEADER = 'Authorization';

function range(line: number, start: number, end: number): Range {
  return { start: { line, character: start }, end: { line, character: end } };
}

/**
 * An item that replaces `replace` with `before + PLACEHOLDER` and then asks the client to put a fresh token
 * of `profile` where the placeholder landed.
 */
function freshTokenItem(
  uri: string,
  replace: Range,
  before: string,
  profile: ProfileMeta,
  order: number,
): CompletionItem {
  const newText = `${before}${TOKEN_PLACEHOLDER}`;
  const at = replace.start.character + before.length;
  const args: ClientCommands.InsertTokenArgs = {
    uri,
    range: range(replace.start.line, at, at + TOKEN_PLACEHOLDER.length),
    profileId: profile.id,
  };
  return {
    // The profile's name is what tells the items apart: it comes early, so a narrow suggest widget keeps it.
    label: `${before.trimStart()}<token: ${profile.name}>`,
    kind: CompletionItemKind.Value,
    detail: `C2M short-term token for ${profile.name}${profile.active ? ' (active)' : ''}, fetched when accepted`,
    sortText: `0${String(order).padStart(3, '0')}`,
    filterText: newText,
    textEdit: { range: replace, newText },
    command: { title: 'Insert a fresh C2M token', command: ClientCommands.insertToken, arguments: [args] },
  };
}

/**
 * The one item for a profile without a live long-term token: it inserts no placeholder (no token can be had yet)
 * and runs Issue Long-Term Token for that profile; completing again afterwards offers its fresh token.
 */
function issueFirstItem(at: Position, before: string, profile: ProfileMeta): CompletionItem {
  return {
    label: `${before.trimStart()}… issue a token for ${profile.name} first`,
    kind: CompletionItemKind.Event,
    detail: `"${profile.name}" has no live long-term token: issue one, then complete again`,
    sortText: '0999',
    // Accepting it changes no byte of the file: an empty edit at the cursor.
    filterText: '',
    textEdit: { range: range(at.line, at.character, at.character), newText: '' },
    command: { title: 'Issue a long-term token', command: 'c2m.issueLongTermToken', arguments: [profile.id] },
  };
}

/**
 * Fresh-token items for the profiles that can have one now, and at most one "issue first" for the active profile.
 * `origins`: where the request may go, when its URL resolves (two where a file variable it uses is defined twice); a
 * profile issued for another origin is not offered (its token would be handed to that host), and no "issue first"
 * either.
 */
function tokenItems(
  uri: string,
  replace: Range,
  before: string,
  snapshot: TokenSnapshot,
  at: Position,
  origins: readonly string[] = [],
): CompletionItem[] {
  const goesThere = (p: ProfileMeta): boolean => p.origin === undefined || origins.every((o) => o === p.origin);
  const profiles = snapshot.profiles.filter(goesThere);
  const items = profiles.filter((p) => p.usable !== false).map((p, i) => freshTokenItem(uri, replace, before, p, i));
  const waiting =
    profiles.find((p) => p.active && p.usable === false) ?? (items.length === 0 ? profiles[0] : undefined);
  if (waiting) items.push(issueFirstItem(at, before, waiting));
  return items;
}

function referenceItem(replace: Range, newText: string): CompletionItem {
  return {
    label: newText.trim(),
    kind: CompletionItemKind.Reference,
    detail: `Reads ${ENV_TOKEN_NAME} from the .env file next to this one`,
    sortText: '1000',
    filterText: newText,
    textEdit: { range: replace, newText },
  };
}

/**
 * The one item at a host no profile has: it says why no token is offered and where the tokens belong. Accepting it
 * changes no byte (an empty edit at the cursor) and runs nothing; its list is incomplete, so VS Code asks again as the
 * user types and the hint stays instead of being filtered away.
 */
function noProfileHint(at: Position, origin: string, snapshot: TokenSnapshot): CompletionList {
  const shown = shownOrigin(origin);
  const owners = snapshot.profiles
    .filter((p) => p.origin !== undefined)
    .map((p) => `- **${(p.name || p.id).replace(/[*_`\\[\]]/g, '')}**: ${shownOrigin(p.origin!)}`);
  const hint: CompletionItem = {
    label: `No C2M profile for ${shown} — tokens are offered only to their own origin`,
    kind: CompletionItemKind.Text,
    detail: `Tokens are bound to their profile's origin; none has ${shown}`,
    documentation: {
      kind: MarkupKind.Markdown,
      value: [
        `This request goes to \`${shown}\`, and no C2M profile has that origin, so no token (and no reference to one) is offered here: the host would receive it.`,
        '',
        "The profiles' tokens belong to:",
        ...owners,
        '',
        'To send a C2M token here, add a profile whose base URL is on this origin.',
      ].join('\n'),
    },
    sortText: '0',
    filterText: '',
    textEdit: { range: range(at.line, at.character, at.character), newText: '' },
  };
  return { isIncomplete: true, items: [hint] };
}

/** The origin of the request at `line` when it resolves and no profile has it (undefined: tokens may be offered). */
function foreignOrigin(analysis: Analysis, line: number, snapshot: TokenSnapshot): string | undefined {
  const block = analysis.blocks[blockIndexAt(analysis.blocks, line)];
  // File variables above a request line are file-scoped: any request may use them.
  if (!block || block.requestLine === -1 || line - block.startLine < block.requestLine) return undefined;
  return requestOrigins(analysis, block).find(
    (origin) => !snapshot.profiles.some((p) => p.origin === undefined || p.origin === origin),
  );
}

function requestCompletions(
  uri: string,
  analysis: Analysis,
  lineText: string,
  pos: Position,
  snapshot: TokenSnapshot,
): CompletionItem[] | CompletionList {
  const before = lineText.slice(0, pos.character);
  const items: CompletionItem[] = [];
  const lineEnd = lineText.length;
  const foreign = foreignOrigin(analysis, pos.line, snapshot);

  // `{{` anywhere: offer the env reference.
  const braces = before.lastIndexOf('{{');
  if (braces !== -1 && !before.slice(braces).includes('}}') && /^\{\{\$?[\w ]*$/.test(before.slice(braces))) {
    if (foreign !== undefined) return noProfileHint(pos, foreign, snapshot);
    const close = lineText.indexOf('}}', pos.character);
    const end = close === -1 ? pos.character : close + 2;
    items.push(referenceItem(range(pos.line, braces, end), DOTENV_REFERENCE));
    return items;
  }

  const block = analysis.blocks[blockIndexAt(analysis.blocks, pos.line)];
  if (!block || block.requestLine === -1) return items;
  const rel = pos.line - block.startLine;
  // Header lines, plus the blank line right after them (where a new header is being started).
  if (rel <= block.requestLine || rel > block.headersEnd) return items;
  const origins = requestOrigins(analysis, block);

  const colon = before.indexOf(':');
  if (colon === -1) {
    if (!/^\s*[\w-]*$/.test(before)) return items;
    if (foreign !== undefined) return noProfileHint(pos, foreign, snapshot);
    const replace = range(pos.line, 0, lineEnd);
    items.push(...tokenItems(uri, replace, `${HEADER}: Bearer `, snapshot, pos, origins));
    items.push(referenceItem(replace, `${HEADER}: Bearer ${DOTENV_REFERENCE}`));
    return items;
  }
  if (before.slice(0, colon).trim().toLowerCase() !== 'authorization') return items;
  if (foreign !== undefined) return noProfileHint(pos, foreign, snapshot);
  const replace = range(pos.line, colon + 1, lineEnd);
  items.push(...tokenItems(uri, replace, ' Bearer ', snapshot, pos, origins));
  items.push(referenceItem(replace, ` Bearer ${DOTENV_REFERENCE}`));
  return items;
}

function envCompletions(uri: string, lineText: string, pos: Position, snapshot: TokenSnapshot): CompletionItem[] {
  const items: CompletionItem[] = [];
  const trimmed = lineText.trimStart();
  if (trimmed.startsWith('#')) return items;
  const entry = parseEnvLine(lineText);
  if (!entry) {
    if (!/^\s*(export\s+)?[\w.]*$/.test(lineText.slice(0, pos.character))) return items;
    const start = lineText.length - trimmed.length + (/^export\s+/.exec(trimmed)?.[0].length ?? 0);
    const replace = range(pos.line, start, lineText.length);
    items.push(...tokenItems(uri, replace, `${ENV_TOKEN_NAME}=`, snapshot, pos));
    return items;
  }
  if (pos.character < entry.valueStart) return items;
  const replace = range(pos.line, entry.valueStart, lineText.length);
  items.push(...tokenItems(uri, replace, '', snapshot, pos));
  return items;
}

export function completions(
  analysis: Analysis,
  lineText: string,
  pos: Position,
  snapshot: TokenSnapshot,
): CompletionItem[] | CompletionList {
  return analysis.kind === 'env'
    ? envCompletions(analysis.uri, lineText, pos, snapshot)
    : requestCompletions(analysis.uri, analysis, lineText, pos, snapshot);
}
