// What a log line or notice says of a caught error. No vscode import: the notifier's texts are tested under mocha.

/** The error's message, or nothing of a thrown non-Error (it may hold anything). */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : 'unknown error';
}
