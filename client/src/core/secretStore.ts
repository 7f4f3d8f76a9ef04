// The shape of VS Code's SecretStorage, so the adapter wraps `context.secrets` one to one and the core runs
// under plain mocha. onDidChange fires for every change, including those made by other windows.
import type { Disposable } from './tokenService';

export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  store(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  onDidChange(listener: (key: string) => void): Disposable;
}
