// Floor for figures 4 and 6: a vscode-languageserver server that answers initialize and does nothing else.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';

const connection = createConnection(ProposedFeatures.all);
connection.onInitialize(() => ({ capabilities: {} }));
connection.listen();
