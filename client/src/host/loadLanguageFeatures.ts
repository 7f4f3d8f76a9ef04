// Loads the language features from their own bundle (dist/lsp.js), built from ./index.ts with vscode-languageclient
// inside. The client bundle activates without it: the language client is needed only once the language features are
// registered, just after activation. Only types come from ./index here, so esbuild keeps the client out of dist/client.js.
import * as path from 'node:path';
import type * as LanguageFeaturesModule from '../lsp/index';

export type { LanguageFeatures } from '../lsp/index';

/** The bundle's file, next to dist/client.js in the installed extension. */
export function languageFeaturesBundle(extensionPath: string): string {
  return path.join(extensionPath, 'dist', 'lsp.js');
}

export function loadLanguageFeatures(extensionPath: string): typeof LanguageFeaturesModule {
  // A computed path: esbuild leaves this require to Node instead of bundling the module.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(languageFeaturesBundle(extensionPath)) as typeof LanguageFeaturesModule;
}
