// Runs one bundled worker in a fresh Node process and reads the JSON line it prints last.
import { execFile } from 'node:child_process';
import { workerEnv } from './bundles';

export type WorkerOutput<T> = T | { error: string };

export function isWorkerError<T>(output: WorkerOutput<T>): output is { error: string } {
  return typeof output === 'object' && output !== null && typeof (output as { error?: unknown }).error === 'string';
}

export function runWorker<T>(
  worker: string,
  args: readonly string[],
  nodeArgs: readonly string[] = [],
): Promise<WorkerOutput<T>> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...nodeArgs, worker, ...args],
      { maxBuffer: 1 << 20, env: workerEnv() },
      (error, stdout, stderr) => {
        try {
          resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '') as WorkerOutput<T>);
        } catch {
          resolve({ error: (error?.message ?? stderr).split('\n')[0] ?? 'worker failed' });
        }
      },
    );
  });
}
