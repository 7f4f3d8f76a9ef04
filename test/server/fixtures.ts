// Fixture files for the whole-server tests: `<<name>>` placeholders are swapped for generated tokens, and a `$0`
// marker gives the cursor position (removed from the text).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Position } from 'vscode-languageserver-protocol';

export const FIXTURES = path.join(__dirname, '..', 'fixtures', 'lsp');

export interface Fixture {
  text: string;
  cursor?: Position;
}

export function positionOf(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

export function fromText(raw: string, tokens: Record<string, string> = {}): Fixture {
  let text = raw.replace(/<<(\w+)>>/g, (_m, name: string) => {
    const value = tokens[name];
    if (value === undefined) throw new Error(`fixture placeholder without a token: ${name}`);
    return value;
  });
  const marker = text.indexOf('$0');
  if (marker === -1) return { text };
  text = text.slice(0, marker) + text.slice(marker + 2);
  return { text, cursor: positionOf(text, marker) };
}

export function loadFixture(name: string, tokens: Record<string, string> = {}): Fixture {
  return fromText(readFileSync(path.join(FIXTURES, name), 'utf8'), tokens);
}

/** The range of the first occurrence of `needle` in `text`. */
export function rangeOf(text: string, needle: string): { start: Position; end: Position } {
  const at = text.indexOf(needle);
  if (at === -1) throw new Error('needle not in text');
  return { start: positionOf(text, at), end: positionOf(text, at + needle.length) };
}
