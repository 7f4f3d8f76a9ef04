// The engine's background work (re-reads after a change, timer refreshes, revoke retries): nobody awaits it, so its
// failures are already reported where they happen and are swallowed here; idle() lets tests and shutdown wait until
// none is left, including work that started while waiting.
export class BackgroundWork {
  private readonly running = new Set<Promise<unknown>>();

  track(work: Promise<unknown>): void {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.running.add(settled);
    void settled.then(() => this.running.delete(settled));
  }

  async idle(): Promise<void> {
    for (;;) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.running.size === 0) return;
      await Promise.all([...this.running]);
    }
  }
}
