// The "not git-ignored" warning on an env file in real VS Code: it follows .gitignore and the index while the file
// stays open (no reopening), and its quick fix adds the file to the .gitignore beside it.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ClientCommands } from '@shared/protocol/clientCommands';
import { DiagnosticCodes } from '@shared/protocol/diagnosticCodes';
import { eventually } from '../support/inHost/extension';

/** Any JWT-shaped string makes the file one that "holds tokens". */
const FOREIGN_JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJnaXRpZ25vcmUtaXQifQ.c2lnbmF0dXJlLW5vdC1jaGVja2Vk';

describe('the env-file git-ignore warning in real VS Code', () => {
  let repo: string;
  let env: vscode.Uri;

  const warning = (): vscode.Diagnostic | undefined =>
    vscode.languages
      .getDiagnostics(env)
      .find((d) => (typeof d.code === 'object' ? d.code.value : d.code) === DiagnosticCodes.envNotIgnored);

  before(async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the integration run opens a workspace folder');
    repo = path.join(folder.uri.fsPath, 'gitignore-it');
    fs.rmSync(repo, { recursive: true, force: true });
    fs.mkdirSync(repo, { recursive: true });
    execFileSync('git', ['init', '-q'], { cwd: repo });
    fs.writeFileSync(path.join(repo, 'local.env'), `API_TOKEN=${FOREIGN_JWT}\n`);
    env = vscode.Uri.file(path.join(repo, 'local.env'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(env));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(repo, { recursive: true, force: true });
  });

  it('warns, and the warning goes when .gitignore starts ignoring the open file, and comes back when it stops', async () => {
    await eventually(warning, 'the not-ignored warning');
    fs.writeFileSync(path.join(repo, '.gitignore'), 'local.env\n');
    await eventually(() => (warning() ? undefined : true), 'the warning to go after .gitignore changed');
    fs.rmSync(path.join(repo, '.gitignore'));
    await eventually(warning, 'the warning to come back after .gitignore was removed');
  });

  /** Runs the quick fix as the light bulb does: through the code action VS Code got for the warning. */
  async function applyQuickFix(): Promise<void> {
    const diagnostic = await eventually(warning, 'the not-ignored warning');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      env,
      diagnostic.range,
    );
    const fix = actions.find((a) => a.command?.command === ClientCommands.addToGitIgnore);
    assert.ok(fix?.command, `quick fixes: ${actions.map((a) => a.title).join(', ')}`);
    await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
  }

  it('"Add this file to .gitignore" appends one line beside the file and the warning goes', async () => {
    fs.writeFileSync(path.join(repo, '.gitignore'), 'node_modules'); // no final newline: kept, then a break
    await applyQuickFix();
    assert.equal(fs.readFileSync(path.join(repo, '.gitignore'), 'utf8'), 'node_modules\n/local.env\n');
    await eventually(() => (warning() ? undefined : true), 'the warning to go after the quick fix');
  });

  it('does nothing when called with arguments another extension chose', async () => {
    fs.writeFileSync(path.join(repo, '.gitignore'), '');
    await eventually(warning, 'the not-ignored warning');
    await vscode.commands.executeCommand(ClientCommands.addToGitIgnore, { uri: env.toString() });
    assert.equal(fs.readFileSync(path.join(repo, '.gitignore'), 'utf8'), '');
  });

  it('comes back when git starts tracking the file (the index changed); the fix adds the line, and the warning stays', async () => {
    execFileSync('git', ['add', 'local.env'], { cwd: repo });
    await eventually(warning, 'the warning once the file is tracked');
    await applyQuickFix();
    assert.equal(fs.readFileSync(path.join(repo, '.gitignore'), 'utf8'), '/local.env\n');
    assert.ok(warning(), 'git tracks the file: ignoring it changes nothing, and the warning says so still');
  });
});
