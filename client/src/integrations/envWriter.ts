// The one writer of tokens into env files: the .env sync, the "Move token to .env" quick fix and Leak Scan's
// "Move to .env" all come here, so they share one set of guards:
// - nothing in Restricted Mode; only variable names of A-Z, 0-9 and _;
// - only inside a workspace folder, by the real path (never through a symlink, nor into a linked folder);
// - only into a file git ignores, or one the user allowed once (remembered in globalState by workspace folder and
//   path: a repository cannot plant that, and it holds no value);
// - a file that is not UTF-8, too large, or open with unsaved changes is left untouched, and the user is told;
// - a token of another profile, an unknown one, or an older one of the same profile is replaced only after asking;
// - the write is atomic and checks the file did not change since it was read (core/fileReplace); if it did, the file
//   is read again once, then the user is told.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EnvValueError, isSafeEnvName, readEnvVariable, setEnvVariable } from '../core/envFile';
import {
  FileTooLargeError,
  NotRegularFileError,
  readSnapshot,
  replaceIfUnchanged,
  type FileSnapshot,
  type ReplaceHooks,
} from '../core/fileReplace';
import type { TokenInfo } from '../core/tokenService';
import type { IgnoreStatus } from './gitIgnore';
import { ENV_TOKEN_NAME } from '@shared/protocol/envVariable';
import { tokenFingerprint } from '@shared/tokens/fingerprint';
import type { Asker } from '../ui/inputs';
import { errorText, type Log } from '../host/log';
import type { Notifier } from '../ui/notifications';

export const ALLOWED_FILES_KEY = 'c2m.envWriter.allowedFiles';
/** An env file larger than this is not one the extension should rewrite. */
const MAX_BYTES = 1024 * 1024;

export type EnvWriteResult =
  | 'written'
  | 'unchanged'
  | 'restricted'
  | 'bad_variable'
  | 'outside_workspace'
  | 'symlink'
  | 'not_regular'
  | 'declined'
  | 'not_utf8'
  | 'too_large'
  | 'unrepresentable'
  | 'kept_other'
  | 'unsaved_editor'
  | 'changed_meanwhile'
  | 'failed';

export interface EnvWriteRequest {
  fsPath: string;
  variable: string;
  /** '' empties the variable (then only a token of `profileId` is emptied, never another value). */
  value: string;
  /** Whose token `value` is, and until when: decides whether it may replace another token found there. */
  profileId?: string;
  expiresAt?: number;
  /** Fingerprints the caller knows it wrote for this profile (the sync's own last value). */
  ownFingerprints?: readonly string[];
  /**
   * The user asked for this write just now (a command): the caller tells the user what happened, so problems with the
   * file are not shown here as well.
   */
  explicit?: boolean;
  /** The user acts on this very token (a move): a question answered "no" earlier in this session is asked again. */
  askAgain?: boolean;
}

export interface EnvWriterDeps {
  asker: Asker;
  log: Log;
  notifier: Pick<Notifier, 'warn'>;
  globalState: vscode.Memento;
  /** Does git ignore the file; only 'ignored' lets the writer write without asking. */
  isIgnored(fsPath: string): Promise<IgnoreStatus>;
  isTrusted(): boolean;
  /** Tokens recognised by fingerprint: those held now and those this window saw before. */
  known(): readonly TokenInfo[];
  profileName(profileId: string): string;
  /** Test seam: runs between writing the temporary file and checking the original again. */
  hooks?: ReplaceHooks;
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/**
 * Where a write to `fsPath` would really land: 'symlink' when the file itself is a link (never written through),
 * 'outside' when its real folder is not inside the workspace folder's real path (a linked folder), else 'inside'.
 */
export async function realPlacement(fsPath: string, folderPath: string): Promise<'inside' | 'outside' | 'symlink'> {
  try {
    if ((await fs.lstat(fsPath)).isSymbolicLink()) return 'symlink';
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ENOENT') throw error;
  }
  // The nearest folder that exists: the write creates the missing ones below it.
  let existing = path.dirname(fsPath);
  let missing = path.basename(fsPath);
  let realDir: string | undefined;
  while (realDir === undefined) {
    try {
      realDir = await fs.realpath(existing);
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'ENOENT' || path.dirname(existing) === existing) throw error;
      missing = path.join(path.basename(existing), missing);
      existing = path.dirname(existing);
    }
  }
  return isInside(path.join(realDir, missing), await fs.realpath(folderPath)) ? 'inside' : 'outside';
}

/** Problems with the file itself: the writer tells the user (once per file), whoever asked for the write. */
const SHOWN: ReadonlySet<EnvWriteResult> = new Set<EnvWriteResult>([
  'not_utf8',
  'too_large',
  'unrepresentable',
  'unsaved_editor',
  'changed_meanwhile',
]);

const TOKEN_SHAPED = /^(?:eyJ[\w-]+\.[\w-]+\.[\w-]*|lt_[\w-]{16,})$/;

/** What a variable holds while nobody has set it: a bracketed or templated stand-in, a well-known word, a few letters. */
const PLACEHOLDER =
  /^(?:<[^<>]*>|\{\{[^{}]*\}\}|\$\{[^{}]*\}|change[-_ ]?me|todo|tbd|x+|\*+|\.\.\.|your[-_ ]?(?:c2m[-_ ]?)?token(?:[-_ ]?here)?|placeholder|none|null|undefined|empty)$/i;

/** Whether `value` can be replaced without asking: a placeholder. Anything else may be another secret the user keeps. */
function isPlaceholder(value: string): boolean {
  const v = value.trim();
  return v.length < 8 || PLACEHOLDER.test(v);
}

/** Plain words for an outcome that wrote nothing (for messages); undefined for 'written' and 'unchanged'. */
export function whyNotWritten(result: EnvWriteResult, relative: string, variable: string): string | undefined {
  switch (result) {
    case 'written':
    case 'unchanged':
      return undefined;
    case 'restricted':
      return vscode.l10n.t('tokens are not written into files in Restricted Mode (trust the workspace to allow it)');
    case 'bad_variable':
      return vscode.l10n.t(
        '"{0}" is not a safe variable name (use A-Z, 0-9 and _, not starting with a digit)',
        variable,
      );
    case 'outside_workspace':
      return vscode.l10n.t('{0} is not inside the workspace folder', relative);
    case 'symlink':
      return vscode.l10n.t('{0} is a symbolic link, which is never written through', relative);
    case 'not_regular':
      return vscode.l10n.t('{0} is not a regular file', relative);
    case 'declined':
      return vscode.l10n.t('writing to {0} was not allowed', relative);
    case 'not_utf8':
      return vscode.l10n.t('{0} is not valid UTF-8 text, so it was left untouched', relative);
    case 'too_large':
      return vscode.l10n.t('{0} is larger than {1} KB, so it was left untouched', relative, MAX_BYTES / 1024);
    case 'unrepresentable':
      return vscode.l10n.t(
        '{0} could not be written to {1} without changing how its other lines are read',
        variable,
        relative,
      );
    case 'kept_other':
      return vscode.l10n.t('{0} in {1} holds another value, which was kept', variable, relative);
    case 'unsaved_editor':
      return vscode.l10n.t('{0} has unsaved changes in an editor: save or revert them first', relative);
    case 'changed_meanwhile':
      return vscode.l10n.t('{0} kept changing while it was being written: nothing was written, try again', relative);
    case 'failed':
      return vscode.l10n.t('{0} could not be written (see the C2M log)', relative);
  }
}

export class EnvWriter {
  /** Files the user declined in this session: a background write does not ask again until reload. */
  private readonly declined = new Set<string>();
  /** file + variable + fingerprint of a value the user chose to keep: a background write does not ask again. */
  private readonly kept = new Set<string>();
  /** Problems already shown for a file (a non-UTF-8 file is not reported again on every refresh). */
  private readonly told = new Set<string>();

  constructor(private readonly deps: EnvWriterDeps) {}

  async write(request: EnvWriteRequest): Promise<EnvWriteResult> {
    const { fsPath, variable } = request;
    if (!this.deps.isTrusted()) return 'restricted';
    if (!isSafeEnvName(variable)) return 'bad_variable';
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(fsPath));
    if (!folder || folder.uri.scheme !== 'file' || !isInside(fsPath, folder.uri.fsPath)) return 'outside_workspace';
    const relative = path.relative(folder.uri.fsPath, fsPath);
    let placement: 'inside' | 'outside' | 'symlink';
    try {
      placement = await realPlacement(fsPath, folder.uri.fsPath);
    } catch {
      placement = 'outside'; // the folder cannot be read: nothing is created there
    }
    if (placement === 'symlink') return 'symlink';
    if (placement === 'outside') return 'outside_workspace';
    const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === fsPath);
    if (open?.isDirty) return this.tell(request.explicit, 'unsaved_editor', relative, variable);

    let result: EnvWriteResult = 'failed';
    try {
      // A second round only when the file changed between reading and writing (a save by the user, another tool).
      for (let round = 0; round < 2; round++) {
        const snapshot = await readSnapshot(fsPath, MAX_BYTES);
        const step = await this.prepare(request, folder, relative, snapshot);
        if (typeof step === 'string') return this.tell(request.explicit, step, relative, variable);
        const ownerOnly = request.value !== '';
        if (
          (await replaceIfUnchanged(fsPath, snapshot, step, MAX_BYTES, this.deps.hooks, { ownerOnly })) === 'written'
        ) {
          if (ownerOnly && snapshot.mode !== undefined && (snapshot.mode & 0o077) !== 0) {
            this.deps.log.info(
              `env file: ${relative} was readable by other local users; it holds a token now, so only its owner may read it`,
            );
          }
          return 'written';
        }
        result = 'changed_meanwhile';
      }
    } catch (error) {
      if (error instanceof NotRegularFileError) return error.kind === 'symlink' ? 'symlink' : 'not_regular';
      if (error instanceof FileTooLargeError) return this.tell(request.explicit, 'too_large', relative, variable);
      this.deps.log.warn(`env file: ${relative} not written: ${errorText(error)}`);
      return 'failed';
    }
    return this.tell(request.explicit, result, relative, variable);
  }

  /** The bytes to write, or why nothing is written. */
  private async prepare(
    request: EnvWriteRequest,
    folder: vscode.WorkspaceFolder,
    relative: string,
    snapshot: FileSnapshot,
  ): Promise<Uint8Array | EnvWriteResult> {
    let before: string | undefined;
    if (snapshot.bytes !== undefined) {
      try {
        before = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(snapshot.bytes);
      } catch {
        return 'not_utf8';
      }
    }
    const old = before === undefined ? undefined : readEnvVariable(before, request.variable);
    if (old === request.value || (request.value === '' && (old === undefined || old === ''))) return 'unchanged';
    if (!(await this.mayReplace(request, relative, old))) return 'kept_other';
    let after: string;
    try {
      after = setEnvVariable(before, request.variable, request.value);
    } catch (error) {
      if (error instanceof EnvValueError) return 'unrepresentable';
      throw error;
    }
    if (after === before) return 'unchanged';
    if (!(await this.mayWriteFile(request.fsPath, folder, relative, request.askAgain === true))) return 'declined';
    return Buffer.from(after, 'utf8');
  }

  /**
   * Whether `old` (the value there now) may be replaced: an empty value or a placeholder may; a token of the same
   * profile may by a fresher one (or be emptied); anything else (another profile's token, a value that may be another
   * secret: a GitHub token kept under the chosen name) only when the user says so (never when emptying).
   */
  private async mayReplace(request: EnvWriteRequest, relative: string, old: string | undefined): Promise<boolean> {
    if (old === undefined || old === '') return true;
    const fingerprint = tokenFingerprint(old);
    const theirs = this.deps
      .known()
      .filter((t) => t.fingerprint === fingerprint)
      .at(-1);
    const sameProfile =
      request.profileId !== undefined &&
      (theirs?.profileId === request.profileId || (request.ownFingerprints ?? []).includes(fingerprint));
    if (request.value === '') return sameProfile;
    const tokenShaped = TOKEN_SHAPED.test(old);
    if (!theirs && !tokenShaped && isPlaceholder(old)) return true;
    if (sameProfile && theirs && request.expiresAt !== undefined && request.expiresAt > theirs.expiresAt) return true;
    if (sameProfile && !theirs) return true; // the sync's own earlier value
    const key = `${request.fsPath}\u0000${request.variable}\u0000${fingerprint}`;
    if (this.kept.has(key) && !request.askAgain) return false;
    const when = (ms: number): string => new Date(ms).toLocaleString();
    const state =
      theirs &&
      (theirs.status === 'revoked'
        ? vscode.l10n.t('revoked')
        : theirs.expiresAt <= Date.now()
          ? vscode.l10n.t('expired at {0}', when(theirs.expiresAt))
          : vscode.l10n.t('valid until {0}', when(theirs.expiresAt)));
    const what =
      theirs && state !== undefined
        ? theirs.kind === 'long'
          ? vscode.l10n.t('the long-term token of profile "{0}", {1}', this.deps.profileName(theirs.profileId), state)
          : vscode.l10n.t('the short-term token of profile "{0}", {1}', this.deps.profileName(theirs.profileId), state)
        : tokenShaped
          ? vscode.l10n.t('a token this window does not know')
          : vscode.l10n.t('a value that is not a C2M token (another secret, perhaps)');
    const incoming = request.profileId
      ? request.expiresAt !== undefined
        ? vscode.l10n.t(
            'the token of profile "{0}", valid until {1}',
            this.deps.profileName(request.profileId),
            when(request.expiresAt),
          )
        : vscode.l10n.t('the token of profile "{0}"', this.deps.profileName(request.profileId))
      : vscode.l10n.t('the token being moved (not one this window knows)');
    const replace = vscode.l10n.t('Replace It');
    const answer = await this.deps.asker.confirm(
      vscode.l10n.t('C2M: replace the token in {0} in {1}?', request.variable, relative),
      vscode.l10n.t(
        '{0} holds {1}. Replace it with {2}? The value there now is lost if you do.',
        relative,
        what,
        incoming,
      ),
      replace,
    );
    if (answer === replace) return true;
    this.kept.add(key);
    return false;
  }

  /** Git ignores the file, or the user allowed it once (remembered per workspace folder and path), or allows it now. */
  private async mayWriteFile(
    fsPath: string,
    folder: vscode.WorkspaceFolder,
    relative: string,
    askAgain: boolean,
  ): Promise<boolean> {
    const entry = `${folder.uri.toString()}\u0000${relative}`;
    const allowed = this.deps.globalState.get<string[]>(ALLOWED_FILES_KEY, []);
    if (allowed.includes(entry)) return true;
    const status = await this.deps.isIgnored(fsPath);
    if (status === 'ignored') return true;
    if (this.declined.has(fsPath) && !askAgain) return false;
    const why =
      status === 'not_ignored'
        ? vscode.l10n.t('Git does not ignore {0}, so the token could be committed.', relative)
        : vscode.l10n.t(
            'Git could not tell whether it ignores {0} (no git, not a repository, or git failed), so the token could be committed.',
            relative,
          );
    const allow = vscode.l10n.t('Write to This File');
    const answer = await this.deps.asker.confirm(
      vscode.l10n.t('C2M: keep a token in {0}?', relative),
      vscode.l10n.t(
        '{0} Add it to .gitignore, or allow writing to this file (asked once for this file in this workspace folder).',
        why,
      ),
      allow,
    );
    if (answer !== allow) {
      this.declined.add(fsPath);
      return false;
    }
    await this.deps.globalState.update(ALLOWED_FILES_KEY, [...allowed, entry]);
    return true;
  }

  /** A problem with the file itself is shown once per file and kind; the result is returned as is. */
  private tell(
    explicit: boolean | undefined,
    result: EnvWriteResult,
    relative: string,
    variable: string,
  ): EnvWriteResult {
    const key = `${relative}\u0000${result}`;
    if (!explicit && SHOWN.has(result) && !this.told.has(key)) {
      this.told.add(key);
      this.deps.notifier.warn(vscode.l10n.t('C2M: {0}.', whyNotWritten(result, relative, variable) ?? result));
    }
    this.deps.log.info(`env file: ${variable} in ${relative}: ${result}`);
    return result;
  }

  /**
   * Moves the token literal at `range` of a document into the `.env` next to it (through the same guards) and leaves
   * `{{$dotenv C2M_ACCESS_TOKEN}}` in its place; when it does not, the user is told why. `fingerprint`: the token the
   * caller saw there (else whatever is there).
   */
  async moveToEnv(
    uri: vscode.Uri,
    range: vscode.Range,
    fingerprint?: string,
  ): Promise<EnvWriteResult | 'moved_meanwhile'> {
    const result = await this.moveLiteral(uri, range, fingerprint);
    if (result === 'written' || result === 'unchanged') return result;
    const why =
      result === 'moved_meanwhile'
        ? vscode.l10n.t('the token is no longer where it was found')
        : whyNotWritten(result, '.env', ENV_TOKEN_NAME);
    this.deps.notifier.warn(vscode.l10n.t('C2M: the token was not moved to .env: {0}.', why ?? result));
    return result;
  }

  private async moveLiteral(
    uri: vscode.Uri,
    range: vscode.Range,
    fingerprint?: string,
  ): Promise<EnvWriteResult | 'moved_meanwhile'> {
    if (!this.deps.isTrusted()) return 'restricted';
    const doc = await vscode.workspace.openTextDocument(uri);
    const value = doc.getText(range);
    if (value === '' || (fingerprint !== undefined && tokenFingerprint(value) !== fingerprint))
      return 'moved_meanwhile';
    const info = this.deps
      .known()
      .filter((t) => t.fingerprint === tokenFingerprint(value))
      .at(-1);
    const envPath = path.join(path.dirname(doc.uri.fsPath), '.env');
    const result = await this.write({
      fsPath: envPath,
      variable: ENV_TOKEN_NAME,
      value,
      profileId: info?.profileId,
      expiresAt: info?.expiresAt,
      explicit: true,
      askAgain: true,
    });
    if (result !== 'written' && result !== 'unchanged') return result;
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, range, `{{$dotenv ${ENV_TOKEN_NAME}}}`);
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error(vscode.l10n.t('the editor refused the edit'));
    this.deps.log.info(`moved a token into ${vscode.workspace.asRelativePath(envPath)}`);
    return result;
  }
}
