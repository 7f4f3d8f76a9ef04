// What a command is: a function of the services activate() built, giving the handler VS Code registers. A handler
// never throws at the user: failures become notifications, and it resolves to its result (a TokenInfo, a profile
// id...) or undefined, which the integration tests use.
import type { TokenKind } from '../core/tokenService';
import type { Services } from '../services';

export type Handler = (...args: unknown[]) => Promise<unknown>;

export type Command<S = Services> = (s: S) => Handler;

/** A command's target as passed by a tree node ({ profileId, kind? }), a profile id string, or nothing (active profile). */
export interface Target {
  profileId: string;
  kind?: TokenKind;
}

export function targetOf(arg: unknown): Partial<Target> {
  if (typeof arg === 'string') return { profileId: arg };
  if (typeof arg === 'object' && arg !== null && 'profileId' in arg && typeof arg.profileId === 'string') {
    const kind = 'kind' in arg && (arg.kind === 'long' || arg.kind === 'short') ? arg.kind : undefined;
    return kind ? { profileId: arg.profileId, kind } : { profileId: arg.profileId };
  }
  return {};
}
