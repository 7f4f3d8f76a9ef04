// Lint: typed rules where they catch real bugs (floating promises, misused promises),
// and the architectural boundary: the server never imports vscode or client code, the client never server internals.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
  {
    files: ['client/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          group: ['**/server/src/**', '!**/server/src/protocol', '!**/server/src/protocol.js', '!**/server/src/judgement', '!**/server/src/judgement.js'],
          message: 'The client may import only the shared protocol files from the server (protocol.ts, judgement.ts).',
        }],
      }],
    },
  },
  {
    // Pure logic: no vscode import, so it runs under plain mocha.
    files: [
      'client/src/api/**/*.ts', 'client/src/sandbox/**/*.ts', 'client/src/core/**/*.ts',
      'client/src/vscode/{l10n,errorText,notifications,viewFormat,otpCode,sandboxProfile,featureCommands}.ts',
    ],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'This folder is vscode-free so it can be tested under plain mocha.' }],
      }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly' } },
  },
);
