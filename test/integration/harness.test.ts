// Proves the suite runs inside a real extension host (code-server's VS Code, or desktop VS Code)
// with this repository loaded as the extension under development.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'c2m.c2m-tokens';

describe('harness', () => {
  it('runs inside a real VS Code extension host', () => {
    assert.match(vscode.version, /^1\.\d+\.\d+/);
    assert.ok(vscode.env.appName.length > 0);
    // The runner says which VS Code it started (code-server 4.139.1 is VS Code 1.139.1).
    const expected = process.env.C2M_EXPECT_VSCODE_VERSION;
    if (expected) assert.equal(vscode.version, expected);
  });

  it('has the extension under development, and it activates', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('opened the fixture workspace', async () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 1);
    const readme = vscode.Uri.joinPath(folders[0].uri, 'README.md');
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(readme));
    assert.match(text, /Integration fixture workspace/);
  });
});
