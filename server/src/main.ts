// Process entry: only wiring. The server itself is startServer() so tests can run it in-process.
import { format } from 'node:util';
import { createConnection, StreamMessageWriter, type Connection } from 'vscode-languageserver/node';
import { startServer } from './server';
import { StdioMessageReader } from './stdioReader';

/**
 * With --stdio the connection gets our own reader (stdioReader.ts), so vscode-languageserver no longer sets up stdio
 * itself; this is the part of that setup the server needs: stdout carries the protocol, so console output goes to
 * the client's log, and the process ends with its input.
 */
function stdioConnection(): Connection {
  const reader = new StdioMessageReader(process.stdin);
  const connection = createConnection(reader, new StreamMessageWriter(process.stdout));
  const log = (...args: unknown[]): void => connection.console.log(format(...args));
  console.log = log;
  console.info = log;
  console.debug = log;
  console.dir = (value: unknown): void => log(value);
  console.warn = (...args: unknown[]): void => connection.console.warn(format(...args));
  console.error = (...args: unknown[]): void => connection.console.error(format(...args));
  const exit = (): never => process.exit(reader.sawShutdown ? 0 : 1);
  process.stdin.on('end', exit);
  process.stdin.on('close', exit);
  return connection;
}

startServer(process.argv.includes('--stdio') ? stdioConnection() : createConnection());
