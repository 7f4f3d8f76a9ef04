// Code lenses: above each request holding a token (and on each token line of an env file) the token's countdown
// with Refresh/Replace, plus one "Replace all stale tokens" at the top when any is stale.
import type { CodeLens } from 'vscode-languageserver-protocol';
import type { Analysis } from '../analysis';
import { ClientCommands } from '../protocol';
import type { TokenSnapshot } from '../tokenState';
import { classify, type ClassifiedToken } from './classify';
import { countdown, span } from './time';

function title(t: ClassifiedToken, now: number): string {
  switch (t.condition) {
    case 'revoked':
      return 'revoked · Replace';
    case 'expired':
      return `expired ${span(now - (t.expiresAt ?? now))} ago · Replace`;
    case 'expiring':
    case 'valid':
      return t.kind === 'long'
        ? `long-term token, expires in ${countdown((t.expiresAt ?? now) - now)} · Replace with short-term`
        : `expires in ${countdown((t.expiresAt ?? now) - now)} · Refresh`;
    default:
      return t.kind === 'long' ? 'long-term token · Replace with short-term' : 'unknown expiry · Replace';
  }
}

function lensFor(uri: string, line: number, t: ClassifiedToken, now: number): CodeLens {
  const args: ClientCommands.ReplaceTokenArgs = { uri, range: t.range, fingerprint: t.fingerprint };
  return {
    range: { start: { line, character: 0 }, end: { line, character: 0 } },
    command: { title: title(t, now), command: ClientCommands.replaceToken, arguments: [args] },
  };
}

export function codeLenses(analysis: Analysis, snapshot: TokenSnapshot, now: number): CodeLens[] {
  const lenses: CodeLens[] = [];
  let stale = 0;
  for (const block of analysis.blocks) {
    for (const finding of block.tokens) {
      const line = block.startLine + finding.line;
      const t = classify(analysis.text, block, finding, snapshot, now);
      if (t.stale) stale++;
      const at = analysis.kind === 'env' || block.requestLine === -1 ? line : block.startLine + block.requestLine;
      lenses.push(lensFor(analysis.uri, at, t, now));
    }
  }
  if (stale > 0) {
    const args: ClientCommands.ReplaceStaleTokensArgs = { uri: analysis.uri };
    lenses.unshift({
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      command: { title: `Replace all stale tokens (${stale})`, command: ClientCommands.replaceStaleTokens, arguments: [args] },
    });
  }
  return lenses;
}
