// Diagnostics for the pull model: expired (warning), revoked (error), long-term token in a file (warning),
// expiring within the refresh margin (information), env file with tokens that git does not ignore (warning).
// Also returns when the answer will next change on its own, so the server can schedule a refresh.
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver-protocol';
import type { Analysis } from '../analysis';
import { MAX_ANALYSED_CHARS, MAX_DIAGNOSTICS, MAX_FINDINGS } from '../parse/limits';
import { DiagnosticCodes } from '../protocol';
import type { TokenSnapshot } from '../tokenState';
import { judge, nextCrossing, rangeOf, type Judgement } from './classify';
import { span } from './time';

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

function tokenDiagnostics(t: Judgement, range: Range, now: number): Diagnostic[] {
  const out: Diagnostic[] = [];
  const base = { range, source: SOURCE };
  if (t.condition === 'revoked') {
    out.push({ ...base, severity: DiagnosticSeverity.Error, code: DiagnosticCodes.revoked, message: `This C2M token was revoked${owner(t)}.` });
  } else if (t.condition === 'expired') {
    const ago = span(now - (t.expiresAt ?? now));
    out.push({ ...base, severity: DiagnosticSeverity.Warning, code: DiagnosticCodes.expired, message: `This C2M token expired ${ago} ago${owner(t)}.` });
  } else if (t.condition === 'expiring') {
    const left = span((t.expiresAt ?? now) - now);
    out.push({ ...base, severity: DiagnosticSeverity.Information, code: DiagnosticCodes.expiring, message: `This C2M token expires in ${left}${owner(t)}.` });
  }
  if (t.kind === 'long') {
    out.push({
      ...base,
      severity: DiagnosticSeverity.Warning,
      code: DiagnosticCodes.longTerm,
      message: `Long-term C2M token in a file${owner(t)}: a leaked long-lived secret. Use a short-term token or {{$dotenv C2M_ACCESS_TOKEN}}.`,
    });
  }
  return out;
}

/** `gitIgnored`: for env files, whether git ignores the file (undefined: unknown, no diagnostic). */
export function diagnostics(analysis: Analysis, snapshot: TokenSnapshot, now: number, gitIgnored?: boolean): DiagnosticsResult {
  const items: Diagnostic[] = [];
  let first: Range | undefined;
  let next: number | undefined;
  for (const block of analysis.blocks) {
    for (const finding of block.tokens) {
      const t = judge(finding, snapshot, now);
      next = nextCrossing(t, snapshot.refreshMarginMs, now, next);
      const needed = t.kind === 'long' || t.condition === 'expired' || t.condition === 'expiring' || t.condition === 'revoked';
      if (first === undefined || (needed && items.length < MAX_DIAGNOSTICS)) {
        const range = rangeOf(finding, block.startLine + finding.line);
        first ??= range;
        if (needed && items.length < MAX_DIAGNOSTICS) items.push(...tokenDiagnostics(t, range, now));
      }
    }
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
    const why = analysis.tokenCount >= MAX_FINDINGS ? `more than ${MAX_FINDINGS} tokens` : `over ${MAX_ANALYSED_CHARS / 1024 / 1024} MB`;
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
