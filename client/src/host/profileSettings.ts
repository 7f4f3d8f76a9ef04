// The configured profiles, read from settings in one place for the engine, the views and the commands: read once,
// kept until the settings (c2m.profiles, c2m.activeProfile) or the workspace's trust change, or until the extension
// says it wrote them (sync(), which does not wait for VS Code's change event). Listeners hear every re-read, in the
// order they subscribed: the engine host first, so the views never show profiles the engine has not been given.
import * as vscode from 'vscode';
import { affects, Keys, readActiveProfileId, readProfiles, type ConfiguredProfile } from './config';

export class ProfileSettings implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** The profiles or the active profile may have changed: read them again. */
  readonly onDidChange = this.changed.event;
  private cached: ConfiguredProfile[] | undefined;
  private readonly subscriptions: vscode.Disposable[] = [this.changed];

  constructor() {
    vscode.workspace.onDidChangeConfiguration(
      (e) => {
        if (affects(e, Keys.profiles) || affects(e, Keys.activeProfile)) this.sync();
      },
      this,
      this.subscriptions,
    );
    // Workspace settings' profiles are read only in a trusted workspace: granting trust changes the list.
    vscode.workspace.onDidGrantWorkspaceTrust(() => this.sync(), this, this.subscriptions);
  }

  /** User profiles first, then workspace ones (replacing a user profile of the same id). */
  profiles(): ConfiguredProfile[] {
    this.cached ??= readProfiles();
    return this.cached;
  }

  profile(profileId: string | undefined): ConfiguredProfile | undefined {
    return profileId === undefined ? undefined : this.profiles().find((p) => p.profile.id === profileId);
  }

  /** The active profile id: the setting if it names a known profile, else the first profile. */
  activeId(): string | undefined {
    return readActiveProfileId(this.profiles());
  }

  /** Reads the settings again now and tells the listeners (after this extension wrote them, or to be sure). */
  sync(): void {
    this.cached = undefined;
    this.changed.fire();
  }

  dispose(): void {
    for (const s of this.subscriptions.splice(0)) s.dispose();
  }
}
