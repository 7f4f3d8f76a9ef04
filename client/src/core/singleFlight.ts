// One in-flight operation per key: concurrent callers share its promise, success or failure alike. Nothing is
// cached: once it settles, the next caller starts a new operation (a failure is never remembered here).
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, Promise<T>>();

  run(key: string, operation: () => Promise<T>): Promise<T> {
    const existing = this.inFlight.get(key);
    if (existing) return existing;
    // Started on a microtask so even a synchronous throw settles after the entry is registered (and then removed).
    const promise: Promise<T> = Promise.resolve()
      .then(operation)
      .finally(() => {
        if (this.inFlight.get(key) === promise) this.inFlight.delete(key);
      });
    this.inFlight.set(key, promise);
    return promise;
  }

  has(key: string): boolean {
    return this.inFlight.has(key);
  }
}
