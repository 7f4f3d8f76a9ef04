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
}

const FORBIDDEN: Edge[] = [
  { from: 'server/src', imports: 'vscode' },
  { from: 'server/src', imports: '../../client/src/core/tokenEngine' },
  { from: 'client/src/api', imports: 'vscode' },
  { from: 'client/src/api', imports: '../core/tokenEngine' },
  { from: 'client/src/api', imports: '../sandbox/server' },
  { from: 'client/src/api', imports: '../vscode/config' },
  { from: 'client/src/api', imports: '../lsp/offers' },
  { from: 'client/src/api', imports: '../../../server/src/server' },
  { from: 'client/src/core', imports: 'vscode' },
  { from: 'client/src/core', imports: '../vscode/config' },
  { from: 'client/src/core', imports: '../lsp/offers' },
  { from: 'client/src/core', imports: '../sandbox/server' },
  { from: 'client/src/core', imports: '../../../server/src/server' },
  { from: 'client/src/sandbox', imports: 'vscode' },
  { from: 'client/src/sandbox', imports: '../core/tokenEngine' },
  { from: 'client/src/sandbox', imports: '../vscode/config' },
  { from: 'client/src/sandbox', imports: '../../../server/src/parse' },
  { from: 'client/src/vscode', imports: '../sandbox/server' },
  { from: 'client/src/vscode', imports: '../../../server/src/server' },
  { from: 'client/src/lsp', imports: '../sandbox/server' },
  { from: 'client/src/lsp', imports: '../../../server/src/server' },
];

const ALLOWED: Edge[] = [
  { from: 'client/src/core', imports: '../api/authClient' },
  { from: 'client/src/core', imports: '../../../server/src/protocol' },
  { from: 'client/src/sandbox', imports: '../api/types' },
  { from: 'client/src/vscode', imports: 'vscode' },
  { from: 'client/src/vscode', imports: '../core/tokenEngine' },
  { from: 'client/src/lsp', imports: '../../../server/src/protocol' },
  { from: 'server/src', imports: './protocol' },
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
    const code = `import * as probe from '${edge.imports}';\nexport const used = probe;\n`;
    const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, edge.from, 'layerProbe.ts') });
    return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
  }

  for (const edge of FORBIDDEN) {
    it(`${edge.from} may not import ${edge.imports}`, async () => {
      const errors = await restrictedImportErrors(edge);
      assert.equal(errors.length, 1, `expected the layer rule to refuse it, got ${JSON.stringify(errors)}`);
    });
  }

  for (const edge of ALLOWED) {
    it(`${edge.from} may import ${edge.imports}`, async () => {
      assert.deepEqual(await restrictedImportErrors(edge), []);
    });
  }
});
