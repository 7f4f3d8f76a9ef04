import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.commands.registerCommand('c2m.showLog', () => undefined));
}

export function deactivate(): void {}
