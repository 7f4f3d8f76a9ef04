// Quick fixes on a token: replace it with a fresh short-term token, replace all stale tokens of the file,
// move it into .env behind {{$dotenv C2M_ACCESS_TOKEN}}, revoke it. All are client commands (they need values).
// Replace and revoke are offered only for tokens the client's token state names (ours, by fingerprint): a token-shaped
// string anyone wrote must not be a way to have a fresh token written into a document.
import { CodeActionKind, type CodeAction, type Diagnostic, type Range } from 'vscode-languageserver-protocol';
import type { Analysis } from '../analysis';
import { ClientCommands } from '@shared/protocol/clientCommands';
import { DiagnosticCodes } from '@shared/protocol/diagnosticCodes';
import { ENV_TOKEN_NAME } from '@shared/protocol/envVariable';
import type { TokenSnapshot } from '../tokenStateStore';
import { classifyAll, type ClassifiedToken } from './classify';

function overlaps(a: Range, b: Range): boolean {
  const before = (p: Range['start'], q: Range['start']) =>
    p.line < q.line || (p.line === q.line && p.character <= q.character);
  return before(a.start, b.end) && before(b.start, a.end);
}

function diagnosticsOn(t: ClassifiedToken, context: readonly Diagnostic[]): Diagnostic[] {
  return context.filter((d) => d.source === 'C2M' && overlaps(d.range, t.range));
}

/** A stale token of ours: what "replace all stale tokens" replaces. */
export function isReplaceable(t: ClassifiedToken): boolean {
  return t.meta !== undefined && t.stale;
}

export function codeActions(
  analysis: Analysis,
  range: Range,
  contextDiagnostics: readonly Diagnostic[],
  snapshot: TokenSnapshot,
  now: number,
): CodeAction[] {
  const actions: CodeAction[] = [];
  const all = classifyAll(analysis, snapshot, now);
  const here = all.filter((t) => overlaps(t.range, range));
  const staleCount = all.filter(isReplaceable).length;
  for (const t of here) {
    const diagnostics = diagnosticsOn(t, contextDiagnostics);
    if (t.meta) {
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
    if (analysis.kind === 'request') {
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

/** The stale tokens of ours in a document, for the client's "replace all". */
export function staleTokens(
  analysis: Analysis,
  snapshot: TokenSnapshot,
  now: number,
): { range: Range; fingerprint: string }[] {
  return classifyAll(analysis, snapshot, now)
    .filter(isReplaceable)
    .map((t) => ({ range: t.range, fingerprint: t.fingerprint }));
}
