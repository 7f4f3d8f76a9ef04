// The windows' shared state file (windowChannel.ts) on the extension host's disk, under the extension's global
// storage: every window of one VS Code server runs its extension host on this machine, whatever browser tab or
// desktop window it serves. It holds no secret. Writes go to a temporary file renamed over the old one, under a lock
// directory (mkdir is atomic across processes); a lock left by a crashed window is broken after LOCK_STALE_MS.
// Changes are noticed by watching the folder (the file is replaced, not edited) and re-read on focus by the caller.
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Emitter } from '../core/events';
import type { Disposable } from '../core/tokenService';
import type { SharedFile } from '../core/windowChannel';

const FILE_NAME = 'windows.json';
const LOCK_STALE_MS = 10_000;
const LOCK_GIVE_UP_MS = 15_000;
const LOCK_POLL_MS = 25;

const codeOf = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code;
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class SharedStateFile implements SharedFile, Disposable {
  private readonly file: string;
  private readonly lockDir: string;
  private readonly changed = new Emitter<void>();
  private watcher: fs.FSWatcher | undefined;
  /** Calls of this process queue here first, so only one of them polls for the lock. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    dir: string,
    private readonly log: (line: string) => void,
  ) {
    this.file = path.join(dir, FILE_NAME);
    this.lockDir = `${this.file}.lock`;
    try {
      fs.mkdirSync(dir, { recursive: true });
      this.watcher = fs.watch(dir, (_event, name) => {
        if (name === null || name.toString() === FILE_NAME) this.changed.fire();
      });
      this.watcher.on('error', (error) =>
        this.log(`windows: watching ${FILE_NAME} failed (${codeOf(error) ?? 'error'}); re-read on focus only`),
      );
    } catch (error) {
      this.log(`windows: cannot watch ${dir} (${codeOf(error) ?? 'error'}); re-read on focus only`);
    }
  }

  readonly onDidChange = this.changed.event;

  async read(): Promise<string | undefined> {
    try {
      return await fs.promises.readFile(this.file, 'utf8');
    } catch (error) {
      if (codeOf(error) === 'ENOENT') return undefined;
      throw error;
    }
  }

  locked<R>(change: (raw: string | undefined) => Promise<{ next?: string; result: R }>): Promise<R> {
    const run = this.chain.then(() => this.underLock(change));
    this.chain = run.catch(() => undefined);
    return run;
  }

  dispose(): void {
    this.watcher?.close();
    this.watcher = undefined;
    this.changed.dispose();
  }

  private async underLock<R>(change: (raw: string | undefined) => Promise<{ next?: string; result: R }>): Promise<R> {
    await this.acquire();
    try {
      const raw = await this.read();
      const { next, result } = await change(raw);
      if (next !== undefined && next !== raw) {
        const temp = `${this.file}.${randomUUID()}.tmp`;
        await fs.promises.writeFile(temp, next, { mode: 0o600 });
        await fs.promises.rename(temp, this.file);
      }
      return result;
    } finally {
      await fs.promises.rm(this.lockDir, { recursive: true, force: true });
    }
  }

  private async acquire(): Promise<void> {
    const started = Date.now();
    for (;;) {
      try {
        await fs.promises.mkdir(this.lockDir);
        return;
      } catch (error) {
        if (codeOf(error) !== 'EEXIST') throw error;
      }
      const age = await fs.promises.stat(this.lockDir).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > LOCK_STALE_MS) {
        this.log(`windows: breaking a lock left for ${Math.round(age / 1000)} s (a window closed while writing?)`);
        await fs.promises.rm(this.lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() - started > LOCK_GIVE_UP_MS)
        throw new Error(`the windows' state file stayed locked for ${LOCK_GIVE_UP_MS / 1000} s`);
      await pause(LOCK_POLL_MS);
    }
  }
}
