// Binds the client commands to what the language server offered. The middleware swaps the server's command arguments
// for one-time ids (offers.ts) in completions, code actions and code lenses, only for a document shown in an editor
// (the suggest widget, the light bulb and lenses work there; vscode.execute*Provider calls on a hidden document get
// the items with a command that has no id, which does nothing). The registered commands take such an id and nothing else: called with arguments someone
// chose, they do nothing and send no request.
import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';
import { ClientCommands } from '../../../server/src/protocol';
import { Offers } from './offers';

type Handler = (args: unknown) => Promise<void>;

const OURS = new Set<string>([
  ClientCommands.insertToken,
  ClientCommands.replaceToken,
  ClientCommands.replaceStaleTokens,
  ClientCommands.moveTokenToEnv,
  ClientCommands.revokeTokenByFingerprint,
  ClientCommands.addToGitIgnore,
]);

function shown(uri: string): boolean {
  return vscode.window.visibleTextEditors.some((e) => e.document.uri.toString() === uri);
}

export class BoundCommands {
  private readonly offers = new Offers();

  constructor(private readonly log: (line: string) => void) {}

  /** The command with the server's arguments replaced by an id (none when it may not be offered for `doc`). */
  private bind<T extends vscode.Command | undefined>(command: T, doc: vscode.TextDocument): T {
    if (!command || !OURS.has(command.command)) return command;
    const uri = doc.uri.toString();
    const raw: unknown = command.arguments?.[0];
    // Every offer is tied to the document it was made for; the revoke fix names no document, so it gets this one.
    if (typeof raw !== 'object' || raw === null || !shown(uri) || ('uri' in raw && raw.uri !== uri)) return { ...command, arguments: [] };
    const id = this.offers.offer(command.command, { ...raw, uri }, { once: command.command === ClientCommands.insertToken });
    return { ...command, arguments: [id] };
  }

  private bindAll<T extends { command?: vscode.Command }>(items: T[], doc: vscode.TextDocument): T[] {
    for (const item of items) item.command = this.bind(item.command, doc);
    return items;
  }

  readonly middleware: Middleware = {
    provideCompletionItem: async (doc, position, context, token, next) => {
      const result = await next(doc, position, context, token);
      if (!result) return result;
      this.bindAll(Array.isArray(result) ? result : result.items, doc);
      return result;
    },
    provideCodeActions: async (doc, range, context, token, next) => {
      const result = await next(doc, range, context, token);
      if (!result) return result;
      return result.map((action) => {
        // A bare Command is the action itself.
        if (!(action instanceof vscode.CodeAction)) return this.bind(action, doc);
        action.command = this.bind(action.command, doc);
        return action;
      });
    },
    provideCodeLenses: async (doc, token, next) => {
      const result = await next(doc, token);
      return result ? this.bindAll(result, doc) : result;
    },
  };

  /** Each handler behind a check that it was called with an id this client offered for it, on a document still shown. */
  register(handlers: Record<string, Handler>): vscode.Disposable[] {
    return Object.entries(handlers).map(([command, handler]) =>
      vscode.commands.registerCommand(command, async (id: unknown) => {
        const args = this.offers.take(command, id);
        const uri = typeof args === 'object' && args !== null && 'uri' in args ? String(args.uri) : undefined;
        if (!uri || !shown(uri)) {
          this.log(`${command}: refused: not called from a completion, quick fix or lens of a shown document`);
          return;
        }
        await handler(args);
      }),
    );
  }
}
