// The arguments of the client commands (c2m.lsp.*) that completions, code actions and code lenses carry. Any
// extension can run a command by id with arguments it chose, so the language server's arguments never reach the
// command: the client keeps them here and gives VS Code a random id in their place. A command runs only with an id
// this client minted for that command, before the id expires; a `once` id works once.
import { randomBytes } from 'node:crypto';

interface Offer<M> {
  command: string;
  args: unknown;
  meta: M;
  once: boolean;
  expiresAt: number;
}

export interface OfferOptions {
  once: boolean;
  /** How long the id works (ms); Infinity: until the limit pushes it out. */
  ttlMs: number;
}

/** What take() gives back: the arguments and what the caller kept beside them. */
export interface Taken<M> {
  args: unknown;
  meta: M;
}

/** Enough for every item of the last few hundred completion lists, lenses and code actions; the oldest go first. */
const DEFAULT_LIMIT = 5000;

export interface OffersOptions {
  newId?: () => string;
  limit?: number;
  /** The clock expiry is measured on. */
  now?: () => number;
}

export class Offers<M = undefined> {
  private readonly byId = new Map<string, Offer<M>>();
  private readonly newId: () => string;
  private readonly limit: number;
  private readonly now: () => number;

  constructor(options: OffersOptions = {}) {
    this.newId = options.newId ?? (() => randomBytes(18).toString('base64url'));
    this.limit = options.limit ?? DEFAULT_LIMIT;
    this.now = options.now ?? Date.now;
  }

  /** Keeps `args` (and `meta`) for `command`; the id is what the command is given instead. */
  offer(command: string, args: unknown, meta: M, options: OfferOptions): string {
    const id = this.newId();
    this.byId.set(id, { command, args, meta, once: options.once, expiresAt: this.now() + options.ttlMs });
    for (const oldest of this.byId.keys()) {
      if (this.byId.size <= this.limit) break;
      this.byId.delete(oldest);
    }
    return id;
  }

  /**
   * What was offered under `id` for `command`; 'expired' for an id past its time (then forgotten); undefined for
   * anything else (another command's id, a used-up one, arguments someone chose).
   */
  take(command: string, id: unknown): Taken<M> | 'expired' | undefined {
    if (typeof id !== 'string') return undefined;
    const offer = this.byId.get(id);
    if (!offer || offer.command !== command) return undefined;
    if (this.now() >= offer.expiresAt) {
      this.byId.delete(id);
      return 'expired';
    }
    if (offer.once) this.byId.delete(id);
    return { args: offer.args, meta: offer.meta };
  }

  get size(): number {
    return this.byId.size;
  }
}
