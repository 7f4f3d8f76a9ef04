// When a client command the language server offered may be handed an id, and when that id may run. Another
// extension in the same host can call vscode.execute*Provider on a document of its own and run the command it gets
// back, so an id alone proves nothing: what the editor looks like must be what a real accept leaves behind. The
// window is focused (no extension can focus it), the document is the active editor's, and the cursor is where the
// accepted suggestion or the quick fix put it. An extension acting while the user works in this window can still fake
// the editor part (it can show its document and move the cursor); the focus it cannot. Pure, no vscode import.
import { ClientCommands } from '@shared/protocol/clientCommands';

/** Where the command's id was handed out. */
export type Source = 'completion' | 'codeAction' | 'codeLens';

export interface Pos {
  line: number;
  character: number;
}

export interface PlainRange {
  start: Pos;
  end: Pos;
}

/** The window and its active editor, as they are when asked. */
export interface Presence {
  focused: boolean;
  activeUri?: string;
  /** The active editor's primary selection; `active` is where the cursor is. */
  selection?: PlainRange & { active: Pos };
}

/** What an id was minted for. */
export interface Bound {
  uri: string;
  source: Source;
  /** For a code action: the range it was asked for (the selection when the light bulb or Ctrl+. asked). */
  at?: PlainRange;
}

/** How long a completion's or quick fix's id works: longer than any suggest list or light bulb stays open in use. */
export const OFFER_TTL_MS = 2 * 60_000;

/**
 * Whether an id may be handed out for a command on `uri` now: completions and quick fixes only for the active
 * editor's document of a focused window (where the suggest widget and light bulb are). Lenses are drawn for every
 * visible editor, and redrawn only when their text changes; their commands ask the user in a modal dialog instead.
 */
export function mayOffer(source: Source, uri: string, p: Presence, shown: boolean): boolean {
  if (source === 'codeLens') return shown;
  return p.focused && p.activeUri === uri;
}

function before(a: Pos, b: Pos): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

/** Whether two ranges share a position (ends included: a cursor right at a token's end is on it). */
function touches(a: PlainRange, b: PlainRange): boolean {
  return before(a.start, b.end) && before(b.start, a.end);
}

function isEmpty(r: PlainRange): boolean {
  return r.start.line === r.end.line && r.start.character === r.end.character;
}

function rangeArg(args: unknown): PlainRange | undefined {
  const r =
    typeof args === 'object' && args !== null && 'range' in args ? (args as { range: unknown }).range : undefined;
  if (typeof r !== 'object' || r === null) return undefined;
  const { start, end } = r as Partial<PlainRange>;
  const ok = (p: Pos | undefined): p is Pos => typeof p?.line === 'number' && typeof p.character === 'number';
  return ok(start) && ok(end) ? { start, end } : undefined;
}

/** Why the command may not run now (undefined: it may). `args` are the server's, kept under the id. */
export function refusal(command: string, bound: Bound, args: unknown, p: Presence): string | undefined {
  if (!p.focused) return 'the window is not focused';
  // A lens is clicked in any visible editor, and the command asks the user (modal) before it does anything.
  if (bound.source === 'codeLens') return undefined;
  if (p.activeUri !== bound.uri) return 'its document is not the active editor';
  const selection = p.selection;
  if (!selection) return 'no cursor in the active editor';
  switch (command) {
    case ClientCommands.insertToken: {
      // Accepting the suggestion leaves the cursor right after what it inserted: the placeholder's end.
      const placeholder = rangeArg(args);
      if (!placeholder) return 'the completion names no placeholder';
      const at = selection.active;
      const onIt =
        isEmpty(selection) &&
        at.line === placeholder.start.line &&
        before(placeholder.start, at) &&
        before(at, placeholder.end);
      return onIt ? undefined : 'the cursor is not at the placeholder the accepted completion put in';
    }
    case ClientCommands.replaceToken:
    case ClientCommands.useProfileToken:
    case ClientCommands.removeToken: {
      const token = rangeArg(args);
      return token && touches(selection, token)
        ? undefined
        : 'the cursor is not on the token the quick fix was offered for';
    }
    case ClientCommands.replaceStaleTokens:
      return bound.at && touches(selection, bound.at) ? undefined : 'the cursor is not where the quick fix was offered';
    default:
      // Moving a literal, revoking (which asks in a modal dialog) and the .gitignore fix need no cursor.
      return undefined;
  }
}
