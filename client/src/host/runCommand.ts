// Runs one of the extension's own commands by its typed id, as the palette, a menu or a notification button would.
import * as vscode from 'vscode';
import type { RunnableCommand } from './commandIds';

export function runCommand(id: RunnableCommand, ...args: unknown[]): Thenable<unknown> {
  return vscode.commands.executeCommand(id, ...args);
}
