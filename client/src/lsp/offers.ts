// The arguments of the client commands (c2m.lsp.*) that completions, code actions and code lenses carry. Any
// extension can run a command by id with arguments it chose, so the language server's arguments never reach the
// command: the client keeps them here and gives VS Code a random id in their place. A command runs only with an id
// this client minted for that command; a completion's id works once.
import { randomBytes } from 'node:crypto';

interface Offer {
  command: string;
  args: unknown;
  once: boolean;
}

/** Enough for every item of the last few hundred completion lists, lenses and code actions; the oldest go first. */
const DEFAULT_LIMIT = 5000;

export class Offers {
  private readonly byId = new Map<string, Offer>();

  constructor(
    private readonly newId: () => string = () => randomBytes(18).toString('base64url'),
    private readonly limit = DEFAULT_LIMIT,
  ) {}

  /** Keeps `args` for `command`; the id is what the command is given instead. */
  offer(command: string, args: unknown, options: { once: boolean }): string {
    const id = this.newId();
    this.byId.set(id, { command, args, once: options.once });
    for (const oldest of this.byId.keys()) {
      if (this.byId.size <= this.limit) break;
      this.byId.delete(oldest);
    }
    return id;
  }

  /** The arguments offered under `id` for `command`, or undefined for anything else (chosen arguments included). */
  take(command: string, id: unknown): unknown {
    if (typeof id !== 'string') return undefined;
    const offer = this.byId.get(id);
    if (!offer || offer.command !== command) return undefined;
    if (offer.once) this.byId.delete(id);
    return offer.args;
  }

  get size(): number {
    return this.byId.size;
  }
}
