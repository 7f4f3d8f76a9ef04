// Figure 1's "server" side: the functions the language server's diagnostics run on a document, from text to
// classified tokens (parse, find tokens, decode, fingerprint, classify). Returns the number of tokens classified so
// the sides can be checked against each other.
import { analyseText, type DocKind } from '../../server/src/analysis';
import { classifyAll } from '../../server/src/features/classify';
import { emptySnapshot } from '../../server/src/tokenState';

export type Analysis = (text: string, uri: string, nowMs: number) => number;

export function serverAnalysis(kind: 'http' | 'env'): Analysis {
  const docKind: DocKind = kind === 'env' ? 'env' : 'request';
  return (text, uri, nowMs) => classifyAll(analyseText(uri, docKind, text), emptySnapshot, nowMs).length;
}
