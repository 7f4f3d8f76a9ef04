// Document sync without token values: LSP traces (c2m.trace.server) are logged verbatim, so what the client sends
// holds stand-ins (same length, the token's fingerprint in place of its signature) instead of tokens' secret parts,
// and no value the extension holds in any spelling (serverText.ts). didOpen sends the redacted text; didChange
// widens each change to whole lines and sends those lines redacted, so a token typed or pasted in pieces never
// crosses in pieces either.
import * as vscode from 'vscode';
import { serverText, type Held, type HeldSpanFinder } from './serverText';

/** The document as the server should see it: the same object with getText() redacted. */
export function redactedDocument(document: vscode.TextDocument, held: Held, find: HeldSpanFinder): vscode.TextDocument {
  const text = serverText(document.getText(), held, find);
  return Object.create(document, {
    getText: { value: (range?: vscode.Range) => (range ? serverText(document.getText(range), held, find) : text) },
  }) as vscode.TextDocument;
}

function newlines(text: string): number {
  let n = 0;
  for (let p = text.indexOf('\n'); p !== -1; p = text.indexOf('\n', p + 1)) n++;
  return n;
}

/**
 * One change replacing the whole lines the event touched (old coordinates) with those lines' new text, redacted.
 * The old end line keeps its line break: the replaced range stops before it (a character past the line end clamps).
 */
export function redactedChange(
  event: vscode.TextDocumentChangeEvent,
  held: Held,
  find: HeldSpanFinder,
): vscode.TextDocumentChangeEvent {
  if (event.contentChanges.length === 0) return event;
  let startLine = Number.MAX_SAFE_INTEGER;
  let oldEndLine = 0;
  let delta = 0;
  for (const c of event.contentChanges) {
    startLine = Math.min(startLine, c.range.start.line);
    oldEndLine = Math.max(oldEndLine, c.range.end.line);
    delta += newlines(c.text) - (c.range.end.line - c.range.start.line);
  }
  const doc = event.document;
  const newEndLine = Math.min(doc.lineCount - 1, oldEndLine + delta);
  const text = serverText(
    doc.getText(new vscode.Range(startLine, 0, newEndLine, doc.lineAt(newEndLine).text.length)),
    held,
    find,
  );
  const range = new vscode.Range(startLine, 0, oldEndLine, Number.MAX_SAFE_INTEGER);
  return {
    document: event.document,
    reason: event.reason,
    contentChanges: [{ range, rangeOffset: 0, rangeLength: 0, text }],
  };
}
