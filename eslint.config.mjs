// Lint: typed rules where they catch real bugs (floating promises, misused promises),
// and the architecture's import rules (below).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The architecture, as import rules (ARCHITECTURE.md draws it). Programs: the extension (client/src), the language
 * server (server/src) and the sandbox (sandbox/src) never import one another; what they share lives in shared/src and
 * is imported through the one alias `@shared/…`, never by a relative path. Inside the extension the layers point one
 * way: api <- core <- the editor side (host <- ui <- integrations <- commands; lsp is the lazily loaded bundle), and
 * the composition root (client/src/*.ts) may import everything. A type-only import across a forbidden edge is refused
 * too, except where `types` says so: a type vanishes from the bundle but still couples the code.
 */
const PROGRAMS = {
  client: ['**/client/src/**', '../../client/**', '../../../client/**'],
  server: ['**/server/src/**', '../../server/**', '../../../server/**'],
  sandbox: ['**/sandbox/src/**', '../../sandbox/**', '../../../sandbox/**'],
};
const SHARED_BY_PATH = {
  group: ['**/shared/src/**', '../../shared/**', '../../../shared/**', '../shared/**'],
  message: 'Import shared code through the alias: @shared/….',
};
const otherPrograms = (self) =>
  Object.entries(PROGRAMS)
    .filter(([name]) => name !== self)
    .map(([name, group]) => ({
      group,
      message: `${self} must not import ${name}: programs share code only through shared/src (@shared/…).`,
    }));
const VSCODE_FREE = {
  name: 'vscode',
  message: 'This module is vscode-free so it runs under plain mocha (and outside VS Code).',
};

/**
 * Extension folders: what each must not import. `types`: folders it may still name types from. `except`: modules of a
 * forbidden folder it may still import. `vscodeFree`: the whole folder, or `freeFiles`: its modules kept vscode-free so
 * their texts and rules run under plain mocha.
 * lsp/ is what ships in dist/lsp.js: a value import of the rest of the extension would put a second copy of that
 * module (and its state) into it, so it names their types only and gets the values from client.js at run time; the
 * one exception is the refresh fraction, a constant.
 */
const LAYERS = [
  { folder: 'api', vscodeFree: true, forbidden: ['core', 'host', 'ui', 'integrations', 'commands', 'lsp'] },
  { folder: 'core', vscodeFree: true, forbidden: ['host', 'ui', 'integrations', 'commands', 'lsp'] },
  {
    folder: 'host',
    forbidden: ['ui', 'integrations', 'commands', 'lsp'],
    types: ['lsp'],
    freeFiles: ['l10n', 'errorText'],
  },
  {
    folder: 'ui',
    forbidden: ['integrations', 'commands', 'lsp'],
    freeFiles: ['notifications', 'viewFormat', 'otpCode', 'progressText', 'guarded'],
  },
  {
    folder: 'integrations',
    forbidden: ['commands', 'lsp'],
    freeFiles: [
      'sandboxProfile',
      'agentTools/originGuard',
      'agentTools/responseRedaction',
      'agentTools/send',
      'agentTools/statusReport',
    ],
  },
  { folder: 'commands', forbidden: ['lsp'], freeFiles: ['featureCommands'] },
  {
    folder: 'lsp',
    forbidden: ['commands', 'api', 'core', 'host', 'ui', 'integrations'],
    types: ['api', 'core', 'host', 'ui', 'integrations'],
    except: ['../core/refreshPolicy'],
  },
];

function folderPatterns(folder, forbidden, types = [], except = []) {
  return forbidden.map((target) => {
    const allowed = except.filter((module) => module.startsWith(`../${target}/`)).map((module) => `!${module}`);
    // A module re-included by `!` must not sit under an excluded folder path (gitignore rules): then `../x/**` only.
    const group = [
      ...(allowed.length > 0 ? [] : [`../${target}`]),
      `../${target}/**`,
      `**/client/src/${target}/**`,
      ...allowed,
    ];
    const message =
      folder === 'lsp'
        ? `lsp/ must not import ${target}/ (only its types): dist/lsp.js would carry a second copy; take it from the deps activate() passes.`
        : `${folder}/ must not import ${target}/: the layers point one way (api <- core <- host <- ui <- integrations <- commands).`;
    return { group, message, ...(types.includes(target) ? { allowTypeImports: true } : {}) };
  });
}

function importRule(paths, patterns) {
  return { '@typescript-eslint/no-restricted-imports': ['error', { paths, patterns }] };
}

/** One block per layer (and per vscode-free file set): a later block's rule replaces an earlier one's for a file, so
 * each block carries the whole list. test/unit/layerRules.test.ts lints a probe across each edge. */
const layerBlocks = LAYERS.flatMap(({ folder, vscodeFree = false, forbidden, types, except, freeFiles = [] }) => {
  const patterns = [...otherPrograms('client'), SHARED_BY_PATH, ...folderPatterns(folder, forbidden, types, except)];
  const blocks = [
    { files: [`client/src/${folder}/**/*.ts`], rules: importRule(vscodeFree ? [VSCODE_FREE] : [], patterns) },
  ];
  if (freeFiles.length > 0) {
    const files = freeFiles.length === 1 ? `${freeFiles[0]}.ts` : `{${freeFiles.join(',')}}.ts`;
    blocks.push({ files: [`client/src/${folder}/${files}`], rules: importRule([VSCODE_FREE], patterns) });
  }
  return blocks;
});

const programBlocks = [
  { files: ['client/src/*.ts'], rules: importRule([], [...otherPrograms('client'), SHARED_BY_PATH]) },
  {
    files: ['server/src/**/*.ts'],
    rules: importRule(
      [{ name: 'vscode', message: 'The language server runs outside VS Code: no vscode import.' }],
      [...otherPrograms('server'), SHARED_BY_PATH],
    ),
  },
  {
    files: ['sandbox/src/**/*.ts'],
    rules: importRule(
      [{ name: 'vscode', message: 'The sandbox is a program of its own: no vscode import.' }],
      [...otherPrograms('sandbox'), SHARED_BY_PATH],
    ),
  },
  {
    // Shared code is imported by every program, the extension's activation bundle too: no program's code, and the
    // LSP packages only as types (messageTypes() takes the classes from its caller).
    files: ['shared/src/**/*.ts'],
    rules: importRule(
      [
        VSCODE_FREE,
        {
          name: 'vscode-languageserver-protocol',
          allowTypeImports: true,
          message: 'Shared code names LSP types only: the caller passes the classes.',
        },
        { name: 'vscode-languageserver', message: 'Shared code does not import the server library.' },
        { name: 'vscode-languageclient', message: 'Shared code does not import the client library.' },
      ],
      [
        ...Object.entries(PROGRAMS).map(([name, group]) => ({
          group,
          message: `shared code must not import ${name}: it is what the programs import.`,
        })),
      ],
    ),
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.c2m-run/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  ...programBlocks,
  ...layerBlocks,
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        Buffer: 'readonly',
      },
    },
  },
);
