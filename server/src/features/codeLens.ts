// Code lenses: above each request holding a token (and on each token line of an env file) the token's countdown
// with Refresh/Replace, plus one "Replace all stale tokens" at the top when any is stale. Only a token of ours (named
// by the client's token state) gets Replace; any other gets a lens that says so and does nothing. So does a token the
// destination guard says goes to another origin: replacing it would send that profile's fresh token there.
import type { CodeLens } from 'vscode-languageserver-protocol';
import type { Analysis } from '../analysis';
import { ClientCommands } from '@shared/protocol/clientCommands';
import { shownOrigin } from '@shared/net/origin';
import type { TokenSnapshot } from '../tokenStateStore';
import { classify, rangeOf, type ClassifiedToken, type Judgement } from './classify';
import type { SentElsewhere } from './codeActions';
import { startKey } from './ranges';

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * `<1 min`, `14 min`, `2 h 5 min`, `90 days`: minute granularity below two days. A lens is only redrawn when the
 * server asks (workspace/codeLens/refresh, sent when this text changes: see nextLensChange), so it never shows seconds.
 */
function lensSpan(ms: number): string {
  const d = Math.max(0, ms);
  if (d >= 2 * DAY) return `${Math.floor(d / DAY)} days`;
  const minutes = Math.floor(d / MINUTE);
  if (minutes < 1) return '<1 min';
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** The unit lensSpan counts in for this duration. */
function unitOf(ms: number): number {
  return ms >= 2 * DAY ? DAY : MINUTE;
}

/** When this token's lens text next changes by itself (client clock), or undefined when it never does. */
function lensChangesAt(t: Judgement, now: number): number | undefined {
  if (t.expiresAt === undefined || t.condition === 'revoked') return undefined;
  if (now < t.expiresAt) {
    // The count floors: it drops just after the remaining time passes a whole unit.
    const left = t.expiresAt - now;
    return now + (left % unitOf(left)) + 1;
  }
  const ago = now - t.expiresAt;
  const unit = unitOf(ago);
  return now + unit - (ago % unit);
}

function title(t: ClassifiedToken, now: number): string {
  switch (t.condition) {
    case 'revoked':
      return 'revoked · Replace';
    case 'expired':
      return `expired ${lensSpan(now - (t.expiresAt ?? now))} ago · Replace`;
    case 'expiring':
    case 'valid':
      return t.kind === 'long'
        ? `long-term token, expires in ${lensSpan((t.expiresAt ?? now) - now)} · Replace with short-term`
        : `expires in ${lensSpan((t.expiresAt ?? now) - now)} · Refresh`;
    default:
      return t.kind === 'long' ? 'long-term token · Replace with short-term' : 'unknown expiry · Replace';
  }
}

/** What a lens says of a token that is not ours: its claims, unverified, and no action. */
function unknownTitle(t: ClassifiedToken, now: number): string {
  if (t.expiresAt === undefined) return 'unknown token';
  return now >= t.expiresAt
    ? `unknown token · claims it expired ${lensSpan(now - t.expiresAt)} ago`
    : `unknown token · claims to expire in ${lensSpan(t.expiresAt - now)}`;
}

function lensFor(uri: string, line: number, t: ClassifiedToken, now: number, sentTo: string | undefined): CodeLens {
  const range = { start: { line, character: 0 }, end: { line, character: 0 } };
  // An empty command id: VS Code draws the title as text, not as a link.
  if (!t.meta) return { range, command: { title: unknownTitle(t, now), command: '' } };
  if (sentTo !== undefined) {
    const title = `token of "${t.meta.profileName || t.meta.profileId}" sent to ${shownOrigin(sentTo)}, not its origin`;
    return { range, command: { title, command: '' } };
  }
  const args: ClientCommands.ReplaceTokenArgs = { uri, range: t.range, fingerprint: t.fingerprint };
  return { range, command: { title: title(t, now), command: ClientCommands.replaceToken, arguments: [args] } };
}

export interface CodeLensesResult {
  lenses: CodeLens[];
  /** The earliest moment any lens of this document changes its text (client clock), or undefined. */
  nextChangeAt?: number;
}

/** The lenses and when their texts next change, in one pass: each token is judged once. */
export function codeLenses(
  analysis: Analysis,
  snapshot: TokenSnapshot,
  now: number,
  elsewhere: SentElsewhere,
): CodeLensesResult {
  const lenses: CodeLens[] = [];
  let stale = 0;
  let next: number | undefined;
  for (const block of analysis.blocks) {
    for (const finding of block.tokens) {
      const line = block.startLine + finding.line;
      const t = classify(analysis.text, block, finding, snapshot, now);
      const sentTo = elsewhere.get(startKey(rangeOf(finding, line)));
      if (t.meta && t.stale && sentTo === undefined) stale++;
      const changesAt = lensChangesAt(t, now);
      if (changesAt !== undefined && (next === undefined || changesAt < next)) next = changesAt;
      const at = analysis.kind === 'env' || block.requestLine === -1 ? line : block.startLine + block.requestLine;
      lenses.push(lensFor(analysis.uri, at, t, now, sentTo));
    }
  }
  if (stale > 0) {
    const args: ClientCommands.ReplaceStaleTokensArgs = { uri: analysis.uri };
    lenses.unshift({
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      command: {
        title: `Replace all stale tokens (${stale})`,
        command: ClientCommands.replaceStaleTokens,
        arguments: [args],
      },
    });
  }
  return next === undefined ? { lenses } : { lenses, nextChangeAt: next };
}
