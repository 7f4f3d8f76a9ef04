// Which documents the language server serves. Language ids where they exist (`http` is shared with REST Client and
// httpYac; `dotenv` is built into VS Code 1.106+), and file patterns as the floor: another extension may claim
// `.env` as `properties` or `shellscript`, and a `.http` file may open before any `http` contribution is known.
// Left untyped on purpose: the inferred type fits both vscode's DocumentSelector and the LSP one.
export const DOCUMENT_SELECTOR = [
  { language: 'http' },
  { language: 'dotenv' },
  { scheme: 'file', pattern: '**/*.{http,rest}' },
  { scheme: 'file', pattern: '**/.env' },
  { scheme: 'file', pattern: '**/.env.*' },
];
