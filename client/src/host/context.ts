// The one object activate() builds and every module receives: the extension context plus two owners of
// disposables: one living as long as the extension (disposed at deactivate), one as long as the current language
// client (disposed, and a new one begun, each time the language features start a language client; the last one is
// disposed at deactivate, before the extension's).
import type * as vscode from 'vscode';

type Item = { dispose(): unknown };

/**
 * An array VS Code can push into (its `event(listener, thisArg, disposables)` form checks Array.isArray), whose pushes
 * go through the owner: after the owner is disposed, what arrives is disposed at once instead of leaking.
 */
class Sink extends Array<vscode.Disposable> {
  // map/filter/slice on a sink make plain arrays, not sinks without an owner.
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }

  constructor(private readonly owner: DisposableList) {
    super();
  }

  override push(...items: vscode.Disposable[]): number {
    for (const item of items) this.owner.push(item);
    return 0;
  }
}

export class DisposableList implements vscode.Disposable {
  private readonly items: Item[] = [];
  private disposed = false;
  /** One sink for the list's whole life: callers may keep it. */
  readonly sink: vscode.Disposable[] = new Sink(this);

  /** Dispose failures are reported here (the log, once activate() has one), never swallowed. */
  constructor(
    private readonly onError: (error: unknown) => void = (error) => console.error('c2m: dispose failed', error),
  ) {}

  push<T extends Item>(item: T): T {
    if (this.disposed) this.disposeOne(item);
    else this.items.push(item);
    return item;
  }

  /** Disposes in reverse order of creation, so later things (which may use earlier ones) go first. */
  dispose(): void {
    this.disposed = true;
    for (const item of this.items.splice(0).reverse()) this.disposeOne(item);
  }

  private disposeOne(item: Item): void {
    try {
      const result = item.dispose();
      // One failing dispose must not keep the rest alive; an async one's failure is reported too.
      if (result instanceof Promise) result.catch(this.onError);
    } catch (error) {
      this.onError(error);
    }
  }
}

/**
 * A lifetime that ends and begins again: renew() disposes what the current period owns and starts a new one. After
 * dispose() every period is over: what is pushed into the last one, or into one renew() gives, is disposed at once.
 */
export class RenewableLifetime implements vscode.Disposable {
  private period: DisposableList;
  private ended = false;

  constructor(private readonly onError?: (error: unknown) => void) {
    this.period = new DisposableList(onError);
  }

  /** The current period's owner. */
  get current(): DisposableList {
    return this.period;
  }

  /** Ends the current period (disposing what it owns) and begins the next one, which it returns. */
  renew(): DisposableList {
    this.period.dispose();
    this.period = new DisposableList(this.onError);
    if (this.ended) this.period.dispose();
    return this.period;
  }

  dispose(): void {
    this.ended = true;
    this.period.dispose();
  }
}

export interface Ctx {
  readonly extension: vscode.ExtensionContext;
  /** Lives until deactivate(). */
  readonly extLifetime: DisposableList;
  /** One period per language client: renewed when the language features start one, disposed at deactivate. */
  readonly clientLifetime: RenewableLifetime;
}

export function createCtx(extension: vscode.ExtensionContext): Ctx {
  const ctx: Ctx = { extension, extLifetime: new DisposableList(), clientLifetime: new RenewableLifetime() };
  // VS Code disposes subscriptions in order: the language client (which uses the rest) goes first.
  extension.subscriptions.push(ctx.clientLifetime, ctx.extLifetime);
  return ctx;
}
