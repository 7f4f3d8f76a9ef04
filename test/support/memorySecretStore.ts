// VS Code's SecretStorage in memory, for running the core under plain mocha.
import { Emitter } from '../../client/src/core/events';
import type { SecretStore } from '../../client/src/core/secretStore';
import type { Disposable } from '../../client/src/core/tokenService';

/**
 * An honest in-memory SecretStore: one instance shared by two engines behaves like two windows on one keychain
 * (both see every change event, as VS Code windows do). Events are delivered after the write has landed,
 * asynchronously, like the real one.
 */
export class MemorySecretStore implements SecretStore {
  private readonly data = new Map<string, string>();
  private readonly changed = new Emitter<string>();
  /** Number of store/delete calls, so tests can prove there is no write-back loop. */
  writes = 0;

  async get(key: string): Promise<string | undefined> {
    return this.data.get(key);
  }

  async store(key: string, value: string): Promise<void> {
    this.writes++;
    this.data.set(key, value);
    this.notify(key);
  }

  async delete(key: string): Promise<void> {
    this.writes++;
    const existed = this.data.delete(key);
    if (existed) this.notify(key);
  }

  onDidChange(listener: (key: string) => void): Disposable {
    return this.changed.event(listener);
  }

  /** Every stored value, for leak checks in tests. */
  dump(): Map<string, string> {
    return new Map(this.data);
  }

  private notify(key: string): void {
    queueMicrotask(() => this.changed.fire(key));
  }
}
