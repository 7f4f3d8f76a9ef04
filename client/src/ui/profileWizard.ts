// The multi-step "Add Profile" / "Edit Profile" flow: every field validated as the user types with the core's
// validators, a Back button between steps, and the mechanism's secret asked last (it goes to secret storage only).
import * as vscode from 'vscode';
import {
  MECHANISMS,
  parseScopes,
  validateBaseUrl,
  validateClientId,
  validateName,
  validateScopes,
  validateTtlDays,
  type Mechanism,
  type Profile,
} from '../core/profile';
import { defaultLongTermScopes, REVOKE_SCOPE, STEP_UP_SCOPE } from '../core/lifecycleScopes';
import { BACK, type Answer, type Asker, type InputStep } from './inputs';

/** Read when shown (getters), so they come in the editor's language. */
export const MECHANISM_LABELS: Record<Mechanism, { readonly label: string; readonly detail: string }> = {
  client_secret: {
    get label() {
      return vscode.l10n.t('Client secret');
    },
    get detail() {
      return vscode.l10n.t('client_credentials with a client secret, kept in secret storage');
    },
  },
  otp: {
    get label() {
      return vscode.l10n.t('One-time code (OTP)');
    },
    get detail() {
      return vscode.l10n.t('client_credentials with a one-time code, asked for at each issue');
    },
  },
  assertion: {
    get label() {
      return vscode.l10n.t('Signed assertion');
    },
    get detail() {
      return vscode.l10n.t('a JWT signed with your private key (PEM), kept in secret storage');
    },
  },
  short_term: {
    get label() {
      return vscode.l10n.t('Short-term step-up');
    },
    get detail() {
      return vscode.l10n.t('a current short-term token with tokens:write issues the long-term one');
    },
  },
};

/** A readable, unique id from a name: "My Prod" -> "my-prod", "my-prod-2" if taken. */
export function profileIdFor(name: string, taken: ReadonlySet<string>): string {
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9_.-]+/g, '-')
      .replace(/^[-_.]+|[-_.]+$/g, '')
      .slice(0, 48) || 'profile';
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

function validateOptionalTtl(text: string): string | undefined {
  if (!text.trim()) return undefined;
  const days = Number(text);
  return Number.isNaN(days)
    ? vscode.l10n.t('Lifetime in days, e.g. 30 (or empty for the server default).')
    : validateTtlDays(days);
}

const TOTAL = 7;

/** Step 5 says why the lifecycle scopes are there, so the user does not delete them by mistake. */
function scopesPrompt(mechanism: Mechanism): string {
  return mechanism === 'short_term'
    ? vscode.l10n.t(
        'Scopes of the long-term token (space separated). Keep {0}: Rotate and Sign Out need it to revoke old tokens at the server (without it they stay valid until they expire), and {1} lets step-up issue the next long-term token.',
        REVOKE_SCOPE,
        STEP_UP_SCOPE,
      )
    : vscode.l10n.t(
        'Scopes of the long-term token (space separated). Keep {0}: Rotate and Sign Out need it to revoke old tokens at the server (without it they stay valid until they expire).',
        REVOKE_SCOPE,
      );
}

/**
 * Asks for a profile's fields, starting from `initial` when editing. Resolves undefined when the user cancels.
 * The id of an edited profile never changes (its secrets are stored under it).
 */
export async function askProfile(
  asker: Asker,
  initial: Profile | undefined,
  takenIds: ReadonlySet<string>,
): Promise<Profile | undefined> {
  const title = initial ? vscode.l10n.t('Edit C2M profile "{0}"', initial.name) : vscode.l10n.t('Add C2M profile');
  const draft: Partial<Profile> & { ttlText?: string } = initial
    ? { ...initial, ttlText: initial.ttlDays !== undefined ? String(initial.ttlDays) : '' }
    : { mechanism: 'client_secret', scopes: [], ttlText: '' };
  /** A text step; its box is filled from the draft when the step runs (Back shows what was answered), `keep` stores the answer. */
  const text =
    (step: number, box: () => Omit<InputStep, 'title' | 'step' | 'totalSteps'>, keep: (answer: string) => void) =>
    async (): Promise<Answer<unknown>> => {
      const a = await asker.input({ title, step, totalSteps: TOTAL, ...box() });
      if (typeof a === 'string') keep(a);
      return a;
    };
  const steps: (() => Promise<Answer<unknown>>)[] = [
    text(
      1,
      () => ({
        prompt: vscode.l10n.t('Profile name'),
        value: draft.name ?? '',
        placeholder: vscode.l10n.t('e.g. Production'),
        validate: validateName,
      }),
      (a) => (draft.name = a.trim()),
    ),
    text(
      2,
      () => ({
        prompt: vscode.l10n.t('API base URL (https://, or http:// on loopback for a local sandbox)'),
        value: draft.baseUrl ?? '',
        placeholder: 'https://api.example.com/v1',
        validate: validateBaseUrl,
      }),
      (a) => (draft.baseUrl = a.trim()),
    ),
    text(
      3,
      () => ({
        prompt: vscode.l10n.t('Client id'),
        value: draft.clientId ?? '',
        placeholder: 'c2m_abc123',
        validate: validateClientId,
      }),
      (a) => (draft.clientId = a.trim()),
    ),
    async () => {
      const a = await asker.pick<Mechanism>({
        title,
        step: 4,
        totalSteps: TOTAL,
        placeholder: vscode.l10n.t('How is the long-term token obtained?'),
        items: MECHANISMS.map((m) => ({
          label: MECHANISM_LABELS[m].label,
          detail: MECHANISM_LABELS[m].detail,
          value: m,
        })),
        ...(draft.mechanism ? { active: draft.mechanism } : {}),
      });
      if (typeof a === 'string') draft.mechanism = a;
      return a;
    },
    text(
      5,
      () => ({
        prompt: scopesPrompt(draft.mechanism ?? 'client_secret'),
        // A new profile starts from scopes that let Rotate and Sign Out revoke what they replace.
        value: (draft.scopes?.length ? draft.scopes : defaultLongTermScopes(draft.mechanism ?? 'client_secret')).join(
          ' ',
        ),
        placeholder: defaultLongTermScopes(draft.mechanism ?? 'client_secret').join(' '),
        validate: (t) => validateScopes(parseScopes(t)),
      }),
      (a) => (draft.scopes = parseScopes(a)),
    ),
    text(
      6,
      () => ({
        prompt: vscode.l10n.t('Lifetime of the long-term token in days (empty: server default, 30)'),
        value: draft.ttlText ?? '',
        placeholder: '30',
        validate: validateOptionalTtl,
      }),
      (a) => (draft.ttlText = a.trim()),
    ),
    text(
      7,
      () => ({
        prompt: vscode.l10n.t('Narrower scopes for short-term tokens (empty: the long-term scopes)'),
        value: (draft.shortScopes ?? []).join(' '),
        placeholder: 'jobs:submit',
        validate: (t) => validateScopes(parseScopes(t), false),
      }),
      (a) => {
        const scopes = parseScopes(a);
        if (scopes.length) draft.shortScopes = scopes;
        else delete draft.shortScopes;
      },
    ),
  ];
  for (let i = 0; i < steps.length;) {
    const answer = await steps[i]!();
    if (answer === undefined) return undefined;
    i = answer === BACK ? Math.max(0, i - 1) : i + 1;
  }
  const profile: Profile = {
    id: initial?.id ?? profileIdFor(draft.name ?? '', takenIds),
    name: draft.name ?? '',
    baseUrl: draft.baseUrl ?? '',
    clientId: draft.clientId ?? '',
    mechanism: draft.mechanism ?? 'client_secret',
    scopes: draft.scopes ?? [],
  };
  if (draft.ttlText) profile.ttlDays = Number(draft.ttlText);
  if (draft.shortScopes) profile.shortScopes = draft.shortScopes;
  return profile;
}

export async function askClientSecret(asker: Asker, profile: Profile): Promise<string | undefined> {
  const a = await asker.input({
    title: vscode.l10n.t('Client secret for "{0}"', profile.name),
    prompt: vscode.l10n.t(
      "Client secret of {0} (stored in the editor's secret storage, never in settings)",
      profile.clientId,
    ),
    password: true,
    validate: (v) =>
      v.length === 0
        ? vscode.l10n.t('The client secret is required.')
        : /[\r\n]/.test(v)
          ? vscode.l10n.t('One line only.')
          : undefined,
  });
  return typeof a === 'string' ? a : undefined;
}

/**
 * An unencrypted private key block: PKCS#8 (PRIVATE KEY), PKCS#1 (RSA PRIVATE KEY) or SEC1 (EC PRIVATE KEY); the
 * engine stores every one of them as PKCS#8. Other blocks around it (openssl's EC PARAMETERS) are allowed.
 */
const KEY_BLOCK = /-----BEGIN ((?:RSA |EC )?PRIVATE KEY)-----([\s\S]*?)-----END \1-----/;

export function validatePrivateKeyPem(text: string): string | undefined {
  if (text.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----') || /Proc-Type:\s*4,ENCRYPTED/.test(text)) {
    return vscode.l10n.t(
      'The key is encrypted: store an unencrypted copy (openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.p8.pem).',
    );
  }
  const block = KEY_BLOCK.exec(text);
  return block && /^\s*\r?\n[A-Za-z0-9+/=\s]+\r?\n$/.test(block[2]!)
    ? undefined
    : vscode.l10n.t(
        'Expected a PEM private key: PKCS#8 (-----BEGIN PRIVATE KEY-----), PKCS#1 (-----BEGIN RSA PRIVATE KEY-----) or SEC1 (-----BEGIN EC PRIVATE KEY-----).',
      );
}

/** The PEM from a file the user picks, or pasted into a masked box. */
export async function askPrivateKey(asker: Asker, profile: Profile): Promise<string | undefined> {
  const how = await asker.pick<'file' | 'paste'>({
    title: vscode.l10n.t('Private key for "{0}"', profile.name),
    placeholder: vscode.l10n.t('Where is the private key (PEM: PKCS#8, PKCS#1 or SEC1) that signs the assertions?'),
    items: [
      {
        label: vscode.l10n.t('Choose a PEM file…'),
        detail: vscode.l10n.t('read once and kept in secret storage; the file is not referenced again'),
        value: 'file',
      },
      { label: vscode.l10n.t('Paste the PEM'), detail: vscode.l10n.t('into a masked input box'), value: 'paste' },
    ],
  });
  if (how === 'file') {
    const uri = await asker.file({
      title: vscode.l10n.t('Private key (PEM: PKCS#8, PKCS#1 or SEC1)'),
      filters: { [vscode.l10n.t('PEM private key')]: ['pem', 'key', 'p8'], [vscode.l10n.t('All files')]: ['*'] },
    });
    if (!uri) return undefined;
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > 64 * 1024) throw new Error(vscode.l10n.t('That file is too large to be a private key.'));
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    const problem = validatePrivateKeyPem(text);
    if (problem) throw new Error(problem);
    return text.trim() + '\n';
  }
  if (how !== 'paste') return undefined;
  const a = await asker.input({
    title: vscode.l10n.t('Private key for "{0}"', profile.name),
    prompt: vscode.l10n.t('Paste the PEM private key: PKCS#8, PKCS#1 or SEC1 (stored in secret storage only)'),
    password: true,
    // A pasted PEM arrives as one line when newlines are lost: accept the one-line form too and rebuild it.
    validate: (v) => validatePrivateKeyPem(rebuildPem(v)),
  });
  return typeof a === 'string' ? rebuildPem(a) : undefined;
}

/** Restores the line structure of a PEM pasted into a single-line box. */
export function rebuildPem(text: string): string {
  const m = KEY_BLOCK.exec(text);
  if (!m) return text;
  const label = m[1]!;
  // Header lines (Proc-Type: an encrypted PKCS#1 key) cannot be rebuilt: left as they are, and refused as encrypted.
  if (m[2]!.includes(':')) return text;
  const body = m[2]!.replace(/\s+/g, '');
  const lines = body.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
