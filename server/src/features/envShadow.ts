// The other side of the .env sync: REST Client reads `{{$dotenv NAME}}` from the first folder, going up from the
// request file, that holds `.env.<environment>` or `.env` (`.env.<environment>` first). When that is not the file the
// sync writes, the request never gets the synced token: a warning on the reference, and a quick fix that points the
// sync at the file REST Client reads. Which environment REST Client has selected is read by the client when it can;
// when it cannot, every environment of rest-client.environmentVariables whose own `.env.<name>` would be read and
// defines the variable is reported, named as such.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CodeActionKind, DiagnosticSeverity, type CodeAction, type Diagnostic } from 'vscode-languageserver-protocol';
import type { Analysis } from '../analysis';
import { ClientCommands } from '@shared/protocol/clientCommands';
import { DiagnosticCodes } from '@shared/protocol/diagnosticCodes';
import type { RequestContextParams } from '@shared/protocol/requestContext';
import { restClientEnvFile, type EnvFileReader } from './envFiles';
import { fsPathOf, MAX_GUARDED_CHARS } from './destination';

const DOTENV_REF = /\{\{\s*\$dotenv\s+([\w.-]+)\s*\}\}/g;

/** At most this many environments are reported per reference when the selected one is unknown. */
const MAX_ENVIRONMENTS = 3;

export interface ShadowData {
  variable: string;
  from: string;
  to: string;
}

function isInside(dir: string, file: string): boolean {
  const rel = path.relative(path.dirname(file), dir);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** `{{$dotenv NAME}}` references outside comments: line, columns, name. */
function dotenvReferences(text: string): { line: number; start: number; end: number; name: string }[] {
  const out: { line: number; start: number; end: number; name: string }[] = [];
  let line = 0;
  let lineStart = 0;
  for (const m of text.matchAll(DOTENV_REF)) {
    for (let nl = text.indexOf('\n', lineStart); nl !== -1 && nl < m.index; nl = text.indexOf('\n', lineStart)) {
      line++;
      lineStart = nl + 1;
    }
    const before = text.slice(lineStart, m.index).trimStart();
    if (before.startsWith('#') || before.startsWith('//')) continue;
    out.push({ line, start: m.index - lineStart, end: m.index - lineStart + m[0].length, name: m[1]! });
    if (out.length >= 100) break;
  }
  return out;
}

export async function shadowDiagnostics(
  analysis: Analysis,
  context: RequestContextParams,
  files: EnvFileReader,
): Promise<Diagnostic[]> {
  const file = fsPathOf(analysis.uri);
  if (
    analysis.kind !== 'request' ||
    !file ||
    context.syncTargets.length === 0 ||
    analysis.text.length > MAX_GUARDED_CHARS
  )
    return [];
  if (!analysis.text.includes('$dotenv')) return [];
  const dir = path.dirname(file);
  const selected = context.restClient.environment;
  const out: Diagnostic[] = [];
  for (const ref of dotenvReferences(analysis.text)) {
    for (const target of context.syncTargets) {
      const synced = fsPathOf(target.uri);
      if (target.variable !== ref.name || !synced || !isInside(dir, synced)) continue;
      const candidates: (string | null)[] =
        selected === undefined ? [null, ...context.restClient.environments] : [selected];
      let reported = 0;
      for (const environment of candidates) {
        const picked = await restClientEnvFile(dir, environment, files);
        if (!picked || picked === path.resolve(synced)) continue;
        const own = environment !== null && path.basename(picked) === `.env.${environment}`;
        // Selected environment unknown: an environment counts only where its own file would be read and defines the variable.
        if (selected === undefined && environment !== null && !(own && (await files.read(picked))?.has(ref.name)))
          continue;
        const where = path.relative(dir, picked) || path.basename(picked);
        const syncedName = path.relative(dir, synced) || path.basename(synced);
        const when =
          environment === null
            ? ''
            : selected === undefined
              ? `When REST Client's environment is "${environment}", `
              : `With REST Client's environment "${environment}", `;
        const lead = when ? `${when}REST Client` : 'REST Client';
        out.push({
          range: { start: { line: ref.line, character: ref.start }, end: { line: ref.line, character: ref.end } },
          severity: DiagnosticSeverity.Warning,
          source: 'C2M',
          code: DiagnosticCodes.syncShadowed,
          message: `${lead} reads ${ref.name} from ${where}, not from ${syncedName} where the .env sync writes the token: this request would not get the synced token.`,
          data: { variable: ref.name, from: target.uri, to: pathToFileURL(picked).toString() } satisfies ShadowData,
        });
        if (++reported >= MAX_ENVIRONMENTS) break;
      }
    }
  }
  return out;
}

function isShadowData(value: unknown): value is ShadowData {
  if (typeof value !== 'object' || value === null) return false;
  const d = value as Record<string, unknown>;
  return typeof d.variable === 'string' && typeof d.from === 'string' && typeof d.to === 'string';
}

/** "Sync NAME to <file> instead", once per target file. */
export function shadowActions(uri: string, contextDiagnostics: readonly Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  const seen = new Set<string>();
  for (const d of contextDiagnostics) {
    if (d.source !== 'C2M' || d.code !== DiagnosticCodes.syncShadowed || !isShadowData(d.data)) continue;
    const { variable, from, to } = d.data;
    if (seen.has(`${variable}\u0000${to}`)) continue;
    seen.add(`${variable}\u0000${to}`);
    const args: ClientCommands.SyncEnvThereArgs = { uri, variable, from, to };
    const name = path.basename(fsPathOf(to) ?? to);
    const title = `Sync ${variable} to ${name} instead`;
    actions.push({
      title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      command: { title, command: ClientCommands.syncEnvThere, arguments: [args] },
    });
  }
  return actions;
}
