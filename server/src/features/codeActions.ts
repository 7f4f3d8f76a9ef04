// Quick fixes on a token: replace it with a fresh short-term token, replace all stale tokens of the file,
// move it into .env behind {{$dotenv C2M_ACCESS_TOKEN}}, revoke it. All are client commands (they need values).
// Replace and revoke are offered only for tokens the client's token state names (ours, by fingerprint): a token-shaped
// string anyone wrote must not be a way to have a fresh token written into a document.
// A token the destination guard says goes to another origin gets neither Replace nor Move (nor a place in "replace all"):
// both keep that profile's token going there. The guard's own fixes (destination.ts) are what it gets instead.
import { CodeActionKind, type CodeAction, type Diagnostic, type Range } from 'vscode-languageserver-protocol';
import type { Analysis } from '../analysis';
import { ClientCommands } from '@shared/protocol/clientCommands';
import { DiagnosticCodes } from '@shared/protocol/diagnosticCodes';
import { ENV_TOKEN_NAME } from '@shared/protocol/envVariable';
import type { TokenSnapshot } from '../tokenStateStore';
import { classifyAll, type ClassifiedToken } from './classify';
import { overlaps, startKey } from './ranges';

/** Tokens (by startKey) sent to another origin than their profile's, with that origin (tokensSentElsewhere). */
export type SentElsewhere = ReadonlyMap<string, string>;

function diagnosticsOn(t: ClassifiedToken, context: readonly Diagnostic[]): Diagnostic[] {
  return context.filter((d) => d.source === 'C2M' && overlaps(d.range, t.range));
}

/** A stale token of ours that goes to its own origin: what "replace all stale tokens" replaces. */
export function isReplaceable(t: ClassifiedToken, elsewhere: SentElsewhere): boolean {
  return t.meta !== undefined && t.stale && !elsewhere.has(startKey(t.range));
}

export function codeActions(
  analysis: Analysis,
  range: Range,
  contextDiagnostics: readonly Diagnostic[],
  snapshot: TokenSnapshot,
  now: number,
  elsewhere: SentElsewhere,
): CodeAction[] {
  const actions: CodeAction[] = [];
  const all = classifyAll(analysis, snapshot, now);
  const here = all.filter((t) => overlaps(t.range, range));
  const staleCount = all.filter((t) => isReplaceable(t, elsewhere)).length;
  for (const t of here) {
    const diagnostics = diagnosticsOn(t, contextDiagnostics);
    const goesHome = !elsewhere.has(startKey(t.range));
    if (t.meta && goesHome) {
      const replace: ClientCommands.ReplaceTokenArgs = {
        uri: analysis.uri,
        range: t.range,
        fingerprint: t.fingerprint,
      };
      actions.push({
        title: 'Replace with a fresh short-term token',
        kind: CodeActionKind.QuickFix,
        diagnostics,
        isPreferred: t.stale,
        command: {
          title: 'Replace with a fresh short-term token',
          command: ClientCommands.replaceToken,
          arguments: [replace],
        },
      });
    }
    if (analysis.kind === 'request' && goesHome) {
      const move: ClientCommands.MoveTokenToEnvArgs = { uri: analysis.uri, range: t.range };
      const title = `Move token to .env as ${ENV_TOKEN_NAME} and use {{$dotenv ${ENV_TOKEN_NAME}}}`;
      actions.push({
        title,
        kind: CodeActionKind.QuickFix,
        diagnostics,
        command: { title, command: ClientCommands.moveTokenToEnv, arguments: [move] },
      });
    }
    if (t.meta && t.condition !== 'revoked') {
      const revoke: ClientCommands.RevokeTokenArgs = { fingerprint: t.fingerprint };
      actions.push({
        title: 'Revoke this token',
        kind: CodeActionKind.QuickFix,
        diagnostics,
        command: { title: 'Revoke this token', command: ClientCommands.revokeTokenByFingerprint, arguments: [revoke] },
      });
    }
  }
  const notIgnored = contextDiagnostics.filter(
    (d) => d.source === 'C2M' && d.code === DiagnosticCodes.envNotIgnored && overlaps(d.range, range),
  );
  if (analysis.kind === 'env' && notIgnored.length > 0) {
    const args: ClientCommands.AddToGitIgnoreArgs = { uri: analysis.uri };
    const title = 'Add this file to .gitignore';
    actions.push({
      title,
      kind: CodeActionKind.QuickFix,
      diagnostics: notIgnored,
      isPreferred: true,
      command: { title, command: ClientCommands.addToGitIgnore, arguments: [args] },
    });
  }
  if (here.length > 0 && staleCount > 0) {
    const args: ClientCommands.ReplaceStaleTokensArgs = { uri: analysis.uri };
    const title = `Replace all stale tokens in this file (${staleCount})`;
    actions.push({
      title,
      kind: CodeActionKind.QuickFix,
      command: { title, command: ClientCommands.replaceStaleTokens, arguments: [args] },
    });
  }
  return actions;
}

/** The stale tokens of ours in a document that go to their own origin, for the client's "replace all". */
export function staleTokens(
  analysis: Analysis,
  snapshot: TokenSnapshot,
  now: number,
  elsewhere: SentElsewhere,
): { range: Range; fingerprint: string }[] {
  return classifyAll(analysis, snapshot, now)
    .filter((t) => isReplaceable(t, elsewhere))
    .map((t) => ({ range: t.range, fingerprint: t.fingerprint }));
}
