// Client secrets and private keys: asked for only by the mechanism that uses them, stored in secret storage only,
// and followed by the step that comes next (set the missing secret, issue the first long-term token).
import * as vscode from 'vscode';
import type { Profile } from '../core/profile';
import type { ConfiguredProfile } from '../host/config';
import { errorText } from '../host/errorText';
import { runCommand } from '../host/runCommand';
import type { Services } from '../services';
import { askClientSecret, askPrivateKey } from '../ui/profileWizard';
import { activateProfile, liveToken, resolveProfile } from './pickProfile';
import type { Handler } from './types';

/** Asks for the client secret and stores it (secret storage only). Resolves false when the user cancelled. */
export async function storeClientSecret(s: Services, profile: Profile): Promise<boolean> {
  const secret = await askClientSecret(s.asker, profile);
  if (secret === undefined) return false;
  await s.engine.setClientSecret(profile.id, secret);
  s.log.info(`profile ${profile.id}: client secret stored in secret storage`);
  return true;
}

/** Asks for the private key (file or paste) and stores it; a key that cannot be used is reported, not thrown. */
export async function storePrivateKey(s: Services, profile: Profile): Promise<boolean> {
  try {
    const pem = await askPrivateKey(s.asker, profile);
    if (pem === undefined) return false;
    await s.engine.setPrivateKey(profile.id, pem);
  } catch (error) {
    s.notifier.error(`C2M: ${errorText(error)}`);
    return false;
  }
  s.log.info(`profile ${profile.id}: private key stored in secret storage`);
  return true;
}

/** The secret the profile's mechanism needs, if any. */
export async function askSecretFor(s: Services, profile: Profile): Promise<boolean> {
  if (profile.mechanism === 'client_secret') return storeClientSecret(s, profile);
  if (profile.mechanism === 'assertion') return storePrivateKey(s, profile);
  return true;
}

/**
 * After a profile is added or its secret stored: confirm what was stored where, and offer the step that comes next
 * (set the missing secret, issue the first long-term token, make the new profile the active one).
 */
export function offerNextStep(
  s: Services,
  profile: Profile,
  what: 'added' | 'added_without_secret' | 'secret_stored',
  otherActive: boolean,
): void {
  const name = profile.name;
  const secret =
    profile.mechanism === 'client_secret'
      ? 'client secret'
      : profile.mechanism === 'assertion'
        ? 'private key'
        : undefined;
  const issue = {
    title: vscode.l10n.t('Issue Long-Term Token'),
    run: () => runCommand('c2m.issueLongTermToken', profile.id),
  };
  const activate = { title: vscode.l10n.t('Make Active'), run: () => activateProfile(s, profile.id) };
  const hasLive = liveToken(s, profile.id, 'long') !== undefined;
  const choices = [...(hasLive ? [] : [issue]), ...(otherActive ? [activate] : [])];
  if (what === 'added_without_secret' && secret) {
    const command = secret === 'client secret' ? 'c2m.setClientSecret' : 'c2m.setPrivateKey';
    const title = secret === 'client secret' ? vscode.l10n.t('Set Client Secret') : vscode.l10n.t('Set Private Key');
    const saved =
      secret === 'client secret'
        ? vscode.l10n.t('C2M: profile "{0}" saved without its client secret. Set it to issue tokens.', name)
        : vscode.l10n.t('C2M: profile "{0}" saved without its private key. Set it to issue tokens.', name);
    s.notifier.info(saved, { title, run: () => runCommand(command, profile.id) }, ...(otherActive ? [activate] : []));
    return;
  }
  const stored =
    secret === 'client secret'
      ? ` ${vscode.l10n.t("Its client secret is in the editor's secret storage.")}`
      : secret === 'private key'
        ? ` ${vscode.l10n.t("Its private key is in the editor's secret storage.")}`
        : '';
  const next = hasLive
    ? ''
    : profile.mechanism === 'otp'
      ? ` ${vscode.l10n.t('Next: issue a long-term token (you will be asked for a one-time code).')}`
      : ` ${vscode.l10n.t('Next: issue a long-term token.')}`;
  const head =
    what === 'secret_stored'
      ? secret === 'client secret'
        ? vscode.l10n.t('C2M: the client secret of "{0}" is stored in the editor\'s secret storage.', name)
        : secret === 'private key'
          ? vscode.l10n.t('C2M: the private key of "{0}" is stored in the editor\'s secret storage.', name)
          : vscode.l10n.t('C2M: the secret of "{0}" is stored in the editor\'s secret storage.', name)
      : `${otherActive ? vscode.l10n.t('C2M: profile "{0}" added.', name) : vscode.l10n.t('C2M: profile "{0}" added and made active.', name)}${stored}`;
  s.notifier.info(`${head}${next}`, ...choices);
}

/** A secret is asked only for the mechanism that uses it; otherwise the user hears which one the profile needs. */
function usesSecret(s: Services, entry: ConfiguredProfile, mechanism: 'client_secret' | 'assertion'): boolean {
  if (entry.profile.mechanism === mechanism) return true;
  const name = entry.profile.name;
  const what =
    mechanism === 'client_secret'
      ? vscode.l10n.t('C2M: "{0}" does not use a client secret.', name)
      : vscode.l10n.t('C2M: "{0}" does not use a private key.', name);
  const needs =
    entry.profile.mechanism === 'client_secret'
      ? {
          text: vscode.l10n.t('It uses a client secret.'),
          command: 'c2m.setClientSecret' as const,
          title: vscode.l10n.t('Set Client Secret'),
        }
      : entry.profile.mechanism === 'assertion'
        ? {
            text: vscode.l10n.t('It uses a private key.'),
            command: 'c2m.setPrivateKey' as const,
            title: vscode.l10n.t('Set Private Key'),
          }
        : undefined;
  const instead = needs ? ` ${needs.text}` : ` ${vscode.l10n.t('It needs no stored secret.')}`;
  s.notifier.info(
    `${what}${instead}`,
    ...(needs ? [{ title: needs.title, run: () => runCommand(needs.command, entry.profile.id) }] : []),
  );
  return false;
}

export function setClientSecret(s: Services): Handler {
  return async (arg) => {
    const entry = await resolveProfile(s, arg, vscode.l10n.t('Set the client secret of which profile?'));
    if (!entry || !usesSecret(s, entry, 'client_secret')) return undefined;
    if (!(await storeClientSecret(s, entry.profile))) return undefined;
    offerNextStep(s, entry.profile, 'secret_stored', false);
    return true;
  };
}

export function setPrivateKey(s: Services): Handler {
  return async (arg) => {
    const entry = await resolveProfile(s, arg, vscode.l10n.t('Set the private key of which profile?'));
    if (!entry || !usesSecret(s, entry, 'assertion')) return undefined;
    if (!(await storePrivateKey(s, entry.profile))) return undefined;
    offerNextStep(s, entry.profile, 'secret_stored', false);
    return true;
  };
}
