// Diagnostics for the pull model: expired (warning), revoked (error), long-term token in a file (warning),
// expiring within the refresh margin (information), env file with tokens that git does not ignore (warning).
// Also returns when the answer will next change on its own, so the server can schedule a refresh.
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver-protocol';
import type { Analysis } from '../analysis';
import type { Block } from '../parse/model';
import { MAX_ANALYSED_CHARS, MAX_DIAGNOSTICS, MAX_FINDINGS } from '../parse/limits';
import { DiagnosticCodes } from '@shared/protocol/diagnosticCodes';
import type { TokenSnapshot } from '../tokenStateStore';
import { judge, nextCrossing, rangeOf, type Judgement } from './classify';
import { absolute } from './time';

const SOURCE = 'C2M';

export interface DiagnosticsResult {
  items: Diagnostic[];
  /** Client-clock ms when a token of this document next enters the margin or expires. */
  nextChangeAt?: number;
  /** The document holds tokens (for the env git-ignore check). */
  hasTokens: boolean;
}

function owner(t: Judgement): string {
  return t.meta ? ` (profile ${t.meta.profileName || t.meta.profileId})` : '';
}

// Messages give absolute times, so a block's diagnostics stay true until one of its tokens crosses a boundary:
// that is what lets them be reused across edits (re-analysis after a one-character edit stays under 5 ms).
function tokenDiagnostics(t: Judgement, range: Range, out: Diagnostic[]): void {
  // Object literals of one shape, no spread: this runs for every stale token of a big file.
  if (t.condition === 'revoked') {
    out.push({
      range,
      severity: DiagnosticSeverity.Error,
      source: SOURCE,
      code: DiagnosticCodes.revoked,
      message: `This C2M token was revoked${owner(t)}.`,
    });
  } else if (t.condition === 'expired') {
    const at = t.expiresAt === undefined ? '' : ` at ${absolute(t.expiresAt)}`;
    out.push({
      range,
      severity: DiagnosticSeverity.Warning,
      source: SOURCE,
      code: DiagnosticCodes.expired,
      message: `This C2M token expired${at}${owner(t)}.`,
    });
  } else if (t.condition === 'expiring') {
    const at = t.expiresAt === undefined ? '' : ` at ${absolute(t.expiresAt)}`;
    out.push({
      range,
      severity: DiagnosticSeverity.Information,
      source: SOURCE,
      code: DiagnosticCodes.expiring,
      message: `This C2M token expires soon${at}${owner(t)}.`,
    });
  }
  if (t.kind === 'long') {
    out.push({
      range,
      severity: DiagnosticSeverity.Warning,
      source: SOURCE,
      code: DiagnosticCodes.longTerm,
      message: `Long-term C2M token in a file${owner(t)}: a leaked long-lived secret. Use a short-term token or {{$dotenv C2M_ACCESS_TOKEN}}.`,
    });
  }
}

/** One block's diagnostics, valid for this snapshot, this start line, and until `until` (client clock). */
interface BlockDiagnostics {
  snapshot: TokenSnapshot;
  startLine: number;
  until: number;
  items: readonly Diagnostic[];
  next: number | undefined;
  /** False when only `next` was computed (the answer was already full): items must be built before use. */
  complete: boolean;
}

function movedRange(r: Range, lines: number): Range {
  return {
    start: { line: r.start.line + lines, character: r.start.character },
    end: { line: r.end.line + lines, character: r.end.character },
  };
}

/**
 * `d` moved down `lines` lines: a cached diagnostic of a block an edit above it shifted. Its related information
 * moves with it: the features point it only into the diagnostic's own block.
 */
export function moved(d: Diagnostic, lines: number): Diagnostic {
  const out: Diagnostic = { ...d, range: movedRange(d.range, lines) };
  if (d.relatedInformation)
    out.relatedInformation = d.relatedInformation.map((r) => ({
      message: r.message,
      location: { uri: r.location.uri, range: movedRange(r.location.range, lines) },
    }));
  return out;
}

/** Shared by every block without diagnostics: most blocks of a big file hold only valid tokens. */
const NONE: readonly Diagnostic[] = Object.freeze([]);

function blockDiagnostics(
  text: string,
  block: Block,
  snapshot: TokenSnapshot,
  now: number,
  wantItems: boolean,
): BlockDiagnostics {
  // Cached on the block: a block the incremental parser kept keeps its diagnostics; a re-parsed one starts fresh.
  const cached = block.cache as BlockDiagnostics | undefined;
  const valid = cached && cached.snapshot === snapshot && now < cached.until;
  if (valid && (cached.complete || !wantItems)) {
    if (cached.startLine === block.startLine) return cached;
    // The block only moved (a line added or removed above it): same verdicts, ranges shifted; no judging, no messages.
    const shifted = {
      ...cached,
      startLine: block.startLine,
      items: cached.items.length === 0 ? NONE : cached.items.map((d) => moved(d, block.startLine - cached.startLine)),
    };
    block.cache = shifted;
    return shifted;
  }
  let items: Diagnostic[] | undefined;
  let next: number | undefined;
  for (const finding of block.tokens) {
    const t = judge(text, block, finding, snapshot, now);
    next = nextCrossing(t, now, next);
    if (wantItems && t.stale) {
      tokenDiagnostics(t, rangeOf(finding, block.startLine + finding.line), (items ??= []));
    }
  }
  const result = {
    snapshot,
    startLine: block.startLine,
    until: next ?? Number.POSITIVE_INFINITY,
    items: items ?? NONE,
    next,
    complete: wantItems,
  };
  block.cache = result;
  return result;
}

/** `gitIgnored`: for env files, whether git ignores the file (undefined: unknown, no diagnostic). */
export function diagnostics(
  analysis: Analysis,
  snapshot: TokenSnapshot,
  now: number,
  gitIgnored?: boolean,
): DiagnosticsResult {
  const items: Diagnostic[] = [];
  let first: Range | undefined;
  let next: number | undefined;
  for (const block of analysis.blocks) {
    if (block.tokens.length === 0) continue;
    const d = blockDiagnostics(analysis.text, block, snapshot, now, items.length < MAX_DIAGNOSTICS);
    first ??= rangeOf(block.tokens[0]!, block.startLine + block.tokens[0]!.line);
    if (d.next !== undefined && (next === undefined || d.next < next)) next = d.next;
    for (const item of d.items) if (items.length < MAX_DIAGNOSTICS) items.push(item);
  }
  if (analysis.kind === 'env' && gitIgnored === false && first !== undefined) {
    items.unshift({
      range: first,
      severity: DiagnosticSeverity.Warning,
      source: SOURCE,
      code: DiagnosticCodes.envNotIgnored,
      message: 'This env file holds tokens but git does not ignore it: add it to .gitignore before committing.',
    });
  }
  if (analysis.truncated) {
    const why =
      analysis.tokenCount >= MAX_FINDINGS
        ? `more than ${MAX_FINDINGS} tokens`
        : `over ${MAX_ANALYSED_CHARS / 1024 / 1024} MB`;
    items.unshift({
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      severity: DiagnosticSeverity.Information,
      source: SOURCE,
      code: DiagnosticCodes.tooLarge,
      message: `Only part of this file was checked for tokens (${why}).`,
    });
  }
  if (items.length > MAX_DIAGNOSTICS) items.length = MAX_DIAGNOSTICS;
  const result: DiagnosticsResult = { items, hasTokens: first !== undefined };
  if (next !== undefined) result.nextChangeAt = next;
  return result;
}

function sameRange(r: Range, q: Range): boolean {
  return (
    r.start.line === q.start.line &&
    r.start.character === q.start.character &&
    r.end.line === q.end.line &&
    r.end.character === q.end.character
  );
}

/** Same related information: what the Problems panel and the hover show under the message. */
function sameRelated(a: Diagnostic['relatedInformation'], b: Diagnostic['relatedInformation']): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  return a.every((x, i) => {
    const y = b[i]!;
    return (
      x.message === y.message && x.location.uri === y.location.uri && sameRange(x.location.range, y.location.range)
    );
  });
}

/** Same diagnostics, in the same order: lets the server answer "unchanged" instead of resending 1,000 items. */
export function sameDiagnostics(a: readonly Diagnostic[], b: readonly Diagnostic[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (x.message !== y.message || x.code !== y.code || x.severity !== y.severity) return false;
    if (!sameRange(x.range, y.range) || !sameRelated(x.relatedInformation, y.relatedInformation)) return false;
  }
  return true;
}
