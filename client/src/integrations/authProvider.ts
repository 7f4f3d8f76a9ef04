// The `c2m` authentication provider: other extensions call vscode.authentication.getSession('c2m', scopes) and get a
// fresh short-term token (narrowed to the scopes asked for when the long-term token allows it). One account per
// profile; signing out from the Accounts menu revokes the profile's tokens.
// VS Code asks getSessions() before it checks whether the calling extension may have the session, so getSessions()
// answers only for sessions the user created (createSession runs after VS Code's consent): an extension asking for
// anything else causes no token exchange. VS Code keys consent by account label, so labels carry the profile id:
// two profiles named "Team" are two accounts, and a new profile never inherits another's consent.
import * as vscode from 'vscode';
import type { TokenInfo, TokenService } from '../core/tokenService';
import { normaliseScopes } from '../core/scopeNarrowing';
import { MIN_VALIDITY_MS } from '../core/refreshPolicy';
import { errorText } from '../host/log';

export const AUTH_PROVIDER_ID = 'c2m';
/** The provider's name in the Accounts menu. */
export const authProviderLabel = (): string => vscode.l10n.t('C2M API');

export interface AuthEngine extends TokenService {
  getScopedShortTermToken(
    profileId: string | undefined,
    scopes: readonly string[],
    minValidityMs?: number,
  ): Promise<{ value: string; info: TokenInfo }>;
  signOut(profileId: string): Promise<void>;
}

/** Where the ids of the sessions the user created are kept (ids only: profile id and scopes). */
export interface SessionMemory {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

export interface AuthProviderDeps {
  engine: AuthEngine;
  memory: SessionMemory;
  /** Gives the active profile a long-term token (the issue command, with its prompts); resolves whether it worked. */
  signIn(): Promise<boolean>;
  log(line: string): void;
}

const SEP = '#';
const CREATED_KEY = 'c2m.auth.createdSessions';

/** The account label of a profile: unique per profile, so VS Code's per-label consent is per profile. */
export function accountLabelOf(profile: { id: string; name: string }): string {
  return `${profile.name} (${profile.id})`;
}

export function sessionIdOf(profileId: string, scopes: readonly string[]): string {
  return `${profileId}${SEP}${normaliseScopes(scopes).join(' ')}`;
}

function profileIdOfSession(sessionId: string): string {
  const at = sessionId.indexOf(SEP);
  return at === -1 ? sessionId : sessionId.slice(0, at);
}

function scopesOfSession(sessionId: string): string[] {
  const at = sessionId.indexOf(SEP);
  return at === -1
    ? []
    : sessionId
        .slice(at + 1)
        .split(' ')
        .filter((s) => s !== '');
}

/** A long-term token that can be exchanged: the profile is signed in. */
function signedIn(engine: TokenService, profileId: string): boolean {
  return engine
    .tokens()
    .some((t) => t.profileId === profileId && t.kind === 'long' && (t.status === 'valid' || t.status === 'expiring'));
}

export class C2mAuthProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.changed.event;
  /** Per profile: the long-term token id + short fingerprint last seen, to tell added/removed/changed apart. */
  private seen = new Map<string, string>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly deps: AuthProviderDeps) {
    this.seen = this.snapshot();
    this.subscriptions.push(
      this.changed,
      deps.engine.onDidChange(() => this.onEngineChange()),
    );
  }

  async getSessions(
    scopes: readonly string[] | undefined,
    options?: vscode.AuthenticationProviderSessionOptions,
  ): Promise<vscode.AuthenticationSession[]> {
    const profiles = this.deps.engine
      .profiles()
      .filter((p) => signedIn(this.deps.engine, p.id))
      .filter((p) => !options?.account || options.account.id === p.id)
      .sort((a, b) => Number(b.active) - Number(a.active));
    const sessions: vscode.AuthenticationSession[] = [];
    // No scopes: every session the user created (the Accounts menu lists and signs out those).
    const created = [...this.created()].filter(
      (id) => scopes === undefined || id.endsWith(`${SEP}${normaliseScopes(scopes).join(' ')}`),
    );
    for (const p of profiles) {
      for (const id of created.filter((c) => profileIdOfSession(c) === p.id)) {
        const asked = scopesOfSession(id);
        try {
          sessions.push(await this.session(p.id, p.name, asked));
        } catch (error) {
          // A profile that cannot give this token (scopes not allowed, server down) has no session for it.
          this.deps.log(`authentication: no session of ${p.id} for [${asked.join(' ')}]: ${errorText(error)}`);
        }
      }
    }
    return sessions;
  }

  async createSession(
    scopes: readonly string[],
    options?: vscode.AuthenticationProviderSessionOptions,
  ): Promise<vscode.AuthenticationSession> {
    const wanted = options?.account?.id;
    const profiles = this.deps.engine.profiles();
    let profile = profiles.find((p) => p.id === wanted) ?? profiles.find((p) => p.active) ?? profiles[0];
    if (!profile || !signedIn(this.deps.engine, profile.id)) {
      if (!(await this.deps.signIn()))
        throw new Error(vscode.l10n.t('C2M: not signed in: add a profile and issue a long-term token first.'));
      const now = this.deps.engine.profiles();
      profile = now.find((p) => p.active) ?? now[0];
      if (!profile) throw new Error(vscode.l10n.t('C2M: no profile.'));
    }
    const session = await this.session(profile.id, profile.name, scopes);
    await this.remember(session.id, true);
    this.seen = this.snapshot();
    this.changed.fire({ added: [session], removed: undefined, changed: undefined });
    return session;
  }

  /** Sign-out from the Accounts menu: revokes the profile's tokens (and forgets them here). */
  async removeSession(sessionId: string): Promise<void> {
    const profileId = profileIdOfSession(sessionId);
    for (const id of this.created()) if (profileIdOfSession(id) === profileId) await this.remember(id, false);
    await this.deps.engine.signOut(profileId);
    this.deps.log(`authentication: session of ${profileId} removed, tokens revoked`);
  }

  dispose(): void {
    for (const s of this.subscriptions.splice(0)) s.dispose();
  }

  private created(): Set<string> {
    return new Set(this.deps.memory.get<string[]>(CREATED_KEY) ?? []);
  }

  private async remember(sessionId: string, keep: boolean): Promise<void> {
    const ids = this.created();
    if (ids.has(sessionId) === keep) return;
    if (keep) ids.add(sessionId);
    else ids.delete(sessionId);
    await this.deps.memory.update(CREATED_KEY, [...ids]);
  }

  private async session(
    profileId: string,
    name: string,
    scopes: readonly string[],
  ): Promise<vscode.AuthenticationSession> {
    const { value, info } = await this.deps.engine.getScopedShortTermToken(profileId, scopes, MIN_VALIDITY_MS);
    return {
      id: sessionIdOf(profileId, scopes),
      accessToken: value,
      account: { id: profileId, label: accountLabelOf({ id: profileId, name }) },
      scopes: scopes.length > 0 ? [...scopes] : info.scopes,
    };
  }

  private snapshot(): Map<string, string> {
    const out = new Map<string, string>();
    for (const p of this.deps.engine.profiles()) {
      if (!signedIn(this.deps.engine, p.id)) continue;
      const mine = this.deps.engine.tokens().filter((t) => t.profileId === p.id);
      out.set(
        p.id,
        mine
          .map((t) => `${t.kind}:${t.fingerprint}:${t.status}`)
          .sort()
          .join(','),
      );
    }
    return out;
  }

  /** Refresh, rotate, revoke, sign-in and sign-out all change what a session holds: tell VS Code and consumers. */
  private onEngineChange(): void {
    const before = this.seen;
    const after = this.snapshot();
    this.seen = after;
    // Events carry no token: consumers call getSession() again for a value.
    const stub = (profileId: string): vscode.AuthenticationSession => ({
      id: sessionIdOf(profileId, []),
      accessToken: '',
      account: {
        id: profileId,
        label: accountLabelOf({
          id: profileId,
          name: this.deps.engine.profiles().find((p) => p.id === profileId)?.name ?? profileId,
        }),
      },
      scopes: [],
    });
    const added = [...after.keys()].filter((id) => !before.has(id)).map(stub);
    const removed = [...before.keys()].filter((id) => !after.has(id)).map(stub);
    const changed = [...after.keys()].filter((id) => before.has(id) && before.get(id) !== after.get(id)).map(stub);
    if (added.length + removed.length + changed.length === 0) return;
    this.changed.fire({ added, removed, changed });
  }
}
