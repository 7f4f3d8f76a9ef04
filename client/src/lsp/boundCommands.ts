// Binds the client commands to what the language server offered. The middleware swaps the server's command arguments
// for one-time ids (offers.ts) in completions, code actions and code lenses, and only where presence.ts allows: a
// completion or quick fix of the active editor's document in a focused window (a vscode.execute*Provider call on any
// other document gets the items with a command that has no id, which does nothing), a lens of a shown document. The
// registered commands take such an id and nothing else, and run only while the editor looks as a real accept leaves
// it (presence.ts); otherwise nothing is inserted, no request is sent, and the log says why.
import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';
import { ClientCommands } from '@shared/protocol/clientCommands';
import { Offers } from './offers';
import { mayOffer, OFFER_TTL_MS, refusal, type Bound, type PlainRange, type Presence, type Source } from './presence';

/** What a handler learns of how it was called: from an offer of this source (the extension's own views pass none). */
export interface Invocation {
  source: Source;
}

export type Handler = (args: unknown, invocation?: Invocation) => Promise<void>;

const OURS = new Set<string>([
  ClientCommands.insertToken,
  ClientCommands.replaceToken,
  ClientCommands.replaceStaleTokens,
  ClientCommands.moveTokenToEnv,
  ClientCommands.revokeTokenByFingerprint,
  ClientCommands.addToGitIgnore,
  ClientCommands.useProfileToken,
  ClientCommands.removeToken,
  ClientCommands.syncEnvThere,
]);

function plain(r: vscode.Range): PlainRange {
  return {
    start: { line: r.start.line, character: r.start.character },
    end: { line: r.end.line, character: r.end.character },
  };
}

/** The window and its active editor now. */
function presenceNow(): Presence {
  const editor = vscode.window.activeTextEditor;
  return {
    focused: vscode.window.state.focused,
    activeUri: editor?.document.uri.toString(),
    ...(editor
      ? {
          selection: {
            ...plain(editor.selection),
            active: { line: editor.selection.active.line, character: editor.selection.active.character },
          },
        }
      : {}),
  };
}

function shown(uri: string): boolean {
  return vscode.window.visibleTextEditors.some((e) => e.document.uri.toString() === uri);
}

export interface BoundCommandsOptions {
  log(line: string): void;
  /** The clock ids expire on. */
  now?: () => number;
  ttlMs?: number;
  /** The window and its editor (tests of the gate's logic replace it; the extension reads VS Code). */
  presence?: () => Presence;
}

export class BoundCommands {
  private readonly offers: Offers<Bound>;
  private readonly ttlMs: number;
  private readonly presence: () => Presence;
  private readonly log: (line: string) => void;

  constructor(options: BoundCommandsOptions) {
    this.offers = new Offers<Bound>({ now: options.now ?? Date.now });
    this.ttlMs = options.ttlMs ?? OFFER_TTL_MS;
    this.presence = options.presence ?? presenceNow;
    this.log = options.log;
  }

  /** The command with the server's arguments replaced by an id (none when it may not be offered for `doc` now). */
  private bind<T extends vscode.Command | undefined>(
    command: T,
    doc: vscode.TextDocument,
    source: Source,
    at?: vscode.Range,
  ): T {
    if (!command || !OURS.has(command.command)) return command;
    const uri = doc.uri.toString();
    const raw: unknown = command.arguments?.[0];
    // Every offer is tied to the document it was made for; the revoke fix names no document, so it gets this one.
    if (
      typeof raw !== 'object' ||
      raw === null ||
      ('uri' in raw && raw.uri !== uri) ||
      !mayOffer(source, uri, this.presence(), shown(uri))
    ) {
      return { ...command, arguments: [] };
    }
    const bound: Bound = { uri, source, ...(at ? { at: plain(at) } : {}) };
    // A lens stays drawn until its text changes, and asks the user before it acts: its id lasts (within the limit).
    const options = source === 'codeLens' ? { once: false, ttlMs: Infinity } : { once: true, ttlMs: this.ttlMs };
    const id = this.offers.offer(command.command, { ...raw, uri }, bound, options);
    return { ...command, arguments: [id] };
  }

  readonly middleware: Middleware = {
    provideCompletionItem: async (doc, position, context, token, next) => {
      const result = await next(doc, position, context, token);
      if (!result) return result;
      for (const item of Array.isArray(result) ? result : result.items)
        item.command = this.bind(item.command, doc, 'completion');
      return result;
    },
    provideCodeActions: async (doc, range, context, token, next) => {
      const result = await next(doc, range, context, token);
      if (!result) return result;
      const at = range instanceof vscode.Range ? range : undefined;
      return result.map((action) => {
        // A bare Command is the action itself.
        if (!(action instanceof vscode.CodeAction)) return this.bind(action, doc, 'codeAction', at);
        action.command = this.bind(action.command, doc, 'codeAction', at);
        return action;
      });
    },
    provideCodeLenses: async (doc, token, next) => {
      const result = await next(doc, token);
      if (!result) return result;
      for (const lens of result) lens.command = this.bind(lens.command, doc, 'codeLens');
      return result;
    },
  };

  /** Each handler behind the check that it was called with an id this client offered for it, while the editor allows. */
  register(handlers: Record<string, Handler>): vscode.Disposable[] {
    return Object.entries(handlers).map(([command, handler]) =>
      vscode.commands.registerCommand(command, async (id: unknown) => {
        const taken = this.offers.take(command, id);
        if (taken === undefined)
          return this.log(`${command}: refused: not called with an id from a completion, quick fix or lens`);
        if (taken === 'expired')
          return this.refuse(
            command,
            `it was offered more than ${Math.round(this.ttlMs / 1000)} s ago; ask for it again`,
          );
        const why = refusal(command, taken.meta, taken.args, this.presence());
        if (why) return this.refuse(command, why);
        await handler(taken.args, { source: taken.meta.source });
      }),
    );
  }

  /** An id that was offered but may not run now: the user may have been the one (a stale light bulb), so they are told too. */
  private refuse(command: string, why: string): void {
    this.log(`${command}: refused: ${why}`);
    void vscode.window.showInformationMessage(vscode.l10n.t('C2M: nothing was done: {0}.', why));
  }
}
