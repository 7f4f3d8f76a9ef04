// Everything the command handlers use, built once in activate(). `Engine` lists exactly the token-engine
// operations the editor side calls, so the handlers depend on that surface and not on the engine's internals.
import type { RevokeCapability } from './core/lifecycleScopes';
import type { SecretPresence, TokenFailure } from './core/engineTypes';
import type { Activity, OperationControl } from './core/operation';
import type { Profile } from './core/profile';
import type { SecretKind } from './core/secretRecords';
import type { Disposable, TokenInfo, TokenKind, TokenService } from './core/tokenService';
import type { Ctx } from './host/context';
import type { FeatureServices } from './commands/featureCommands';
import type { Asker } from './ui/inputs';
import type { Log } from './host/log';
import type { Notifier } from './ui/notifications';
import type { ProgressRunner } from './ui/progress';
import type { SandboxLauncher } from './integrations/sandboxLauncher';
import type { TokenStatusBar } from './ui/statusBar';
import type { TokensTree } from './ui/tree';
import type { ViewState } from './ui/viewState';

export interface Engine extends TokenService, Disposable {
  setProfiles(profiles: Profile[], activeProfileId?: string): void;
  /** `control` (here and below): the progress notification's cancel and progress (operation.ts). */
  issueLongTermToken(profileId: string, control?: OperationControl): Promise<TokenInfo>;
  rotateLongTermToken(profileId: string, control?: OperationControl): Promise<TokenInfo>;
  refreshShortTermToken(profileId: string, control?: OperationControl): Promise<TokenInfo>;
  revoke(profileId: string, kind: TokenKind, control?: OperationControl): Promise<void>;
  signOut(profileId: string, control?: OperationControl): Promise<void>;
  activity(profileId: string): Activity | undefined;
  /** Failures, as they happen: background ones (a rotated token's revoke) and those of the command that asked. */
  onDidFail(listener: (failure: TokenFailure) => void): Disposable;
  /** Forgets a removed profile's tokens and secrets on this machine. */
  forgetProfile(profileId: string): Promise<void>;
  setClientSecret(profileId: string, secret: string): Promise<void>;
  setPrivateKey(profileId: string, pem: string): Promise<void>;
  /** Whether the product can revoke this profile's tokens at the server (tokens:revoke). */
  revokeCapability(profileId: string): RevokeCapability;
  /** Binds the records of `previousBaseUrl` (same origin, another path) to the profile's base URL, once the user agreed. */
  rebind(profileId: string, previousBaseUrl: string): Promise<number>;
  /** Whether a client secret or private key is stored, and for the profile's current base URL ('set') or another. */
  secretPresence(profileId: string, kind: SecretKind): Promise<SecretPresence>;
  /** A short-term token with exactly these scopes (narrowed when the long-term token allows it). */
  getScopedShortTermToken(
    profileId: string | undefined,
    scopes: readonly string[],
    minValidityMs?: number,
  ): Promise<{ value: string; info: TokenInfo }>;
}

export interface Services extends FeatureServices {
  ctx: Ctx;
  engine: Engine;
  state: ViewState;
  tree: TokensTree;
  status: TokenStatusBar;
  log: Log;
  notifier: Notifier;
  asker: Asker;
  /** Cancellable progress notifications for the network operations commands start. */
  progress: ProgressRunner;
  sandbox: SandboxLauncher;
  /** Pushes the current settings (profiles, active profile) to the engine and the views, without waiting for events. */
  syncProfiles(): void;
}
