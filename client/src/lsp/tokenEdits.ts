// The client commands the server's completions, code lenses and quick fixes point at. They run here because they
// need token values, which never cross the LSP connection: fetch a fresh short-term token (the TokenService
// refreshes first when it is about to expire), then edit the document. In Restricted Mode nothing is inserted.
import * as vscode from 'vscode';
import type { TokenService } from '../core/tokenService';
import type { EnvWriteResult } from '../vscode/envWriter';
import { errorText } from '../vscode/log';
import {
  ClientCommands,
  TOKEN_PLACEHOLDER,
  tokenFingerprint,
  type StaleToken,
} from '../../../server/src/protocol';

/** A token inserted now must stay valid at least this long (the user is about to send a request with it). */
export const MIN_VALIDITY_MS = 60_000;

export interface EditDeps {
  tokens: TokenService;
  log(line: string): void;
  isTrusted(): boolean;
  staleTokens(uri: string): Promise<StaleToken[]>;
  /** The one env writer: moves the literal into the sibling .env through its guards, and says why when it did not. */
  moveToEnv(uri: vscode.Uri, range: vscode.Range): Promise<EnvWriteResult | 'moved_meanwhile'>;
}

type Range = ClientCommands.InsertTokenArgs['range'];

function toRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

async function documentOf(uri: string): Promise<vscode.TextDocument> {
  return vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
}

/** Where the placeholder is now: at the given range, elsewhere on its line, or anywhere (the user may have typed meanwhile). */
function findPlaceholder(doc: vscode.TextDocument, hint: Range): vscode.Range | undefined {
  const at = toRange(hint);
  if (doc.validateRange(at).isEqual(at) && doc.getText(at) === TOKEN_PLACEHOLDER) return at;
  const text = doc.getText();
  const lineStart = hint.start.line < doc.lineCount ? doc.offsetAt(new vscode.Position(hint.start.line, 0)) : 0;
  let offset = text.indexOf(TOKEN_PLACEHOLDER, lineStart);
  if (offset === -1) offset = text.indexOf(TOKEN_PLACEHOLDER);
  if (offset === -1) return undefined;
  return new vscode.Range(doc.positionAt(offset), doc.positionAt(offset + TOKEN_PLACEHOLDER.length));
}

async function replace(doc: vscode.TextDocument, edits: { range: vscode.Range; text: string }[]): Promise<boolean> {
  const edit = new vscode.WorkspaceEdit();
  for (const e of edits) edit.replace(doc.uri, e.range, e.text);
  return vscode.workspace.applyEdit(edit);
}

const RESTRICTED = 'C2M: tokens are not inserted into files in Restricted Mode. Trust this workspace to use it.';

export function createEditCommands(deps: EditDeps): Record<string, (...args: unknown[]) => Promise<void>> {
  const { tokens, log } = deps;

  // Notices here have no buttons: commands never wait for the user to close them.
  async function fail(what: string, error: unknown): Promise<void> {
    const message = `C2M: ${what} failed: ${errorText(error)}`;
    log(message);
    void vscode.window.showErrorMessage(message);
  }

  async function insertToken(args: ClientCommands.InsertTokenArgs): Promise<void> {
    const doc = await documentOf(args.uri);
    const removePlaceholder = async (): Promise<void> => {
      const at = findPlaceholder(doc, args.range);
      if (at) await replace(doc, [{ range: at, text: '' }]);
    };
    if (!deps.isTrusted()) {
      await removePlaceholder();
      void vscode.window.showWarningMessage(RESTRICTED);
      return;
    }
    try {
      const { value } = await tokens.getShortTermToken(args.profileId || undefined, MIN_VALIDITY_MS);
      const at = findPlaceholder(doc, args.range);
      if (!at) return; // the user removed the placeholder meanwhile: nothing to fill
      await replace(doc, [{ range: at, text: args.template.replace('{token}', value) }]);
      log(`inserted a short-term token of profile ${args.profileId}`);
    } catch (error) {
      await removePlaceholder();
      await fail('inserting a token', error);
    }
  }

  /** Profile owning a fingerprint, or undefined for the active profile. */
  function profileOf(fingerprint: string): string | undefined {
    return tokens.tokens().find((t) => t.fingerprint === fingerprint)?.profileId;
  }

  async function replaceTokens(uri: string, targets: StaleToken[]): Promise<number> {
    const doc = await documentOf(uri);
    const fresh = new Map<string, string>();
    const edits: { range: vscode.Range; text: string }[] = [];
    for (const t of targets) {
      const range = toRange(t.range);
      // The range must still hold the token the server saw (the document may have changed since).
      if (tokenFingerprint(doc.getText(range)) !== t.fingerprint) continue;
      const profileId = profileOf(t.fingerprint);
      const key = profileId ?? '';
      let value = fresh.get(key);
      if (value === undefined) {
        value = (await tokens.getShortTermToken(profileId, MIN_VALIDITY_MS)).value;
        fresh.set(key, value);
      }
      edits.push({ range, text: value });
    }
    if (edits.length > 0) await replace(doc, edits);
    return edits.length;
  }

  async function replaceToken(args: ClientCommands.ReplaceTokenArgs): Promise<void> {
    if (!deps.isTrusted()) return void vscode.window.showWarningMessage(RESTRICTED);
    try {
      const n = await replaceTokens(args.uri, [{ range: args.range, fingerprint: args.fingerprint }]);
      if (n === 0) void vscode.window.showInformationMessage('C2M: the token moved or changed; nothing was replaced.');
    } catch (error) {
      await fail('replacing a token', error);
    }
  }

  async function replaceStaleTokens(args: ClientCommands.ReplaceStaleTokensArgs): Promise<void> {
    if (!deps.isTrusted()) return void vscode.window.showWarningMessage(RESTRICTED);
    try {
      const n = await replaceTokens(args.uri, await deps.staleTokens(args.uri));
      log(`replaced ${n} stale token(s)`);
    } catch (error) {
      await fail('replacing stale tokens', error);
    }
  }

  async function moveTokenToEnv(args: ClientCommands.MoveTokenToEnvArgs): Promise<void> {
    if (!deps.isTrusted()) return void vscode.window.showWarningMessage(RESTRICTED);
    try {
      await deps.moveToEnv(vscode.Uri.parse(args.uri), toRange(args.range));
    } catch (error) {
      await fail('moving the token to .env', error);
    }
  }

  async function revoke(args: ClientCommands.RevokeTokenArgs): Promise<void> {
    try {
      await tokens.revokeByFingerprint(args.fingerprint);
      log('revoked a token by fingerprint');
    } catch (error) {
      await fail('revoking the token', error);
    }
  }

  return {
    [ClientCommands.insertToken]: (a) => insertToken(a as ClientCommands.InsertTokenArgs),
    [ClientCommands.replaceToken]: (a) => replaceToken(a as ClientCommands.ReplaceTokenArgs),
    [ClientCommands.replaceStaleTokens]: (a) => replaceStaleTokens(a as ClientCommands.ReplaceStaleTokensArgs),
    [ClientCommands.moveTokenToEnv]: (a) => moveTokenToEnv(a as ClientCommands.MoveTokenToEnvArgs),
    [ClientCommands.revokeTokenByFingerprint]: (a) => revoke(a as ClientCommands.RevokeTokenArgs),
  };
}
