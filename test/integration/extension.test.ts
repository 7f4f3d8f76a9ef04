// The extension's shape inside a real extension host: activation returns the API, and package.json's
// contributions agree with what activate() registers (commands, menus, views).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { C2mTestApi } from '../../client/src/integrations/extensionApi';
import { c2mApi, EXTENSION_ID } from '../support/inHost/extension';
import { COMMAND_IDS } from '../../client/src/commands/index';

interface PackageJson {
  activationEvents: string[];
  contributes: {
    commands: { command: string; title: string; category?: string; icon?: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    views: Record<string, { id: string }[]>;
    viewsWelcome: { view: string; contents: string }[];
    configuration: { properties: Record<string, unknown> };
  };
}

describe('extension: activation and contributions', () => {
  let api: C2mTestApi;
  let pkg: PackageJson;

  before(async () => {
    api = await c2mApi();
    pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as PackageJson;
  });

  it('activate() returns the API: ready, token metadata, its own duration', async function () {
    assert.equal(typeof api.tokens.tokens, 'function');
    await api.ready; // resolves (stored tokens read)
    assert.ok(Number.isFinite(api.activationMs) && api.activationMs >= 0);
    // Reported, not asserted (no timing assertions): the spec reporter prints the title after the test ran.
    if (this.test) this.test.title += ` (activate() took ${api.activationMs.toFixed(2)} ms)`;
  });

  it('the Tokens view reports when it was first drawn, relative to activation', async function () {
    // A hidden view is never drawn: when the view was not open at startup, the test opens it (and says so).
    const openedByTest = api.firstTreeRenderMs === undefined;
    if (openedByTest) await vscode.commands.executeCommand('c2m.tokens.focus');
    const ms = await api.firstTreeRender;
    assert.ok(Number.isFinite(ms) && ms >= 0);
    assert.equal(api.firstTreeRenderMs, ms);
    if (this.test)
      this.test.title += ` (first tree render ${ms.toFixed(2)} ms after activation began${openedByTest ? ', view opened by the test' : ''})`;
  });

  it('contributes exactly the command table, and every contributed command is registered', async () => {
    const contributed: string[] = pkg.contributes.commands.map((c) => c.command).sort();
    assert.deepEqual(contributed, [...COMMAND_IDS].map(String).sort());
    const registered = new Set((await vscode.commands.getCommands(true)).filter((c) => c.startsWith('c2m.')));
    for (const id of contributed) assert.ok(registered.has(id), `${id} is contributed but not registered`);
    // c2m.lsp.* are the language client's commands (used by completions and code actions, not the palette);
    // c2m.tokens.* and c2m.leaks.* are the ones VS Code makes for the views themselves.
    const ours = (id: string): boolean =>
      !id.startsWith('c2m.lsp.') && !id.startsWith('c2m.tokens.') && !id.startsWith('c2m.leaks.');
    const stray = [...registered].filter((id) => ours(id) && !contributed.includes(id));
    assert.deepEqual(stray, [], 'registered c2m.* commands missing from package.json');
  });

  it('every command is in category C2M with a codicon; menus only name contributed commands', () => {
    for (const c of pkg.contributes.commands) {
      assert.equal(c.category, 'C2M', c.command);
      assert.match(c.icon ?? '', /^\$\([a-z-]+\)$/, c.command);
    }
    const ids = new Set(pkg.contributes.commands.map((c) => c.command));
    for (const [menu, items] of Object.entries(pkg.contributes.menus)) {
      for (const item of items) assert.ok(ids.has(item.command), `${menu} names unknown ${item.command}`);
    }
  });

  it('contributes the C2M view with welcome content for "Try with Local Sandbox" and "Add Profile"', () => {
    assert.deepEqual(
      pkg.contributes.views.c2m?.map((v) => v.id),
      ['c2m.tokens', 'c2m.leaks'],
    );
    const welcome = pkg.contributes.viewsWelcome.find((w) => w.view === 'c2m.tokens');
    assert.match(welcome?.contents ?? '', /\(command:c2m\.trySandbox\)/);
    assert.match(welcome?.contents ?? '', /\(command:c2m\.addProfile\)/);
    assert.ok('c2m.trace.server' in pkg.contributes.configuration.properties);
  });
});
