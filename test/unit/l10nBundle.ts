// The strings the extension's code marks for translation: every `vscode.l10n.t(...)` and `l10n.t(...)` (the
// vscode-free modules' shim, client/src/host/l10n.ts) under client/src, read from the TypeScript syntax tree the
// way @vscode/l10n-dev reads it, so l10n/bundle.l10n.json can be checked against the code (test/unit/l10n.test.ts)
// and rewritten from it: `npm run --silent l10n` (tsx test/unit/l10nBundle.ts --write).
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

export const ROOT = path.join(__dirname, '..', '..');
export const BUNDLE = path.join(ROOT, 'l10n', 'bundle.l10n.json');
const SOURCES = path.join(ROOT, 'client', 'src');

export interface L10nCall {
  /** The bundle key: the message, or message/comment as VS Code looks it up. */
  key: string;
  message: string;
  comment?: string;
  where: string;
}

export interface Extracted {
  calls: L10nCall[];
  /** Calls whose message cannot be read statically, or whose arguments do not fit its placeholders. */
  problems: string[];
}

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return sourceFiles(full);
      return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
    })
    .sort();
}

/** `l10n.t` or `vscode.l10n.t` (any namespace name before `.l10n`). */
function isL10nT(callee: ts.Expression): boolean {
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 't') return false;
  const target = callee.expression;
  return (
    (ts.isIdentifier(target) && target.text === 'l10n') ||
    (ts.isPropertyAccessExpression(target) && target.name.text === 'l10n')
  );
}

const literalText = (node: ts.Node | undefined): string | undefined =>
  node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;

/** The placeholders of a message: `{0}`, `{name}`; VS Code replaces `{…}` with the argument of that index or name. */
export function placeholders(message: string): string[] {
  return [...new Set([...message.matchAll(/\{([^}{]+)\}/g)].map((m) => m[1]!))];
}

function checkArgs(message: string, args: readonly ts.Expression[], where: string): string | undefined {
  const named = args.length === 1 && ts.isObjectLiteralExpression(args[0]!) ? args[0] : undefined;
  // Only {0}-style and identifier-style names are placeholders VS Code fills; `{{$dotenv X}}` is text.
  const wanted = placeholders(message)
    .filter((p) => /^(\d+|[A-Za-z_]\w*)$/.test(p))
    .sort();
  if (named) {
    const given = named.properties
      .map((p) => (p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : '?'))
      .sort();
    return JSON.stringify(given) === JSON.stringify(wanted)
      ? undefined
      : `${where}: named arguments ${given.join(', ')} do not match the placeholders ${wanted.join(', ')} of "${message}"`;
  }
  if (args.some((a) => ts.isSpreadElement(a))) return undefined;
  const indices = args.map((_, i) => String(i)).sort();
  return JSON.stringify(indices) === JSON.stringify(wanted)
    ? undefined
    : `${where}: ${args.length} argument(s) for the placeholders ${wanted.join(', ') || '(none)'} of "${message}"`;
}

export function extractCalls(files: readonly string[] = sourceFiles(SOURCES)): Extracted {
  const calls: L10nCall[] = [];
  const problems: string[] = [];
  for (const file of files) {
    const source = ts.createSourceFile(
      file,
      fs.readFileSync(file, 'utf8'),
      ts.ScriptTarget.ES2022,
      true,
      ts.ScriptKind.TS,
    );
    const visit = (node: ts.Node): void => {
      // `const t = vscode.l10n.t` would hide every call made through `t` from the extraction.
      if (isL10nT(node as ts.Expression) && !(ts.isCallExpression(node.parent) && node.parent.expression === node)) {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
        problems.push(
          `${path.relative(ROOT, file)}:${line + 1}: l10n.t is used without being called where it is written`,
        );
      }
      if (ts.isCallExpression(node) && isL10nT(node.expression)) {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
        const where = `${path.relative(ROOT, file)}:${line + 1}`;
        const [first, ...rest] = node.arguments;
        const plain = literalText(first);
        if (plain !== undefined) {
          calls.push({ key: plain, message: plain, where });
          const problem = checkArgs(plain, rest, where);
          if (problem) problems.push(problem);
        } else if (first && ts.isObjectLiteralExpression(first)) {
          const prop = (name: string) =>
            first.properties.find(
              (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText(source) === name,
            )?.initializer;
          const message = literalText(prop('message'));
          const commentNode = prop('comment');
          // One comment string: VS Code joins an array with '' and l10n-dev with ',', so only one element agrees.
          const comment =
            literalText(commentNode) ??
            (commentNode && ts.isArrayLiteralExpression(commentNode) && commentNode.elements.length === 1
              ? literalText(commentNode.elements[0])
              : undefined);
          if (message === undefined || (commentNode !== undefined && comment === undefined)) {
            problems.push(`${where}: an options object needs a literal message and at most one literal comment`);
          } else {
            calls.push({
              key: comment ? `${message}/${comment}` : message,
              message,
              ...(comment ? { comment } : {}),
              where,
            });
          }
        } else {
          problems.push(
            `${where}: the first argument of l10n.t must be a string literal (not built at run time): ${first?.getText(source) ?? '(none)'}`,
          );
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { calls, problems };
}

/** Calls that show text to the user: VS Code's messages and the status bar, the Notifier, confirmations. */
const SHOWS = /^(show(Information|Warning|Error)Message|setStatusBarMessage|info|warn|error|confirm|details)$/;
const SHOWERS = /^(window|notifier|asker)$/;

/**
 * Texts shown as written instead of through l10n.t: a string literal, or a template whose own words are more
 * than the product name (`C2M: ${why}` is fine, `C2M: no profile ${x}` is not). Under the editor folders (host, ui, commands,
 * integrations, lsp) and the composition root.
 */
export function untranslatedShows(): string[] {
  const files = [
    ...['host', 'ui', 'commands', 'integrations', 'lsp'].flatMap((folder) => sourceFiles(path.join(SOURCES, folder))),
    ...fs
      .readdirSync(SOURCES)
      .filter((name) => name.endsWith('.ts'))
      .map((name) => path.join(SOURCES, name)),
  ];
  const found: string[] = [];
  const wordy = (text: string): boolean =>
    /[A-Za-z]{2,}/.test(text.replace(/\bC2M\b/g, '').replace(/\$\([\w-]+\)/g, ''));
  for (const file of files) {
    const source = ts.createSourceFile(
      file,
      fs.readFileSync(file, 'utf8'),
      ts.ScriptTarget.ES2022,
      true,
      ts.ScriptKind.TS,
    );
    const visit = (node: ts.Node): void => {
      if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        SHOWS.test(node.expression.name.text)
      ) {
        const owner = node.expression.expression;
        const ownerName = ts.isIdentifier(owner)
          ? owner.text
          : ts.isPropertyAccessExpression(owner)
            ? owner.name.text
            : '';
        if (SHOWERS.test(ownerName)) {
          for (const arg of node.arguments.slice(0, 2)) {
            const literal =
              ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)
                ? arg.text
                : ts.isTemplateExpression(arg)
                  ? [arg.head.text, ...arg.templateSpans.map((span) => span.literal.text)].join(' ')
                  : undefined;
            if (literal !== undefined && wordy(literal)) {
              const { line } = source.getLineAndCharacterOfPosition(arg.getStart(source));
              found.push(`${path.relative(ROOT, file)}:${line + 1}: ${arg.getText(source).slice(0, 80)}`);
            }
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

/** The English bundle the calls call for, in the order they appear. */
export function expectedBundle(
  calls: readonly L10nCall[],
): Record<string, string | { message: string; comment: string[] }> {
  const bundle: Record<string, string | { message: string; comment: string[] }> = {};
  for (const c of calls) bundle[c.key] ??= c.comment ? { message: c.message, comment: [c.comment] } : c.message;
  return bundle;
}

if (require.main === module && process.argv.includes('--write')) {
  const { calls, problems } = extractCalls();
  if (problems.length) {
    console.error(problems.join('\n'));
    process.exit(1);
  }
  const bundle = expectedBundle(calls);
  fs.mkdirSync(path.dirname(BUNDLE), { recursive: true });
  fs.writeFileSync(BUNDLE, JSON.stringify(bundle, null, 2) + '\n');
  console.log(`${path.relative(ROOT, BUNDLE)}: ${Object.keys(bundle).length} strings`);
}
