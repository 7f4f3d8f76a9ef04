// VS Code's SecretStorage as the core's SecretStore, one to one. On the desktop onDidChange also fires for changes
// made by other windows. In VS Code for the Web (code-server) it does not: each browser tab keeps its own copy of every
// extension's secrets, loaded at start, and writes its whole copy back on every store, so a tab never sees another
// tab's writes and its next write erases them. The windows therefore also talk through windowChannel.ts.
import type * as vscode from 'vscode';
import type { SecretStore } from '../core/secretStore';
import type { Disposable } from '../core/tokenService';

export class SecretStorageAdapter implements SecretStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(key: string): Promise<string | undefined> {
    return this.secrets.get(key);
  }

  async store(key: string, value: string): Promise<void> {
    await this.secrets.store(key, value);
  }

  async delete(key: string): Promise<void> {
    await this.secrets.delete(key);
  }

  onDidChange(listener: (key: string) => void): Disposable {
    return this.secrets.onDidChange((e) => listener(e.key));
  }
}
