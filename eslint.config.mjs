// Lint: typed rules where they catch real bugs (floating promises, misused promises),
// and the architectural boundary: the server never imports vscode or client code, the client never server internals.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The client may import only the shared protocol files from the server. */
const SERVER_INTERNALS = {
  group: ['**/server/src/**', '!**/server/src/protocol', '!**/server/src/protocol.js', '!**/server/src/judgement', '!**/server/src/judgement.js'],
  message: 'The client may import only the shared protocol files from the server (protocol.ts, judgement.ts).',
};

/** Client folders and the folders each must not import. */
const LAYERS = [
  { files: ['client/src/api/**/*.ts'], vscodeFree: true, forbidden: ['core', 'sandbox', 'vscode', 'lsp'] },
  { files: ['client/src/core/**/*.ts'], vscodeFree: true, forbidden: ['sandbox', 'vscode', 'lsp'] },
  { files: ['client/src/sandbox/**/*.ts'], vscodeFree: true, forbidden: ['core', 'vscode', 'lsp'] },
  { files: ['client/src/vscode/**/*.ts'], vscodeFree: false, forbidden: ['sandbox'] },
  { files: ['client/src/lsp/**/*.ts'], vscodeFree: false, forbidden: ['sandbox'] },
  // Texts and formatting the vscode layer shows, kept vscode-free so they are tested under plain mocha.
  {
    files: ['client/src/vscode/{l10n,errorText,notifications,viewFormat,otpCode,sandboxProfile,featureCommands}.ts'],
    vscodeFree: true,
    forbidden: ['sandbox'],
  },
  { files: ['client/src/*.ts'], vscodeFree: false, forbidden: [] },
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
  {
    files: ['server/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'The language server runs outside VS Code: no vscode import.' }],
        patterns: [{ group: ['**/client/**'], message: 'The server never imports client code; share only server/src/protocol.ts.' }],
      }],
    },
  },
  // The layers, each with every rule that applies to it (a later block's no-restricted-imports replaces an earlier
  // one's for the same file, so each block carries the whole list). test/unit/layerRules.test.ts proves each edge bites.
  ...LAYERS.map(({ files, vscodeFree, forbidden }) => ({
    files,
    rules: {
      'no-restricted-imports': ['error', {
        ...(vscodeFree ? { paths: [{ name: 'vscode', message: 'This folder is vscode-free so it runs under plain mocha.' }] } : {}),
        patterns: [
          SERVER_INTERNALS,
          ...forbidden.map((folder) => ({ group: [`../${folder}`, `../${folder}/**`, `**/client/src/${folder}/**`], message: `${files[0].split('/')[2]} must not import ${folder}/: the layers point one way (api <- core <- vscode; sandbox <- api).` })),
        ],
      }],
    },
  })),
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly' } },
  },
);
