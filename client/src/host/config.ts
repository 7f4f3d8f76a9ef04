// Typed access to the extension's settings. Keys are constants; profiles are merged by id across User and
// Workspace settings (a workspace may add profiles, never change a User one), and each profile remembers where
// its base URL came from, because in Restricted Mode a URL from workspace settings must not be used for network calls.
import * as vscode from 'vscode';
import { validateProfile, type Profile } from '../core/profile';

export const SECTION = 'c2m';
export const Keys = {
  profiles: 'profiles',
  activeProfile: 'activeProfile',
  expiryWarningDays: 'expiryWarningDays',
  logLevel: 'logLevel',
  traceServer: 'trace.server',
  envSyncEnabled: 'envSync.enabled',
  envSyncTargets: 'envSync.targets',
  terminalInjectToken: 'terminal.injectToken',
} as const;

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export type ProfileOrigin = 'user' | 'workspace';

export interface ConfiguredProfile {
  profile: Profile;
  /** Where the profile's entry (and so its base URL) came from. */
  origin: ProfileOrigin;
  /** Validation problems; a profile with problems is shown but never used for network calls. */
  problems: string[];
  /** A workspace entry with this (User) profile's id, ignored: its base URL, for the notice that says so. */
  ignoredWorkspaceBaseUrl?: string;
}

function section(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION);
}

/** Reads raw entries leniently: settings are hand-editable, so anything may be in there. */
function entries(value: unknown): Partial<Profile>[] {
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is Partial<Profile> => typeof v === 'object' && v !== null && !Array.isArray(v));
}

function normalise(raw: Partial<Profile>): Profile {
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
  const profile: Profile = {
    id: String(raw.id ?? ''),
    name: String(raw.name ?? raw.id ?? ''),
    baseUrl: String(raw.baseUrl ?? ''),
    clientId: String(raw.clientId ?? ''),
    mechanism: (raw.mechanism ?? 'client_secret') as Profile['mechanism'],
    scopes: strings(raw.scopes),
  };
  if (typeof raw.ttlDays === 'number') profile.ttlDays = raw.ttlDays;
  if (raw.shortScopes !== undefined) profile.shortScopes = strings(raw.shortScopes);
  return profile;
}

/**
 * User profiles first, then workspace ones. A workspace may add profiles; it never replaces one of the User's: a
 * repository's settings reusing the id (and name) of your profile would otherwise point it at another server under a
 * name you trust, and the next secret or code you enter for it would go there. That entry is ignored and the profile
 * says so. Workspace-folder entries may replace the workspace's own.
 */
export function readProfiles(): ConfiguredProfile[] {
  const inspected = section().inspect<unknown>(Keys.profiles);
  const byId = new Map<string, ConfiguredProfile>();
  const add = (value: unknown, origin: ProfileOrigin): void => {
    for (const raw of entries(value)) {
      const profile = normalise(raw);
      const mine = byId.get(profile.id);
      if (origin === 'workspace' && mine?.origin === 'user') {
        if (profile.baseUrl !== mine.profile.baseUrl) mine.ignoredWorkspaceBaseUrl = profile.baseUrl;
        continue;
      }
      byId.set(profile.id, { profile, origin, problems: validateProfile(raw) });
    }
  };
  add(inspected?.globalValue, 'user');
  add(inspected?.workspaceValue, 'workspace');
  add(inspected?.workspaceFolderValue, 'workspace');
  return [...byId.values()];
}

/** The active profile id: the setting if it names a known profile, else the first profile. */
export function readActiveProfileId(profiles: readonly ConfiguredProfile[]): string | undefined {
  const configured = section().get<string>(Keys.activeProfile, '');
  if (profiles.some((p) => p.profile.id === configured)) return configured;
  return profiles[0]?.profile.id;
}

export function expiryWarningDays(): number {
  const value = section().get<number>(Keys.expiryWarningDays, 7);
  return Number.isFinite(value) ? Math.min(90, Math.max(0, value)) : 7;
}

export function logLevel(): LogLevel {
  const value = section().get<string>(Keys.logLevel, 'info');
  return value === 'error' || value === 'warn' || value === 'debug' ? value : 'info';
}

export function affects(event: vscode.ConfigurationChangeEvent, key: string): boolean {
  return event.affectsConfiguration(`${SECTION}.${key}`);
}

/**
 * Where to write a key: the most specific scope that already sets it (a workspace value would otherwise hide the write),
 * User settings by default.
 */
function targetFor(key: string): vscode.ConfigurationTarget {
  const inspected = section().inspect(key);
  return inspected?.workspaceValue !== undefined
    ? vscode.ConfigurationTarget.Workspace
    : vscode.ConfigurationTarget.Global;
}

function settingsEntry(profile: Profile): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    id: profile.id,
    name: profile.name,
    baseUrl: profile.baseUrl,
    clientId: profile.clientId,
    mechanism: profile.mechanism,
    scopes: profile.scopes,
  };
  if (profile.ttlDays !== undefined) entry.ttlDays = profile.ttlDays;
  if (profile.shortScopes !== undefined) entry.shortScopes = profile.shortScopes;
  return entry;
}

/** Adds or replaces a profile (by id) in the scope it already lives in, User settings for a new one. */
export async function saveProfile(profile: Profile): Promise<void> {
  const existing = readProfiles().find((p) => p.profile.id === profile.id);
  const target =
    existing?.origin === 'workspace' ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  const inspected = section().inspect<unknown>(Keys.profiles);
  const current = entries(
    target === vscode.ConfigurationTarget.Workspace ? inspected?.workspaceValue : inspected?.globalValue,
  );
  const index = current.findIndex((p) => p.id === profile.id);
  const next: unknown[] = [...current];
  if (index >= 0) next[index] = settingsEntry(profile);
  else next.push(settingsEntry(profile));
  await section().update(Keys.profiles, next, target);
}

/** Removes a profile from every scope that defines it. */
export async function deleteProfile(profileId: string): Promise<void> {
  const inspected = section().inspect<unknown>(Keys.profiles);
  const scopes: [unknown, vscode.ConfigurationTarget][] = [
    [inspected?.globalValue, vscode.ConfigurationTarget.Global],
    [inspected?.workspaceValue, vscode.ConfigurationTarget.Workspace],
  ];
  for (const [value, target] of scopes) {
    const list = entries(value);
    if (list.some((p) => p.id === profileId)) {
      await section().update(
        Keys.profiles,
        list.filter((p) => p.id !== profileId),
        target,
      );
    }
  }
  if (section().get<string>(Keys.activeProfile) === profileId) {
    await section().update(Keys.activeProfile, undefined, targetFor(Keys.activeProfile));
  }
}

export async function setActiveProfile(profileId: string): Promise<void> {
  await section().update(Keys.activeProfile, profileId, targetFor(Keys.activeProfile));
}

/**
 * Whether a profile's base URL may be used for network calls. In Restricted Mode a URL from workspace settings is
 * not: a cloned repository could otherwise send the user's credentials to a server of its choosing.
 */
export function mayUseNetwork(entry: ConfiguredProfile | undefined, trusted: boolean): boolean {
  if (!entry || entry.problems.length > 0) return false;
  return trusted || entry.origin === 'user';
}

/** Why a profile may not be used for network calls, said first (a notification without buttons shows one line). */
export function whyNoNetwork(entry: ConfiguredProfile | undefined, trusted: boolean): string | undefined {
  if (!entry) return vscode.l10n.t('The profile no longer exists.');
  // The problems come from the core's validators, in English.
  if (entry.problems.length > 0)
    return vscode.l10n.t('Profile "{0}" has problems: {1}', entry.profile.name, entry.problems.join(' '));
  if (!trusted && entry.origin === 'workspace') {
    return vscode.l10n.t(
      'Profile "{0}" is not used in Restricted Mode: its base URL comes from this workspace\'s settings. Trust the workspace, or add the profile to your User settings.',
      entry.profile.name,
    );
  }
  return undefined;
}

/** A short line for the tree when a profile cannot be used as configured; undefined when it can. */
export function profileNotice(entry: ConfiguredProfile, trusted: boolean): string | undefined {
  if (entry.problems.length > 0) return vscode.l10n.t('Settings problem: {0}', entry.problems.join(' '));
  if (!trusted && entry.origin === 'workspace')
    return vscode.l10n.t('Restricted Mode: base URL from workspace settings, not used');
  if (entry.ignoredWorkspaceBaseUrl !== undefined) {
    return vscode.l10n.t(
      'Workspace settings define this profile id too (base URL {0}): ignored, a workspace cannot change your profiles',
      entry.ignoredWorkspaceBaseUrl,
    );
  }
  return undefined;
}

/** One file the .env sync keeps current: `file` relative to the first workspace folder; no profile = the active one. */
export interface EnvSyncTarget {
  file: string;
  variable: string;
  profile?: string;
  /**
   * 'workspace' when the workspace's settings chose any of it (the list, the switch that turned it on, or the active
   * profile it follows): a repository's .vscode/settings.json then needs the user's confirmation first.
   */
  origin?: ProfileOrigin;
}

export const DEFAULT_ENV_TARGET: EnvSyncTarget = { file: '.env', variable: 'C2M_ACCESS_TOKEN' };

export function envSyncEnabled(): boolean {
  return section().get<boolean>(Keys.envSyncEnabled, false) === true;
}

/** The configured targets, leniently read (hand-edited settings); the default when none is valid. */
export function envSyncTargets(): EnvSyncTarget[] {
  const fromWorkspace = (key: string): boolean => {
    const inspected = section().inspect<unknown>(key);
    return inspected?.workspaceValue !== undefined || inspected?.workspaceFolderValue !== undefined;
  };
  const switchedOnByWorkspace =
    fromWorkspace(Keys.envSyncEnabled) && section().inspect<unknown>(Keys.envSyncEnabled)?.globalValue !== true;
  const listFromWorkspace = fromWorkspace(Keys.envSyncTargets) || switchedOnByWorkspace;
  const activeFromWorkspace = fromWorkspace(Keys.activeProfile);
  const withOrigin = (t: EnvSyncTarget): EnvSyncTarget => ({
    ...t,
    origin: listFromWorkspace || (t.profile === undefined && activeFromWorkspace) ? 'workspace' : 'user',
  });
  return readEnvSyncTargets().map(withOrigin);
}

function readEnvSyncTargets(): EnvSyncTarget[] {
  const raw = section().get<unknown>(Keys.envSyncTargets);
  const list = Array.isArray(raw) ? raw : [];
  const targets: EnvSyncTarget[] = [];
  for (const item of list) {
    if (typeof item !== 'object' || item === null) continue;
    const { file, variable, profile } = item as Record<string, unknown>;
    const target: EnvSyncTarget = {
      file: typeof file === 'string' && file.trim() ? file.trim() : DEFAULT_ENV_TARGET.file,
      variable: typeof variable === 'string' && variable.trim() ? variable.trim() : DEFAULT_ENV_TARGET.variable,
    };
    if (typeof profile === 'string' && profile.trim()) target.profile = profile.trim();
    targets.push(target);
  }
  return targets.length > 0 ? targets : [{ ...DEFAULT_ENV_TARGET }];
}

/**
 * Whether new terminals get the token: the user's own setting only. A repository's settings could otherwise hand the
 * token to every script its tasks and `npm test` run; the setting is application-scoped, and a workspace value that
 * an older VS Code still reported is ignored here too.
 */
export function terminalInjectToken(): boolean {
  return section().inspect<boolean>(Keys.terminalInjectToken)?.globalValue === true;
}
