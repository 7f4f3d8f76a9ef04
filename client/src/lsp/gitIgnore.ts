// Answers the server's c2m/isIgnored: does git ignore this env file? Only a clear "no" from git is false;
// outside a repository, or without git, there is nothing to commit the file to, so the answer is true.
import { execFile } from 'node:child_process';
import path from 'node:path';

const TIMEOUT_MS = 5_000;

export function isGitIgnored(fsPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(
      'git',
      ['check-ignore', '-q', '--', path.basename(fsPath)],
      { cwd: path.dirname(fsPath), timeout: TIMEOUT_MS, windowsHide: true },
      (error) => {
        if (!error) return resolve(true); // exit 0: ignored
        const code = (error as { code?: unknown }).code;
        resolve(code !== 1); // exit 1: not ignored; 128 (no repo), ENOENT (no git), timeout: nothing to warn about
      },
    );
  });
}
