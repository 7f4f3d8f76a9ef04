// The client commands the server's completions, code lenses and quick fixes point at. They run here because they
// need token values, which never cross the LSP connection: fetch a fresh short-term token (the TokenService
// refreshes first when it is about to expire), then edit the document. In Restricted Mode nothing is inserted.
// Called from an offer (boundCommands.ts), a replace touches only tokens known to be ours, a lens's replace and every
// revoke ask the user first in a modal dialog: no extension can answer one.
import * as vscode from 'vscode';
import type { TokenService } from '../core/tokenService';
import { MIN_VALIDITY_MS } from '../core/refreshPolicy';
import type { EnvWriteResult } from '../integrations/envWriter';
import { ClientCommands, TOKEN_PLACEHOLDER } from '@shared/protocol/clientCommands';
import type { StaleToken } from '@shared/protocol/tokenState';
import { tokenFingerprint } from '@shared/tokens/fingerprint';
import { releaseScannedText, TokenScanner } from '@shared/tokens/grammar';
import type { Handler, Invocation } from './boundCommands';
import { trackSpan, type Span } from './placeholder';
import { knownTokens } from './tokenStateSync';
import { originOf } from '@shared/net/origin';

function originOrUndefined(baseUrl: string): string | undefined {
  try {
    return originOf(baseUrl.trim());
  } catch {
    return undefined;
  }
}

export interface EditDeps {
  tokens: TokenService;
  log(line: string): void;
  isTrusted(): boolean;
  staleTokens(uri: string): Promise<StaleToken[]>;
  /** The one env writer: moves the literal into the sibling .env through its guards, and says why when it did not. */
  moveToEnv(uri: vscode.Uri, range: vscode.Range): Promise<EnvWriteResult | 'moved_meanwhile'>;
  /** A modal question (the extension's asker: tests script its answers); resolves with the choice, undefined for no. */
  confirm(message: string, detail: string, ...choices: string[]): Promise<string | undefined>;
  /** The extension's error-to-user wrapper (ui/guarded.ts): a failure is logged and shown as `failed(reason)`. */
  guarded<T>(work: () => Promise<T>, failed: (reason: string) => string): Promise<T | undefined>;
  /** A token id as the views show it (ui/viewFormat.ts). */
  maskTokenId(tokenId: string): string;
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
function followSpan(
  doc: vscode.TextDocument,
  initial: Span,
): { replace(text: string): Promise<boolean>; dispose(): void } {
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

/** How a document is named in a question: its file name, or the untitled editor's title. */
function nameOf(uri: string): string {
  const parsed = vscode.Uri.parse(uri);
  return parsed.scheme === 'untitled' ? parsed.path : (parsed.path.split('/').pop() ?? parsed.path);
}

export function createEditCommands(deps: EditDeps): Record<string, Handler> {
  const { tokens, log } = deps;

  // Notices here have no buttons: commands never wait for the user to close them.
  function warn(message: string): void {
    log(message);
    void vscode.window.showWarningMessage(message);
  }

  /** What a failure says (logged and shown by deps.guarded). */
  const failed =
    (what: string) =>
    (reason: string): string =>
      `C2M: ${what} failed: ${reason}`;
  const { maskTokenId } = deps;

  /**
   * Fills the placeholder the completion was accepted into, and nothing else: the offered range must hold it when the
   * command runs, and it is followed through the edits made while the token is fetched. A placeholder typed or
   * pasted anywhere else (a request to another host, say) never receives a token.
   */
  async function insertToken(args: ClientCommands.InsertTokenArgs): Promise<void> {
    const doc = await documentOf(args.uri);
    const offered = toRange(args.range);
    if (!doc.validateRange(offered).isEqual(offered) || doc.getText(offered) !== TOKEN_PLACEHOLDER)
      return warn(PLACEHOLDER_GONE);
    const tracked = followSpan(doc, { start: doc.offsetAt(offered.start), end: doc.offsetAt(offered.end) });
    try {
      if (!deps.isTrusted()) {
        await tracked.replace('');
        void vscode.window.showWarningMessage(RESTRICTED);
        return;
      }
      const got = await deps.guarded(async () => {
        try {
          return await tokens.getShortTermToken(args.profileId || undefined, MIN_VALIDITY_MS);
        } catch (error) {
          await tracked.replace('');
          throw error;
        }
      }, failed('inserting a token'));
      if (!got) return;
      const { value } = got;
      if (!(await tracked.replace(value))) return warn(PLACEHOLDER_GONE);
      log(`inserted a short-term token of profile ${args.profileId}`);
    } finally {
      tracked.dispose();
    }
  }

  /**
   * The profile owning a fingerprint (a token this window knows, held or remembered) while that profile still exists;
   * undefined for the active profile.
   */
  function profileOf(fingerprint: string): string | undefined {
    const owner = knownTokens(tokens).find((t) => t.fingerprint === fingerprint)?.profileId;
    return tokens.profiles().some((p) => p.id === owner) ? owner : undefined;
  }

  function profileName(profileId: string | undefined): string {
    const profiles = tokens.profiles();
    const p = profiles.find((x) => x.id === profileId) ?? profiles.find((x) => x.active);
    return p?.name ?? profileId ?? 'the active profile';
  }

  /**
   * `onlyOurs`: only tokens this window knows (issued here, held or remembered) are replaced. An offer's replace is
   * that; the Leak Scan view, whose rows the user clicked, may replace any token it found.
   */
  async function replaceTokens(uri: string, targets: StaleToken[], onlyOurs: boolean): Promise<number> {
    const doc = await documentOf(uri);
    const ours = new Set(knownTokens(tokens).map((t) => t.fingerprint));
    const fresh = new Map<string, string>();
    const edits: { range: vscode.Range; text: string }[] = [];
    for (const t of targets) {
      const range = toRange(t.range);
      // The range must still hold the token the server saw (the document may have changed since).
      if (tokenFingerprint(doc.getText(range)) !== t.fingerprint) continue;
      if (onlyOurs && !ours.has(t.fingerprint)) {
        log('replace: skipped a token this window does not know (not issued here)');
        continue;
      }
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

  /** A lens click proves nothing about who clicked: the user says yes in a modal dialog first. */
  async function confirmedFromLens(
    invocation: Invocation | undefined,
    message: string,
    detail: string,
  ): Promise<boolean> {
    if (invocation?.source !== 'codeLens') return true;
    if ((await deps.confirm(message, detail, 'Replace')) === 'Replace') return true;
    log('replace from a code lens: not confirmed, nothing was replaced');
    return false;
  }

  async function replaceToken(args: ClientCommands.ReplaceTokenArgs, invocation?: Invocation): Promise<void> {
    if (!deps.isTrusted()) return void vscode.window.showWarningMessage(RESTRICTED);
    await deps.guarded(async () => {
      const profile = profileName(profileOf(args.fingerprint));
      const asked = await confirmedFromLens(
        invocation,
        `Replace the token on line ${args.range.start.line + 1} of ${nameOf(args.uri)} with a fresh short-term token of "${profile}"?`,
        'The fresh token is fetched now and written into the file in place of the old one.',
      );
      if (!asked) return;
      const n = await replaceTokens(
        args.uri,
        [{ range: args.range, fingerprint: args.fingerprint }],
        invocation !== undefined,
      );
      if (n === 0)
        void vscode.window.showInformationMessage(
          vscode.l10n.t('C2M: the token moved or changed; nothing was replaced.'),
        );
    }, failed('replacing a token'));
  }

  async function replaceStaleTokens(
    args: ClientCommands.ReplaceStaleTokensArgs,
    invocation?: Invocation,
  ): Promise<void> {
    if (!deps.isTrusted()) return void vscode.window.showWarningMessage(RESTRICTED);
    await deps.guarded(async () => {
      const stale = await deps.staleTokens(args.uri);
      const asked = await confirmedFromLens(
        invocation,
        `Replace ${stale.length} stale token(s) in ${nameOf(args.uri)} with a fresh short-term token?`,
        'Fresh tokens are fetched now (one per profile) and written into the file in place of the expired, expiring, revoked and long-term ones.',
      );
      if (!asked) return;
      const n = await replaceTokens(args.uri, stale, true);
      log(`replaced ${n} stale token(s)`);
    }, failed('replacing stale tokens'));
  }

  async function moveTokenToEnv(args: ClientCommands.MoveTokenToEnvArgs): Promise<void> {
    if (!deps.isTrusted()) return void vscode.window.showWarningMessage(RESTRICTED);
    await deps.guarded(async () => {
      await deps.moveToEnv(vscode.Uri.parse(args.uri), toRange(args.range));
    }, failed('moving the token to .env'));
  }

  /**
   * Revokes the token the quick fix was offered on, only while its document holds that very token, and only after the
   * user says so in a modal dialog naming it (as the Tokens view's Revoke does): a quick fix can be run by anyone.
   */
  async function revoke(args: ClientCommands.RevokeTokenArgs & { uri?: string }): Promise<void> {
    await deps.guarded(async () => {
      if (!args.uri || !holdsToken(await documentOf(args.uri), args.fingerprint)) {
        return void vscode.window.showInformationMessage(
          vscode.l10n.t('C2M: the token is no longer in the file; nothing was revoked.'),
        );
      }
      const info = tokens.tokens().find((t) => t.fingerprint === args.fingerprint && t.status !== 'revoked');
      if (!info)
        return void vscode.window.showInformationMessage(
          vscode.l10n.t('C2M: this token is not one this window holds (replaced or revoked); nothing was revoked.'),
        );
      const name = profileName(info.profileId);
      const long = info.kind === 'long';
      const answer = await deps.confirm(
        `Revoke the ${long ? 'long-term' : 'short-term'} token ${maskTokenId(info.tokenId)} of "${name}"?`,
        long
          ? 'Its short-term tokens stop working too, and so does every request, .env file, terminal or extension using one. ' +
              'To get tokens again you issue a new long-term token.'
          : 'Every request, .env file, terminal or extension using it stops working. A new one is issued on next use.',
        'Revoke',
      );
      if (answer !== 'Revoke')
        return log(
          `revoke from a quick fix: not confirmed, nothing was revoked (the ${info.kind}-term token ${maskTokenId(info.tokenId)} of profile ${info.profileId})`,
        );
      await tokens.revokeByFingerprint(args.fingerprint);
      log(
        `revoked from a quick fix: the ${info.kind}-term token ${maskTokenId(info.tokenId)} of profile ${info.profileId}`,
      );
    }, failed('revoking the token'));
  }

  /**
   * The destination guard's fix: a fresh short-term token of the profile whose origin is where the request goes, in
   * place of the token (or the reference to one) that would have gone to another host. Only while the range holds
   * what the server saw (a token this window knows, by fingerprint, or the same reference text), and only for a profile
   * whose base URL still has that origin.
   */
  async function useProfileToken(args: ClientCommands.UseProfileTokenArgs): Promise<void> {
    if (!deps.isTrusted()) return void vscode.window.showWarningMessage(RESTRICTED);
    await deps.guarded(async () => {
      const profile = tokens.profiles().find((p) => p.id === args.profileId);
      if (!profile || originOrUndefined(profile.baseUrl) !== args.origin) {
        return void vscode.window.showInformationMessage(
          vscode.l10n.t('C2M: that profile no longer has the origin the request goes to; nothing was replaced.'),
        );
      }
      const doc = await documentOf(args.uri);
      const range = toRange(args.range);
      const ours = new Set(knownTokens(tokens).map((t) => t.fingerprint));
      const holds = (): boolean => {
        if (!doc.validateRange(range).isEqual(range)) return false;
        const text = doc.getText(range);
        return args.fingerprint !== undefined
          ? ours.has(args.fingerprint) && tokenFingerprint(text) === args.fingerprint
          : args.text !== undefined && text === args.text;
      };
      if (!holds())
        return void vscode.window.showInformationMessage(
          vscode.l10n.t('C2M: the token moved or changed; nothing was replaced.'),
        );
      const { value } = await tokens.getShortTermToken(profile.id, MIN_VALIDITY_MS);
      // The fetch may have taken a while: the range must still hold the same thing.
      if (!holds() || !(await replace(doc, [{ range, text: value }]))) {
        return void vscode.window.showInformationMessage(
          vscode.l10n.t('C2M: the token moved or changed; nothing was replaced.'),
        );
      }
      log(`replaced a token sent to another origin with a short-term token of profile ${profile.id}`);
    }, failed('using the token of that profile'));
  }

  /**
   * The destination guard's other fix: the header (or the token) that would send a token to another origin, deleted,
   * and nothing else. Only while the range still holds what the server saw, and only a deletion the server may ask
   * for: the range itself, or exactly the line that holds it with its line break (VS Code's own line range, so every
   * other byte of the file stays). It writes no token, so Restricted Mode allows it.
   */
  async function removeToken(args: ClientCommands.RemoveTokenArgs): Promise<void> {
    await deps.guarded(async () => {
      const doc = await documentOf(args.uri);
      const range = toRange(args.range);
      const remove = toRange(args.remove);
      const holds = (): boolean => {
        if (!doc.validateRange(range).isEqual(range) || range.start.line !== range.end.line) return false;
        const text = doc.getText(range);
        const same =
          args.fingerprint !== undefined
            ? tokenFingerprint(text) === args.fingerprint
            : args.text !== undefined && text === args.text;
        return same && (remove.isEqual(range) || remove.isEqual(doc.lineAt(range.start.line).rangeIncludingLineBreak));
      };
      const edit = new vscode.WorkspaceEdit();
      edit.delete(doc.uri, remove);
      if (!holds() || !(await vscode.workspace.applyEdit(edit))) {
        return void vscode.window.showInformationMessage(
          vscode.l10n.t('C2M: the token moved or changed; nothing was removed.'),
        );
      }
      log(`removed ${remove.isEqual(range) ? 'a token' : 'a header'} that sent a token to another origin`);
    }, failed('removing the token'));
  }

  return {
    [ClientCommands.useProfileToken]: (a) => useProfileToken(a as ClientCommands.UseProfileTokenArgs),
    [ClientCommands.removeToken]: (a) => removeToken(a as ClientCommands.RemoveTokenArgs),
    [ClientCommands.insertToken]: (a) => insertToken(a as ClientCommands.InsertTokenArgs),
    [ClientCommands.replaceToken]: (a, invocation) => replaceToken(a as ClientCommands.ReplaceTokenArgs, invocation),
    [ClientCommands.replaceStaleTokens]: (a, invocation) =>
      replaceStaleTokens(a as ClientCommands.ReplaceStaleTokensArgs, invocation),
    [ClientCommands.moveTokenToEnv]: (a) => moveTokenToEnv(a as ClientCommands.MoveTokenToEnvArgs),
    [ClientCommands.revokeTokenByFingerprint]: (a) => revoke(a as ClientCommands.RevokeTokenArgs),
  };
}
