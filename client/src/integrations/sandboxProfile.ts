// Which profile "Try with Local Sandbox" may use. Only the sandbox's own: a loopback base URL and the demo client id,
// from user settings. Any other profile (one the user happened to name "Sandbox" included) is never re-pointed, and
// its secret and tokens are never touched: a new profile is made beside it, with an id and a name nobody has.
// No vscode import: the choice is plain logic, tested under mocha.
import { isLoopbackHost } from '@shared/net/loopbackHost';
import type { Profile } from '../core/profile';

export const SANDBOX_PROFILE_ID = 'sandbox';
const SANDBOX_PROFILE_NAME = 'Sandbox';

export interface SandboxDemo {
  clientId: string;
  scopes: string[];
}

function isLoopbackHttp(baseUrl: string): boolean {
  try {
    const url = new URL(baseUrl);
    return url.protocol === 'http:' && isLoopbackHost(url.hostname);
  } catch {
    return false;
  }
}

/** Whether `profile` is one the sandbox flow set up: the demo client at a loopback sandbox, by client secret. */
export function isSandboxProfile(profile: Profile, demo: SandboxDemo): boolean {
  return profile.clientId === demo.clientId && profile.mechanism === 'client_secret' && isLoopbackHttp(profile.baseUrl);
}

/** The sandbox's own profile among the user's (the one with id `sandbox` first), or undefined. */
export function ownSandboxProfile(userProfiles: readonly Profile[], demo: SandboxDemo): Profile | undefined {
  const own = userProfiles.filter((p) => isSandboxProfile(p, demo));
  return own.find((p) => p.id === SANDBOX_PROFILE_ID) ?? own[0];
}

/** A new sandbox profile whose id and name no profile has (names are account labels: they must stay unique). */
export function newSandboxProfile(all: readonly Profile[], baseUrl: string, demo: SandboxDemo): Profile {
  const ids = new Set(all.map((p) => p.id));
  const names = new Set(all.map((p) => p.name.trim().toLowerCase()));
  let n = 1;
  while (
    ids.has(n === 1 ? SANDBOX_PROFILE_ID : `${SANDBOX_PROFILE_ID}-${n}`) ||
    names.has((n === 1 ? SANDBOX_PROFILE_NAME : `${SANDBOX_PROFILE_NAME} ${n}`).toLowerCase())
  )
    n++;
  return {
    id: n === 1 ? SANDBOX_PROFILE_ID : `${SANDBOX_PROFILE_ID}-${n}`,
    name: n === 1 ? SANDBOX_PROFILE_NAME : `${SANDBOX_PROFILE_NAME} ${n}`,
    baseUrl,
    clientId: demo.clientId,
    mechanism: 'client_secret',
    scopes: [...demo.scopes],
  };
}
