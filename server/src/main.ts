// Process entry: only wiring. The server itself is startServer() so tests can run it in-process.
import { createConnection } from 'vscode-languageserver/node';
import { startServer } from './server';

startServer(createConnection());
