// The setup figures 2, 3 and 5 share: a spawned server that knows some tokens and has analysed one request file.
import { pathToFileURL } from 'node:url';
import { TOKEN_STATE_SIZE } from './benchContext';
import { BENCH_NOW_MS } from './benchInputs';
import { analyse, openDocument, sendTokenState, startSession, type LspSession } from './lsp';

export interface OpenFileSession {
  session: LspSession;
  uri: string;
  /** Diagnostics count after the first analysis (a sanity figure: 0 on 10,000 tokens would be suspicious). */
  diagnostics: number;
}

export async function sessionWithFile(
  bundle: string,
  runDir: string,
  file: string,
  text: string,
): Promise<OpenFileSession> {
  const session = await startSession(bundle, pathToFileURL(runDir).href);
  try {
    const uri = pathToFileURL(file).href;
    await sendTokenState(session, text, TOKEN_STATE_SIZE, BENCH_NOW_MS);
    const diagnostics = await analyse(session, uri, () => openDocument(session, uri, 'http', text));
    return { session, uri, diagnostics: diagnostics.length };
  } catch (error) {
    await session.dispose();
    throw error;
  }
}
