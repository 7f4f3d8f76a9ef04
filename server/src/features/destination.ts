// The destination guard: a warning where a request would send a C2M token to another origin than the one its profile
// was issued for. The token is found pasted (or completed) in the request, or behind a reference the request sends:
// a file variable, `{{$dotenv NAME}}` (the env file REST Client reads, from disk), `{{$processEnv NAME}}` (this
// process's environment, which is the extension host's: REST Client reads the same). The request's URL is resolved
// the same way; when it cannot be (an environment variable from settings, a request variable…) nothing is said.
// The message says only the essence (whose token goes where), so the Problems panel shows it whole; the details (whose
// origin the token belongs to, whether any profile has the request's origin, the reference it comes through) are
// its related information, which the Problems panel and the hover show under it.
// The quick fixes never keep a token going there: a fresh token of a profile whose origin is the request's in place of
// the one sent, and removing the header (or the token) that sends it. Replace and Move to .env, which would keep the
// same profile's token going there, are withheld at such a token (tokensSentElsewhere).
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  DiagnosticSeverity,
  type CodeAction,
  type Diagnostic,
  type DiagnosticRelatedInformation,
  type Range,
} from 'vscode-languageserver-protocol';
import type { Analysis } from '../analysis';
import { lineAt } from '../parse/lines';
import type { Block } from '../parse/model';
import {
  expand,
  fileVariableLine,
  referencesIn,
  urlOfRequestLine,
  valueOfReference,
  type Lookups,
} from '../parse/variables';
import { originOfUrl, shownOrigin } from '@shared/net/origin';
import { ClientCommands } from '@shared/protocol/clientCommands';
import { DiagnosticCodes } from '@shared/protocol/diagnosticCodes';
import { ENV_TOKEN_NAME } from '@shared/protocol/envVariable';
import type { RequestContextParams } from '@shared/protocol/requestContext';
import type { ProfileMeta } from '@shared/protocol/tokenState';
import { tokenFingerprint } from '@shared/tokens/fingerprint';
import { releaseScannedText, TokenScanner } from '@shared/tokens/grammar';
import { standInFingerprint } from '@shared/tokens/standIns';
import type { TokenSnapshot } from '../tokenStateStore';
import { valueOf as tokenText } from './classify';
import { moved } from './diagnostics';
import { restClientEnvFile, type EnvFileReader } from './envFiles';
import { overlaps, startKey } from './ranges';
import { blockIndexAt } from '../analysis';

/** Documents larger than this are not guarded (the guard reads every request's lines; a big file is generated). */
export const MAX_GUARDED_CHARS = 1024 * 1024;

export const NO_REQUEST_CONTEXT: RequestContextParams = {
  syncTargets: [],
  restClient: { environments: [] },
  terminalToken: false,
  revision: 0,
};

export interface GuardInputs {
  snapshot: TokenSnapshot;
  context: RequestContextParams;
  files: EnvFileReader;
  /** The process environment `{{$processEnv}}` reads. */
  processEnv: Readonly<Record<string, string | undefined>>;
}

/** What a destination diagnostic carries for its quick fix: no value, only how to recognise what is there. */
export interface DestinationData {
  origin: string;
  fingerprint?: string;
  text?: string;
}

/** Stands for "the active profile's token" where the terminal injection provides C2M_ACCESS_TOKEN. */
const ACTIVE_TOKEN = '\u0000c2m-active-token\u0000';

/** The fsPath of a file: URI, or undefined (untitled documents have no folder for `.env`). */
export function fsPathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

interface Line {
  rel: number;
  start: number;
  end: number;
}

function linesOf(text: string, block: Block, from: number, to: number): Line[] {
  const out: Line[] = [];
  let pos = block.startOffset;
  for (let rel = 0; rel < to && pos <= text.length; rel++) {
    const span = lineAt(text, pos);
    if (rel >= from) out.push({ rel, start: span.start, end: span.end });
    pos = span.next;
  }
  return out;
}

/** Per block, kept while the parser keeps the block (its text unchanged): its variable lines, and its warnings. */
const definitions = new WeakMap<Block, readonly { name: string; value: string }[]>();
interface BlockWarnings {
  snapshot: TokenSnapshot;
  context: RequestContextParams;
  vars: string;
  dotenv: unknown;
  startLine: number;
  items: readonly Diagnostic[];
}
const warnings = new WeakMap<Block, BlockWarnings>();

/**
 * The file variables as REST Client reads them: an `@name = value` line anywhere in the file (a body line too, not
 * only above a request), the last definition of a name winning (older REST Client versions took the first). `first`
 * is set only where some name is defined again with another value: the guard then judges both readings. `key`
 * changes whenever any definition does.
 */
function fileVariables(analysis: Analysis): {
  vars: Map<string, string>;
  first: Map<string, string> | undefined;
  key: string;
} {
  const vars = new Map<string, string>();
  const first = new Map<string, string>();
  let redefined = false;
  let key = '';
  for (const block of analysis.blocks) {
    let defs = definitions.get(block);
    if (!defs) {
      const found: { name: string; value: string }[] = [];
      for (const line of linesOf(analysis.text, block, 0, block.lineCount)) {
        const v = fileVariableLine(analysis.text.slice(line.start, line.end));
        if (v) found.push(v);
      }
      definitions.set(block, (defs = found));
    }
    for (const v of defs) {
      const earlier = first.get(v.name);
      if (earlier === undefined) first.set(v.name, v.value);
      else if (earlier !== v.value) redefined = true;
      vars.set(v.name, v.value);
      key += `${v.name}\u0001${v.value}\u0002`;
    }
  }
  return { vars, first: redefined ? first : undefined, key };
}

/** The fingerprints of the tokens in a resolved value (stand-ins name theirs); ACTIVE_TOKEN gives 'active'. */
function tokensIn(value: string): (string | 'active')[] {
  const out: (string | 'active')[] = [];
  if (value.includes(ACTIVE_TOKEN)) out.push('active');
  const scanner = new TokenScanner(value);
  try {
    for (let t = scanner.next(0, value.length); t; t = scanner.next(t.end, value.length)) {
      const token = value.slice(t.start, t.end);
      out.push(standInFingerprint(token) ?? tokenFingerprint(token));
    }
  } finally {
    releaseScannedText();
  }
  return out;
}

/** Every dotenv value REST Client would read for this document, resolved up front (lookups are synchronous). */
async function dotenvOf(analysis: Analysis, inputs: GuardInputs): Promise<ReadonlyMap<string, string> | undefined> {
  const file = fsPathOf(analysis.uri);
  if (!file || !analysis.text.includes('$dotenv')) return undefined;
  const environment = inputs.context.restClient.environment;
  // Which environment REST Client has selected is not known: nothing resolves through `.env.<name>`, and a `.env`
  // that some environment's own file would shadow is not trusted either.
  if (environment === undefined) {
    const picked = await restClientEnvFile(path.dirname(file), null, inputs.files);
    if (!picked) return undefined;
    for (const name of inputs.context.restClient.environments) {
      if ((await restClientEnvFile(path.dirname(file), name, inputs.files)) !== picked) return undefined;
    }
    return inputs.files.read(picked);
  }
  const picked = await restClientEnvFile(path.dirname(file), environment, inputs.files);
  return picked ? inputs.files.read(picked) : undefined;
}

function profileOf(snapshot: TokenSnapshot, fingerprint: string | 'active'): ProfileMeta | undefined {
  if (fingerprint === 'active') return snapshot.profiles.find((p) => p.active);
  const meta = snapshot.byFingerprint.get(fingerprint);
  return meta ? snapshot.profiles.find((p) => p.id === meta.profileId) : undefined;
}

function nameOf(profile: ProfileMeta): string {
  return profile.name || profile.id;
}

/** One line for the Problems panel: whose token goes where. */
function message(profile: ProfileMeta, origin: string): string {
  return `Token of profile "${nameOf(profile)}" sent to ${shownOrigin(origin)}`;
}

/** What the request's origin offers instead: the profiles that have it, or why there is none to offer. */
function originNote(snapshot: TokenSnapshot, origin: string): string {
  const there = snapshot.profiles.filter((p) => p.origin === origin);
  const shown = shownOrigin(origin);
  if (there.length === 0)
    return (
      `No C2M profile has the origin ${shown}: no profile's token is offered for this request. ` +
      'Remove the token, or add a profile for this origin.'
    );
  const usable = there.filter((p) => p.usable);
  const profiles = (ps: ProfileMeta[]): string =>
    `${ps.length === 1 ? 'Profile' : 'Profiles'} ${ps.map((p) => `"${nameOf(p)}"`).join(', ')} ${ps.length === 1 ? 'has' : 'have'}`;
  if (usable.length === 0)
    return `${profiles(there)} this origin but no live long-term token: issue one to use its token here.`;
  return `${profiles(usable)} this origin: "Use the token of profile" puts its token here.`;
}

/**
 * The details under the message: whose the token is and where it belongs (on the token or reference), and what the
 * request's origin offers (on the request line). Both point into the request's own block, so they move with it.
 */
function relatedInformation(
  uri: string,
  range: Range,
  requestLine: Range,
  profile: ProfileMeta,
  origin: string,
  snapshot: TokenSnapshot,
  via: string,
): DiagnosticRelatedInformation[] {
  const through = via ? ` (through ${via})` : '';
  const home = profile.origin ? shownOrigin(profile.origin) : '?';
  return [
    {
      location: { uri, range },
      message: `This is the token of profile "${nameOf(profile)}"${through}: it belongs to ${home}.`,
    },
    { location: { uri, range: requestLine }, message: originNote(snapshot, origin) },
  ];
}

/**
 * Every origin the block's request may go to by the file's own variables alone (what completion can know at once):
 * one, or two where a name it uses is defined twice (the last definition's first, as current REST Client reads it);
 * none when the URL does not resolve (an env file, the process environment, a settings environment…).
 */
export function requestOrigins(analysis: Analysis, block: Block): string[] {
  if (analysis.kind !== 'request' || block.requestLine < 0 || analysis.text.length > MAX_GUARDED_CHARS) return [];
  const line = linesOf(analysis.text, block, block.requestLine, block.requestLine + 1)[0];
  if (!line) return [];
  const { vars, first } = fileVariables(analysis);
  const origins: string[] = [];
  for (const reading of first ? [vars, first] : [vars]) {
    const lookups: Lookups = {
      fileVariable: (name) => reading.get(name),
      dotenv: () => undefined,
      processEnv: () => undefined,
    };
    const url = expand(urlOfRequestLine(analysis.text.slice(line.start, line.end)), lookups);
    const origin = url === undefined ? undefined : originOfUrl(url);
    if (origin !== undefined && !origins.includes(origin)) origins.push(origin);
  }
  return origins;
}

/** The destination warnings of a request file. */
export async function destinationDiagnostics(analysis: Analysis, inputs: GuardInputs): Promise<Diagnostic[]> {
  const { snapshot } = inputs;
  if (analysis.kind !== 'request' || analysis.text.length > MAX_GUARDED_CHARS) return [];
  if (!snapshot.profiles.some((p) => p.origin)) return [];
  if (analysis.tokenCount === 0 && !analysis.text.includes('{{')) return [];
  const text = analysis.text;
  const { vars, first, key: varsKey } = fileVariables(analysis);
  const dotenv = await dotenvOf(analysis, inputs);
  /** How references resolve with one reading of the file variables (two where a name is defined twice). */
  const resolverOf = (
    fileVars: ReadonlyMap<string, string>,
  ): { valueOf(body: string): string | undefined; ownersOf(body: string): ProfileMeta[] } => {
    const lookups: Lookups = {
      fileVariable: (name) => fileVars.get(name),
      dotenv: (name) => dotenv?.get(name),
      processEnv: (name) => {
        const value = inputs.processEnv[name];
        if (value !== undefined) return value;
        return name === ENV_TOKEN_NAME && inputs.context.terminalToken ? ACTIVE_TOKEN : undefined;
      },
    };
    // References repeat from request to request ({{token}}, {{$dotenv C2M_ACCESS_TOKEN}}): each is resolved, and
    // its tokens hashed, once per pass.
    const values = new Map<string, string | undefined>();
    const valueOf = (body: string): string | undefined => {
      if (!values.has(body)) values.set(body, valueOfReference(body, lookups));
      return values.get(body);
    };
    const owners = new Map<string, ProfileMeta[]>();
    const ownersOf = (body: string): ProfileMeta[] => {
      let found = owners.get(body);
      if (!found) {
        const value = valueOf(body);
        found = [];
        for (const fp of value === undefined ? [] : tokensIn(value)) {
          const profile = profileOf(snapshot, fp);
          if (profile && !found.includes(profile)) found.push(profile);
        }
        owners.set(body, found);
      }
      return found;
    };
    return { valueOf, ownersOf };
  };
  const readings = first ? [resolverOf(vars), resolverOf(first)] : [resolverOf(vars)];
  const out: Diagnostic[] = [];
  for (const block of analysis.blocks) {
    if (block.requestLine < 0) continue;
    // A block the parser kept, with the same variables, env values and token state: the same warnings, maybe moved.
    const cached = warnings.get(block);
    if (
      cached &&
      cached.snapshot === snapshot &&
      cached.context === inputs.context &&
      cached.vars === varsKey &&
      cached.dotenv === dotenv
    ) {
      const shift = block.startLine - cached.startLine;
      for (const d of cached.items) out.push(shift === 0 ? d : moved(d, shift));
      continue;
    }
    const before = out.length;
    // Each reading warns; one warning per place and message.
    const said = new Set<string>();
    for (const reading of readings) guardBlock(block, reading, said);
    warnings.set(block, {
      snapshot,
      context: inputs.context,
      vars: varsKey,
      dotenv,
      startLine: block.startLine,
      items: out.slice(before),
    });
  }
  return out;

  function guardBlock(block: Block, { valueOf, ownersOf }: ReturnType<typeof resolverOf>, said: Set<string>): void {
    const lines = linesOf(text, block, block.requestLine, block.headersEnd);
    const first = lines[0];
    if (!first) return;
    const url = expand(urlOfRequestLine(text.slice(first.start, first.end)), valueOf);
    const origin = url === undefined || url.includes(ACTIVE_TOKEN) ? undefined : originOfUrl(url);
    if (!origin) return;
    const requestLine = {
      start: { line: block.startLine + first.rel, character: 0 },
      end: { line: block.startLine + first.rel, character: first.end - first.start },
    };
    const warn = (range: Range, profile: ProfileMeta, via: string, data: Omit<DestinationData, 'origin'>): void => {
      if (!profile.origin || profile.origin === origin) return;
      const key = `${startKey(range)}\u0001${message(profile, origin)}`;
      if (said.has(key)) return;
      said.add(key);
      out.push({
        range,
        severity: DiagnosticSeverity.Warning,
        source: 'C2M',
        code: DiagnosticCodes.wrongDestination,
        message: message(profile, origin),
        relatedInformation: relatedInformation(analysis.uri, range, requestLine, profile, origin, snapshot, via),
        data: { origin, ...data } satisfies DestinationData,
      });
    };
    // Tokens written in the request itself (request line, headers, body).
    for (const f of block.tokens) {
      if (f.context === 'comment' || f.context === 'variable' || f.line < block.requestLine) continue;
      const value = tokenText(text, block, f);
      const fingerprint = standInFingerprint(value) ?? tokenFingerprint(value);
      const profile = profileOf(snapshot, fingerprint);
      const line = block.startLine + f.line;
      if (profile)
        warn({ start: { line, character: f.start }, end: { line, character: f.end } }, profile, '', { fingerprint });
    }
    // Tokens behind the references of the request line and headers.
    for (const line of lines) {
      const lineText = text.slice(line.start, line.end);
      for (const ref of referencesIn(lineText)) {
        for (const profile of ownersOf(ref.body)) {
          const abs = block.startLine + line.rel;
          const range = { start: { line: abs, character: ref.start }, end: { line: abs, character: ref.end } };
          warn(range, profile, lineText.slice(ref.start, ref.end), {
            text: lineText.slice(ref.start, ref.end),
          });
        }
      }
    }
  }
}

function isData(value: unknown): value is DestinationData {
  if (typeof value !== 'object' || value === null) return false;
  const d = value as Record<string, unknown>;
  return typeof d.origin === 'string' && (typeof d.fingerprint === 'string' || typeof d.text === 'string');
}

/**
 * The tokens (by startKey) the destination warnings say are sent to another origin, with that origin: where the
 * fixes and lenses that would put the same profile's token back (Replace, Move to .env, replace all) are withheld.
 */
export function tokensSentElsewhere(warnings: readonly Diagnostic[]): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  for (const d of warnings) {
    if (d.code === DiagnosticCodes.wrongDestination && isData(d.data) && d.data.fingerprint !== undefined)
      out.set(startKey(d.range), d.data.origin);
  }
  return out;
}

/**
 * What removing the sender of a warned token deletes: a header's whole line with its line break (on the last line
 * of the file, the line only: the break before it belongs to the line above), or else the token or reference itself.
 */
function removal(analysis: Analysis, d: Diagnostic, data: DestinationData): { title: string; remove: Range } {
  const line = d.range.start.line;
  const block = analysis.blocks[blockIndexAt(analysis.blocks, line)];
  const rel = block ? line - block.startLine : -1;
  const span =
    block && rel > block.requestLine && rel < block.headersEnd
      ? linesOf(analysis.text, block, rel, rel + 1)[0]
      : undefined;
  if (block && span) {
    const lineText = analysis.text.slice(span.start, span.end);
    const colon = lineText.indexOf(':');
    if (colon > 0 && colon < d.range.start.character) {
      const next = lineAt(analysis.text, span.start).next;
      const end =
        next <= analysis.text.length ? { line: line + 1, character: 0 } : { line, character: lineText.length };
      return {
        title: `Remove the ${lineText.slice(0, colon).trim()} header`,
        remove: { start: { line, character: 0 }, end },
      };
    }
  }
  return {
    title: data.fingerprint !== undefined ? 'Remove the token' : `Remove ${data.text ?? 'the reference'}`,
    remove: d.range,
  };
}

/**
 * The fixes of the destination warnings at `range` (the server's own, not what the client sends back): "Use the
 * token of profile X" for each usable profile whose origin is where the request goes, and removing what sends the
 * token (preferred when no profile has that origin).
 */
export function destinationActions(
  analysis: Analysis,
  range: Range,
  contextDiagnostics: readonly Diagnostic[],
  warnings: readonly Diagnostic[],
  snapshot: TokenSnapshot,
): CodeAction[] {
  const uri = analysis.uri;
  const actions: CodeAction[] = [];
  const seen = new Set<string>();
  for (const d of warnings) {
    if (d.code !== DiagnosticCodes.wrongDestination || !isData(d.data)) continue;
    const asked = contextDiagnostics.find(
      (c) =>
        c.source === 'C2M' && c.code === DiagnosticCodes.wrongDestination && startKey(c.range) === startKey(d.range),
    );
    if (!asked && !overlaps(d.range, range)) continue;
    const data = d.data;
    const diagnostics = [asked ?? d];
    const expected = data.fingerprint !== undefined ? { fingerprint: data.fingerprint } : { text: data.text };
    let useOffered = false;
    for (const p of snapshot.profiles) {
      if (p.origin !== data.origin || !p.usable) continue;
      const args: ClientCommands.UseProfileTokenArgs = {
        uri,
        range: d.range,
        profileId: p.id,
        origin: data.origin,
        ...expected,
      };
      const title = `Use the token of profile "${p.name || p.id}"`;
      actions.push({
        title,
        kind: CodeActionKind.QuickFix,
        diagnostics,
        isPreferred: actions.length === 0,
        command: { title, command: ClientCommands.useProfileToken, arguments: [args] },
      });
      useOffered = true;
    }
    const { title, remove } = removal(analysis, d, data);
    // Two references on one header line: one "remove the header" is enough.
    const key = `${startKey(remove)}-${startKey({ start: remove.end, end: remove.end })}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const args: ClientCommands.RemoveTokenArgs = { uri, range: d.range, remove, ...expected };
    actions.push({
      title,
      kind: CodeActionKind.QuickFix,
      diagnostics,
      isPreferred: !useOffered && !actions.some((a) => a.isPreferred),
      command: { title, command: ClientCommands.removeToken, arguments: [args] },
    });
  }
  return actions;
}
