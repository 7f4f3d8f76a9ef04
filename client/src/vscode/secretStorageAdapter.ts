// VS Code's SecretStorage as the core's SecretStore, one to one. onDidChange also fires for changes made by other
// windows of the same profile, which is how the engine learns that another window rotated or signed out.
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
