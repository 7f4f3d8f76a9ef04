// A minimal typed event emitter (vscode.EventEmitter is off limits in core/). A throwing listener is isolated
// so one broken subscriber cannot stop the others or the engine.
import type { Disposable } from './tokenService';

export class Emitter<T> implements Disposable {
  private listeners = new Set<(value: T) => void>();

  readonly event = (listener: (value: T) => void): Disposable => {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch {
        // Listener errors are the listener's problem; the engine carries on.
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
