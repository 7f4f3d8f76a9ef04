// The places request tools leave tokens outside the workspace, scanned when the user opts in, and cleared on request:
// - REST Client's request history: `history.json` in `~/.rest-client` (or `$XDG_CACHE_HOME/rest-client` when
//   `~/.rest-client` does not exist and XDG_CACHE_HOME is set): a JSON array of the last 50 requests sent,
//   `{ method, url, headers, body, startTime }`, headers and body as sent (a pasted token included).
// - VS Code's Local History: `<user data>/User/History/<hash of the file's URI>/`, one copy of the file per save
//   (named `<4 characters><extension>`) and `entries.json` `{ version: 1, resource, entries: [{ id, timestamp, … }] }`.
//   Its User folder is the parent of globalStorage, for VS Code desktop and code-server alike.
// Clearing removes only the entries that hold a token the caller names (by fingerprint), after reading them again:
// every other entry, and every other byte of entries.json's records, stays. A Local History entry is its copy and
// its record: both go (VS Code lists the copies in the folder too, so the record alone would come back).
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { scanText } from '@shared/scan/textScan';
import { redact } from '../../api/redact';
import type { ScanFinding } from '@shared/protocol/scan';

/** Files larger than this are not read (REST Client keeps 50 requests; a Local History copy is one saved file). */
export const MAX_SOURCE_BYTES = 16 * 1024 * 1024;
/** The request files whose Local History is searched: what REST Client, httpYac and .env sync write tokens into. */
const REQUEST_FILE = /\.(?:http|rest)$|(?:^|\/)\.env(?:\.[^/]*)?$/i;

export type ElsewhereSource = 'restClient' | 'localHistory';

export interface ElsewhereFinding extends ScanFinding {
  source: ElsewhereSource;
  /** The file holding it: history.json, or the Local History copy. */
  file: string;
  /** REST Client: the entry's index in the array; Local History: the entry id. */
  entry: string;
  /** What the entry is about, without a value: REST Client's `METHOD origin/path`, Local History's file URI. */
  about: string;
}

export interface SourceLocations {
  restClientHistory: string;
  localHistory: string;
}

export function restClientHistoryPath(
  home: string = os.homedir(),
  env: NodeJS.ProcessEnv = process.env,
  exists: (p: string) => boolean,
): string {
  const root = path.join(home, '.rest-client');
  if (exists(root) || env.XDG_CACHE_HOME === undefined) return path.join(root, 'history.json');
  return path.join(env.XDG_CACHE_HOME, 'rest-client', 'history.json');
}

/** `<user data>/User/History`, from this extension's globalStorage (`<user data>/User/globalStorage/<id>`). */
export function localHistoryPath(globalStorage: string): string {
  return path.join(path.dirname(path.dirname(globalStorage)), 'History');
}

async function readBounded(file: string): Promise<string | undefined> {
  try {
    const stat = await fs.lstat(file);
    if (!stat.isFile() || stat.size > MAX_SOURCE_BYTES) return undefined;
    return await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

interface RestClientEntry {
  method?: unknown;
  url?: unknown;
}

function aboutRequest(entry: RestClientEntry): string {
  const method = typeof entry.method === 'string' ? entry.method.slice(0, 10) : '?';
  let where = '';
  if (typeof entry.url === 'string') {
    try {
      const url = new URL(entry.url);
      // Not the query, and the path masked: a token can be in either (a download link, a token endpoint).
      where = redact(`${url.origin}${url.pathname}`);
    } catch {
      where = '';
    }
  }
  return `${method} ${where}`.trim();
}

async function restClientEntries(file: string): Promise<unknown[] | undefined> {
  const text = await readBounded(file);
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export async function scanRestClientHistory(file: string, maxFindings: number): Promise<ElsewhereFinding[]> {
  const entries = await restClientEntries(file);
  if (!entries) return [];
  const out: ElsewhereFinding[] = [];
  const uri = pathToFileURL(file).toString();
  entries.forEach((entry, index) => {
    if (out.length >= maxFindings) return;
    for (const f of scanText(uri, JSON.stringify(entry), maxFindings - out.length)) {
      out.push({
        ...f,
        range: { start: { line: index, character: 0 }, end: { line: index, character: 0 } },
        source: 'restClient',
        file,
        entry: String(index),
        about: aboutRequest(entry as RestClientEntry),
      });
    }
  });
  return out;
}

interface LocalHistoryListing {
  version?: unknown;
  resource?: unknown;
  entries?: { id?: unknown }[];
}

/** Each history folder whose entries.json names a request file: the folder and its listing. */
async function* localHistoryFolders(
  root: string,
): AsyncGenerator<{ folder: string; listingText: string; listing: LocalHistoryListing }> {
  let dir;
  try {
    dir = await fs.opendir(root);
  } catch {
    return;
  }
  for await (const entry of dir) {
    if (!entry.isDirectory()) continue;
    const folder = path.join(root, entry.name);
    const listingText = await readBounded(path.join(folder, 'entries.json'));
    if (listingText === undefined) continue;
    let listing: LocalHistoryListing;
    try {
      listing = JSON.parse(listingText) as LocalHistoryListing;
    } catch {
      continue;
    }
    if (typeof listing.resource !== 'string' || !Array.isArray(listing.entries)) continue;
    if (!REQUEST_FILE.test(listing.resource.replace(/[?#].*$/, ''))) continue;
    yield { folder, listingText, listing };
  }
}

/** An entry id as a file name in its folder (never a path elsewhere). */
function entryFile(folder: string, id: unknown): string | undefined {
  if (
    typeof id !== 'string' ||
    id.length === 0 ||
    id !== path.basename(id) ||
    id === '.' ||
    id === '..' ||
    id === 'entries.json'
  )
    return undefined;
  return path.join(folder, id);
}

export async function scanLocalHistory(root: string, maxFindings: number): Promise<ElsewhereFinding[]> {
  const out: ElsewhereFinding[] = [];
  for await (const { folder, listing } of localHistoryFolders(root)) {
    for (const entry of listing.entries ?? []) {
      if (out.length >= maxFindings) return out;
      const file = entryFile(folder, entry.id);
      if (!file) continue;
      const text = await readBounded(file);
      if (text === undefined) continue;
      for (const f of scanText(pathToFileURL(file).toString(), text, maxFindings - out.length)) {
        out.push({
          ...f,
          source: 'localHistory',
          file,
          entry: String(entry.id),
          about: redact(String(listing.resource)),
        });
      }
    }
  }
  return out;
}

export interface ClearResult {
  restClientEntries: number;
  localHistoryEntries: number;
}

/** Removes the REST Client history entries holding a token whose fingerprint `remove` accepts; the rest stay as written. */
export async function clearRestClientHistory(file: string, remove: (fingerprint: string) => boolean): Promise<number> {
  const entries = await restClientEntries(file);
  if (!entries) return 0;
  const kept = entries.filter(
    (entry) => !scanText('', JSON.stringify(entry), Number.POSITIVE_INFINITY).some((f) => remove(f.fingerprint)),
  );
  const removed = entries.length - kept.length;
  // REST Client writes the array with fs-extra's writeJson: compact JSON, which is what is written back.
  if (removed > 0) await writeReplacing(file, JSON.stringify(kept));
  return removed;
}

/** Removes the Local History entries (copy and record) of request files that hold such a token. */
export async function clearLocalHistory(root: string, remove: (fingerprint: string) => boolean): Promise<number> {
  let removed = 0;
  for await (const { folder, listing } of localHistoryFolders(root)) {
    const gone = new Set<unknown>();
    for (const entry of listing.entries ?? []) {
      const file = entryFile(folder, entry.id);
      if (!file) continue;
      const text = await readBounded(file);
      if (text === undefined || !scanText('', text, Number.POSITIVE_INFINITY).some((f) => remove(f.fingerprint)))
        continue;
      await fs.rm(file, { force: true });
      gone.add(entry.id);
    }
    if (gone.size === 0) continue;
    removed += gone.size;
    await writeReplacing(
      path.join(folder, 'entries.json'),
      JSON.stringify({ ...listing, entries: (listing.entries ?? []).filter((e) => !gone.has(e.id)) }),
    );
  }
  return removed;
}

/** Writes `text` to a temp file beside `file` and renames it over: a reader sees the old or the new file, never half. */
async function writeReplacing(file: string, text: string): Promise<void> {
  const { mode } = await fs.stat(file);
  const temp = `${file}.c2m-${process.pid}.tmp`;
  await fs.writeFile(temp, text, { mode: mode & 0o777, flag: 'wx' });
  await fs.rename(temp, file);
}
