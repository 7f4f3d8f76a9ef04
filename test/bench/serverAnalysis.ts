// Figure 1's "server" side: what the language server does from a document's text to its diagnostics (parse, find
// tokens, decode, fingerprint, classify, build the diagnostics), with the same token state the LSP figures send.
// Returns the number of tokens found so the sides can be checked against each other.
import { analyseText, type DocKind } from '../../server/src/analysis';
import { diagnostics } from '../../server/src/features/diagnostics';
import { TokenStateStore } from '../../server/src/tokenStateStore';
import { TOKEN_STATE_SIZE } from './benchContext';
import { benchTokenState } from './tokenStateFixture';

export type Analysis = (text: string, uri: string, nowMs: number) => number;

export function serverAnalysis(kind: 'http' | 'env', text: string, nowMs: number): Analysis {
  const docKind: DocKind = kind === 'env' ? 'env' : 'request';
  const state = new TokenStateStore(() => nowMs);
  state.update(benchTokenState(text, TOKEN_STATE_SIZE, nowMs));
  return (fileText, uri) => {
    const analysis = analyseText(uri, docKind, fileText);
    diagnostics(analysis, state.snapshot, state.now(), true);
    return analysis.tokenCount;
  };
}
