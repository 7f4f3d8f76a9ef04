// The first-run walkthrough in real VS Code: it opens, and every command link in its steps names a command that
// exists in this editor (ours, or the workbench's own), so no step's button does nothing.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../support/inHost/extension';

interface Step {
  id: string;
  description: string;
  completionEvents?: string[];
}

describe('the first-run walkthrough in real VS Code', () => {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  const walkthroughs = (extension?.packageJSON as { contributes: { walkthroughs: { id: string; steps: Step[] }[] } })
    .contributes.walkthroughs;

  it('has four steps: sandbox, profile, request, sending it with a request tool', () => {
    assert.deepEqual(
      walkthroughs.map((w) => w.id),
      ['firstRun'],
    );
    assert.deepEqual(
      walkthroughs[0]!.steps.map((s) => s.id),
      ['sandbox', 'profile', 'request', 'send'],
    );
  });

  it('links only to commands that exist here', async () => {
    const known = new Set(await vscode.commands.getCommands(false));
    for (const step of walkthroughs[0]!.steps) {
      for (const [, command] of step.description.matchAll(/\(command:([\w.]+)/g)) {
        assert.ok(known.has(command!), `step ${step.id} links to ${command}, which is not a command`);
      }
      for (const event of step.completionEvents ?? []) {
        const command = /^onCommand:(.+)$/.exec(event)?.[1];
        if (command) assert.ok(known.has(command), `step ${step.id} completes on ${command}, which is not a command`);
      }
    }
  });

  it('opens', async () => {
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${EXTENSION_ID}#firstRun`, false);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
