// The client commands the server's completions, code lenses and quick fixes point at. They run here because they
// need token values, which never cross the LSP connection: fetch a fresh short-term token (the TokenService
// refreshes first when it is about to expire), then edit the document. In Restricted Mode nothing is inserted.
import * as vscode from 'vscode';
import type { TokenService } from '../core/tokenService';
import type { EnvWriteResult } from '../vscode/envWriter';
import { errorText } from '../vscode/log';
import {
  ClientCommands,
  releaseScannedText,
  TOKEN_PLACEHOLDER,
  TokenScanner,
  tokenFingerprint,
  type StaleToken,
} from '../../../server/src/protocol';
import { trackSpan, type Span } from './placeholder';

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

async function replace(doc: vscode.TextDocument, edits: { range: vscode.Range; text: string }[]): Promise<boolean> {
  const edit = new vscode.WorkspaceEdit();
  for (const e of edits) edit.replace(doc.uri, e.range, e.text);
  return vscode.workspace.applyEdit(edit);
}

const RESTRICTED = 'C2M: tokens are not inserted into files in Restricted Mode. Trust this workspace to use it.';
const PLACEHOLDER_GONE =
  'C2M: no token was inserted: the placeholder the completion put in was edited or removed before the token arrived. ' +
  'Accept the completion again.';

/** The placeholder's span in `doc`, kept current through edits; replace() writes only while it still holds the placeholder. */
function followSpan(doc: vscode.TextDocument, initial: Span): { replace(text: string): Promise<boolean>; dispose(): void } {
  let span: Span | undefined = initial;
  const subs = [
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === doc && span) span = trackSpan(span, e.contentChanges);
    }),
    vscode.workspace.onDidCloseTextDocument((closed) => {
      if (closed === doc) span = undefined;
    }),
  ];
  return {
    replace: async (text) => {
      if (!span) return false;
      const range = new vscode.Range(doc.positionAt(span.start), doc.positionAt(span.end));
      if (doc.getText(range) !== TOKEN_PLACEHOLDER) return false;
      // The edit carries the document's version: VS Code refuses it if the user typed after this check.
      return replace(doc, [{ range, text }]);
    },
    dispose: () => subs.forEach((s) => s.dispose()),
  };
}

/** Whether `doc` holds a token whose own value (not a stand-in naming it) has this fingerprint. */
function holdsToken(doc: vscode.TextDocument, fingerprint: string): boolean {
  const text = doc.getText();
  const scanner = new TokenScanner(text);
  try {
    for (let t = scanner.next(0, text.length); t; t = scanner.next(t.end, text.length)) {
      if (tokenFingerprint(text.slice(t.start, t.end)) === fingerprint) return true;
    }
    return false;
  } finally {
    releaseScannedText();
  }
}

export function createEditCommands(deps: EditDeps): Record<string, (args: unknown) => Promise<void>> {
  const { tokens, log } = deps;

  // Notices here have no buttons: commands never wait for the user to close them.
  function warn(message: string): void {
    log(message);
    void vscode.window.showWarningMessage(message);
  }

  async function fail(what: string, error: unknown): Promise<void> {
    const message = `C2M: ${what} failed: ${errorText(error)}`;
    log(message);
    void vscode.window.showErrorMessage(message);
  }

  /**
   * Fills the placeholder the completion was accepted into, and nothing else: the offered range must hold it when the
   * command runs, and it is followed through the edits made while the token is fetched. A placeholder typed or
   * pasted anywhere else (a request to another host, say) never receives a token.
   */
  async function insertToken(args: ClientCommands.InsertTokenArgs): Promise<void> {
    const doc = await documentOf(args.uri);
    const offered = toRange(args.range);
    if (!doc.validateRange(offered).isEqual(offered) || doc.getText(offered) !== TOKEN_PLACEHOLDER) return warn(PLACEHOLDER_GONE);
    const tracked = followSpan(doc, { start: doc.offsetAt(offered.start), end: doc.offsetAt(offered.end) });
    try {
      if (!deps.isTrusted()) {
        await tracked.replace('');
        void vscode.window.showWarningMessage(RESTRICTED);
        return;
      }
      let value: string;
      try {
        ({ value } = await tokens.getShortTermToken(args.profileId || undefined, MIN_VALIDITY_MS));
      } catch (error) {
        await tracked.replace('');
        return await fail('inserting a token', error);
      }
      if (!(await tracked.replace(value))) return warn(PLACEHOLDER_GONE);
      log(`inserted a short-term token of profile ${args.profileId}`);
    } finally {
      tracked.dispose();
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

  /** Revokes the token the quick fix was offered on, only while its document holds that very token. */
  async function revoke(args: ClientCommands.RevokeTokenArgs & { uri?: string }): Promise<void> {
    try {
      if (!args.uri || !holdsToken(await documentOf(args.uri), args.fingerprint)) {
        return void vscode.window.showInformationMessage('C2M: the token is no longer in the file; nothing was revoked.');
      }
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
