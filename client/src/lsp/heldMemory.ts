// The token values this window held, kept a while after the engine let them go: a short-term token a refresh
// replaced still works until it expires, and may still sit in a file (written as it is, or percent-encoded in a URL).
// Memory only, bounded, newest kept; client secrets are what the engine holds now. Pure, no vscode import.
import type { Held } from './serverText';

/** How many token values the window keeps (the engine's current ones always among them). */
export const HELD_MEMORY_SIZE = 64;

export class HeldMemory {
  private readonly tokens = new Set<string>();

  constructor(
    private readonly source: () => Held,
    private readonly max = HELD_MEMORY_SIZE,
  ) {}

  /** What the engine holds now, plus the tokens it held before (oldest forgotten first past the bound). */
  current(): Held {
    const now = this.source();
    for (const value of now.tokens) {
      this.tokens.delete(value); // re-inserted last: the oldest go first
      this.tokens.add(value);
    }
    for (const oldest of this.tokens) {
      if (this.tokens.size <= this.max) break;
      this.tokens.delete(oldest);
    }
    return { tokens: [...this.tokens], secrets: now.secrets };
  }
}
