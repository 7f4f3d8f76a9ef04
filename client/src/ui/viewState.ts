// What the tree and the status bar show, gathered in one place: configured profiles (with where they came from),
// the active profile, and the newest token of each kind per profile. One change event for both views.
import type { ExpiryRules } from '@shared/judgement';
import * as vscode from 'vscode';
import type { Activity } from '../core/operation';
import type { TokenInfo, TokenKind, TokenService } from '../core/tokenService';
import { REFRESH_FRACTION } from '../core/refreshPolicy';
import { affects, expiryWarningDays, Keys, type ConfiguredProfile } from '../host/config';
import type { ProfileSettings } from '../host/profileSettings';

const DAY = 24 * 60 * 60 * 1000;

export class ViewState implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Profiles whose last operation failed, with the time it did (cleared by the next success). */
  private readonly failing = new Map<string, number>();

  private known = false;
  /** Resolves once the stored tokens of the configured profiles have been read (never rejects). */
  readonly whenReady: Promise<void>;

  /**
   * `ready`: resolves once the engine has read what is stored. Until then the views show that they are loading, not
   * "no profile" or "not issued", which they do not know yet.
   */
  constructor(
    private readonly tokens: TokenService,
    private readonly settings: ProfileSettings,
    ready: Promise<unknown> = Promise.resolve(),
  ) {
    this.whenReady = ready.then(
      () => this.markReady(),
      () => this.markReady(),
    );
    this.subscriptions.push(this.changed);
    const sub = tokens.onDidChange(() => this.changed.fire());
    this.subscriptions.push({ dispose: () => sub.dispose() });
    const busy = tokens.onDidChangeActivity?.(() => this.changed.fire());
    if (busy) this.subscriptions.push({ dispose: () => busy.dispose() });
    vscode.workspace.onDidChangeConfiguration(
      (e) => {
        if (affects(e, Keys.expiryWarningDays)) this.changed.fire();
      },
      this,
      this.subscriptions,
    );
    settings.onDidChange(() => this.changed.fire(), this, this.subscriptions);
  }

  /** Whether the stored tokens have been read: before, what the views would say of them is not known. */
  isReady(): boolean {
    return this.known;
  }

  private markReady(): void {
    this.known = true;
    this.changed.fire();
  }

  profiles(): ConfiguredProfile[] {
    return this.settings.profiles();
  }

  profile(profileId: string | undefined): ConfiguredProfile | undefined {
    return profileId === undefined ? undefined : this.profiles().find((p) => p.profile.id === profileId);
  }

  activeId(): string | undefined {
    return this.settings.activeId();
  }

  /** The newest token of this kind for the profile, revoked ones included (the tree shows that they were revoked). */
  token(profileId: string, kind: TokenKind): TokenInfo | undefined {
    let newest: TokenInfo | undefined;
    for (const t of this.tokens.tokens()) {
      if (t.profileId === profileId && t.kind === kind && (!newest || t.issuedAt > newest.issuedAt)) newest = t;
    }
    return newest;
  }

  /** What the profile is sending to the server right now (issuing, refreshing, revoking), if anything. */
  activity(profileId: string): Activity | undefined {
    return this.tokens.activity?.(profileId);
  }

  longWarnMs(): number {
    return expiryWarningDays() * DAY;
  }

  /** The engine refreshes short-term tokens at this fraction of their lifetime; past it they show as expiring. */
  refreshAtFraction(): number {
    return REFRESH_FRACTION;
  }

  /** When a token is expiring: what the tree, status bar, Leak Scan and (sent along) the language server judge by. */
  expiryRules(): ExpiryRules {
    return { refreshFraction: this.refreshAtFraction(), longWarningMs: this.longWarnMs() };
  }

  markFailing(profileId: string, failing: boolean): void {
    const had = this.failing.has(profileId);
    if (failing) this.failing.set(profileId, Date.now());
    else this.failing.delete(profileId);
    if (had !== failing) this.changed.fire();
  }

  isFailing(profileId: string): boolean {
    return this.failing.has(profileId);
  }

  /**
   * Re-reads settings now, for the engine too (a command finds a profile just written to settings, and tests read
   * back what they wrote, without waiting for the change event).
   */
  invalidate(): void {
    this.settings.sync();
  }

  dispose(): void {
    for (const d of this.subscriptions.splice(0)) d.dispose();
  }
}
