// The layer rules of eslint.config.mjs bite: a probe file in each folder importing across each forbidden edge gets
// the error, and the allowed edges pass. The probes are linted as text (nothing is written into the source tree),
// with the project's own config; the typed rules are switched off for them because a probe is in no tsconfig.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { ESLint } from 'eslint';

const ROOT = path.join(__dirname, '..', '..');

interface Edge {
  from: string;
  imports: string;
  /** Probe with `import type` instead of a value import. */
  typeOnly?: boolean;
}

const FORBIDDEN: Edge[] = [
  // Programs never import one another.
  { from: 'server/src', imports: 'vscode' },
  { from: 'server/src', imports: '../../client/src/core/tokenEngine' },
  { from: 'server/src', imports: '../../sandbox/src/server' },
  { from: 'sandbox/src', imports: 'vscode' },
  { from: 'sandbox/src', imports: '../../client/src/api/types' },
  { from: 'sandbox/src', imports: '../../server/src/parse/model' },
  { from: 'client/src/api', imports: '../../../sandbox/src/server' },
  { from: 'client/src/api', imports: '../../../server/src/server' },
  { from: 'client/src/ui', imports: '../../../server/src/analysis' },
  { from: 'client/src', imports: '../../server/src/server' },
  // Shared code: through the alias only, and it imports no program.
  { from: 'client/src/core', imports: '../../../shared/src/tokens/fingerprint' },
  { from: 'server/src', imports: '../../shared/src/protocol/messages' },
  { from: 'sandbox/src', imports: '../../shared/src/contract/wire' },
  { from: 'shared/src/tokens', imports: '../../../client/src/api/redact' },
  { from: 'shared/src/protocol', imports: '../../../server/src/server' },
  { from: 'shared/src/protocol', imports: 'vscode' },
  { from: 'shared/src/protocol', imports: 'vscode-languageserver-protocol' },
  { from: 'shared/src/protocol', imports: 'vscode-languageserver' },
  // The extension's layers point one way.
  { from: 'client/src/api', imports: 'vscode' },
  { from: 'client/src/api', imports: '../core/tokenEngine' },
  { from: 'client/src/api', imports: '../host/config' },
  { from: 'client/src/api', imports: '../lsp/offers' },
  { from: 'client/src/core', imports: 'vscode' },
  { from: 'client/src/core', imports: '../host/config' },
  { from: 'client/src/core', imports: '../ui/tree' },
  { from: 'client/src/core', imports: '../integrations/envWriter' },
  { from: 'client/src/core', imports: '../commands/index' },
  { from: 'client/src/core', imports: '../lsp/offers' },
  { from: 'client/src/core', imports: '../host/log', typeOnly: true },
  { from: 'client/src/host', imports: '../ui/tree' },
  { from: 'client/src/host', imports: '../commands/index' },
  { from: 'client/src/host', imports: '../lsp/index' },
  { from: 'client/src/ui', imports: '../integrations/envSync' },
  { from: 'client/src/ui', imports: '../commands/index' },
  { from: 'client/src/ui', imports: '../lsp/offers' },
  { from: 'client/src/integrations', imports: '../commands/index' },
  { from: 'client/src/integrations', imports: '../lsp/tokenEdits' },
  { from: 'client/src/lsp', imports: '../commands/index' },
  { from: 'client/src/commands', imports: '../lsp/tokenEdits' },
  // lsp/ ships in dist/lsp.js: the rest of the extension only as types (values come from client.js at run time).
  { from: 'client/src/lsp', imports: '../host/log' },
  { from: 'client/src/lsp', imports: '../host/errorText' },
  { from: 'client/src/lsp', imports: '../host/config' },
  { from: 'client/src/lsp', imports: '../ui/viewFormat' },
  { from: 'client/src/lsp', imports: '../ui/guarded' },
  { from: 'client/src/lsp', imports: '../integrations/gitContext' },
  { from: 'client/src/lsp', imports: '../integrations/envWriter' },
  { from: 'client/src/lsp', imports: '../api/heldSecrets' },
  { from: 'client/src/lsp', imports: '../api/redact' },
  { from: 'client/src/lsp', imports: '../core/profile' },
  { from: 'client/src/lsp', imports: '../core/tokenEngine' },
  { from: 'client/src/lsp', imports: '../commands/index', typeOnly: true },
  // The vscode-free modules of the editor folders.
  { from: 'client/src/host/l10n.ts', imports: 'vscode' },
  { from: 'client/src/ui/viewFormat.ts', imports: 'vscode' },
  { from: 'client/src/ui/notifications.ts', imports: 'vscode' },
  { from: 'client/src/ui/viewFormat.ts', imports: '../commands/index' },
  { from: 'client/src/integrations/sandboxProfile.ts', imports: 'vscode' },
  { from: 'client/src/integrations/agentTools/originGuard.ts', imports: 'vscode' },
  { from: 'client/src/integrations/agentTools/send.ts', imports: 'vscode' },
  { from: 'client/src/commands/featureCommands.ts', imports: 'vscode' },
  { from: 'client/src/ui/guarded.ts', imports: 'vscode' },
];

const ALLOWED: Edge[] = [
  { from: 'client/src/core', imports: '../api/authClient' },
  { from: 'client/src/core', imports: '@shared/tokens/fingerprint' },
  { from: 'client/src/ui', imports: 'vscode' },
  { from: 'client/src/ui', imports: '../core/tokenEngine' },
  { from: 'client/src/ui', imports: '../host/config' },
  { from: 'client/src/integrations', imports: '../ui/inputs' },
  { from: 'client/src/commands', imports: '../integrations/envSync' },
  { from: 'client/src/lsp', imports: '../integrations/envWriter', typeOnly: true },
  { from: 'client/src/lsp', imports: '../host/log', typeOnly: true },
  { from: 'client/src/lsp', imports: '../api/heldSecrets', typeOnly: true },
  { from: 'client/src/lsp', imports: '../core/tokenService', typeOnly: true },
  { from: 'client/src/lsp', imports: '../core/refreshPolicy' },
  { from: 'client/src/lsp', imports: '@shared/protocol/clientCommands' },
  { from: 'client/src/ui/guarded.ts', imports: '../host/errorText' },
  { from: 'client/src/host', imports: '../lsp/index', typeOnly: true },
  { from: 'client/src', imports: './commands/index' },
  { from: 'server/src', imports: '@shared/protocol/messages' },
  { from: 'sandbox/src', imports: '@shared/contract/wire' },
  { from: 'shared/src/protocol', imports: './tokenState' },
  { from: 'shared/src/protocol', imports: 'vscode-languageserver-protocol', typeOnly: true },
];

describe('layer rules (eslint.config.mjs)', function () {
  this.timeout(60_000);
  const eslint = new ESLint({
    cwd: ROOT,
    overrideConfig: {
      languageOptions: { parserOptions: { projectService: false, project: null } },
      rules: {
        '@typescript-eslint/no-floating-promises': 'off',
        '@typescript-eslint/no-misused-promises': 'off',
        '@typescript-eslint/await-thenable': 'off',
        '@typescript-eslint/no-unused-vars': 'off',
      },
    },
  });

  async function restrictedImportErrors(edge: Edge): Promise<string[]> {
    const code = edge.typeOnly
      ? `import type * as probe from '${edge.imports}';\nexport type Used = typeof probe;\n`
      : `import * as probe from '${edge.imports}';\nexport const used = probe;\n`;
    const file = edge.from.endsWith('.ts') ? edge.from : path.join(edge.from, 'layerProbe.ts');
    const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
    return result!.messages
      .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports')
      .map((m) => m.message);
  }

  for (const edge of FORBIDDEN) {
    it(`${edge.from} may not import ${edge.typeOnly ? 'types of ' : ''}${edge.imports}`, async () => {
      const errors = await restrictedImportErrors(edge);
      assert.equal(errors.length, 1, `expected the layer rule to refuse it, got ${JSON.stringify(errors)}`);
    });
  }

  for (const edge of ALLOWED) {
    it(`${edge.from} may import ${edge.typeOnly ? 'types of ' : ''}${edge.imports}`, async () => {
      assert.deepEqual(await restrictedImportErrors(edge), []);
    });
  }
});
