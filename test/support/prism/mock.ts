// `prism mock` of the contract (test/fixtures/contract), started on 127.0.0.1 on a free port, stopped by the caller.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
export const CONTRACT = path.join(ROOT, 'test/fixtures/contract/c2m-auth.openapi.yaml');
const PRISM = path.join(ROOT, 'node_modules/@stoplight/prism-cli/dist/index.js');

export interface Prism {
  baseUrl: string;
  port: number;
  /** The last lines Prism printed (its log is kept short: a shared proxy logs every request for minutes). */
  logTail(): string;
  stop(): Promise<void>;
}

const LOG_TAIL_CHARS = 64 * 1024;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts Prism with `args` (e.g. ['mock', CONTRACT, '--dynamic']) and resolves once it listens; `signal` kills it early. */
export async function startPrism(args: string[], signal?: AbortSignal): Promise<Prism> {
  signal?.throwIfAborted();
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [PRISM, ...args, '-h', '127.0.0.1', '-p', String(port)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let listening = false;
  await new Promise<void>((resolve, reject) => {
    // Read for as long as Prism runs: a full pipe would block its logging, and with it every request.
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!listening && output.includes('Prism is listening')) {
        listening = true;
        resolve();
      }
      if (output.length > 2 * LOG_TAIL_CHARS) output = output.slice(-LOG_TAIL_CHARS);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`prism exited (${code}) before listening:\n${output}`)));
    signal?.addEventListener('abort', () => child.kill('SIGTERM'), { once: true });
  });
  // A run that ends without stop() (a crash, a hook that never ran) must not leave Prism behind.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      process.off('exit', killOnExit);
      resolve();
    }),
  );
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    logTail: () => output.slice(-LOG_TAIL_CHARS),
    stop: () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
