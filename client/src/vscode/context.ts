// The one object activate() builds and every module receives: the extension context plus two owners of
// disposables, one living as long as the extension, one as long as the language client (restarted on its own).
import type * as vscode from 'vscode';

export class DisposableList implements vscode.Disposable {
  private items: { dispose(): unknown }[] = [];

  push<T extends { dispose(): unknown }>(item: T): T {
    this.items.push(item);
    return item;
  }

  /** The backing array, for VS Code's `event(listener, thisArg, disposables)` form, which pushes into it. */
  get sink(): vscode.Disposable[] {
    return this.items as vscode.Disposable[];
  }

  /** Disposes in reverse order of creation, so later things (which may use earlier ones) go first. */
  dispose(): void {
    const items = this.items.reverse();
    this.items = [];
    for (const item of items) {
      try {
        void item.dispose();
      } catch {
        // One failing dispose must not keep the rest alive.
      }
    }
  }
}

export interface Ctx {
  readonly extension: vscode.ExtensionContext;
  /** Lives until deactivate(). */
  readonly extLifetime: DisposableList;
  /** Lives until the language client stops or restarts. */
  readonly clientLifetime: DisposableList;
}

export function createCtx(extension: vscode.ExtensionContext): Ctx {
  const ctx: Ctx = { extension, extLifetime: new DisposableList(), clientLifetime: new DisposableList() };
  // VS Code disposes subscriptions in order: the language client (which uses the rest) goes first.
  extension.subscriptions.push(ctx.clientLifetime, ctx.extLifetime);
  return ctx;
}
