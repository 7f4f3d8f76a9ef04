// Localised text for the modules of this folder that stay free of the vscode import, so that they also run under
// plain mocha (viewFormat.ts, notifications.ts, ...). activate() hands VS Code's l10n in before anything is shown;
// until then, and in unit tests, a message is its English source filled in the way VS Code fills it. The calls read
// `l10n.t('…', …)` exactly like `vscode.l10n.t`, so the bundle check and @vscode/l10n-dev find them the same way.
// No vscode import here.
export type L10nArg = string | number | boolean;

export interface L10n {
  t(message: string, ...args: L10nArg[]): string;
  t(message: string, args: Record<string, L10nArg>): string;
}

let current: L10n | undefined;

/** VS Code's own substitution: `{0}` by index, `{name}` by key; a placeholder without a value stays as written. */
export function fill(message: string, args: readonly L10nArg[] | Record<string, L10nArg>): string {
  const values = args as Record<string, L10nArg | undefined>;
  if (Object.keys(values).length === 0) return message;
  return message.replace(/\{([^}]+)\}/g, (whole, key: string) =>
    values[key] !== undefined ? String(values[key]) : whole,
  );
}

export const l10n: L10n = {
  t(message: string, ...rest: unknown[]): string {
    const args = (typeof rest[0] === 'object' && rest[0] !== null ? rest[0] : rest) as
      L10nArg[] | Record<string, L10nArg>;
    if (current) return Array.isArray(args) ? current.t(message, ...args) : current.t(message, args);
    return fill(message, args);
  },
};

/** Called once by activate() with vscode.l10n (undefined: back to the English source, for tests). */
export function useL10n(impl: L10n | undefined): void {
  current = impl;
}
