// Caps that keep analysis bounded on hostile files: past them the server analyses less, never crashes.

/** Characters of a document analysed at all (about 32 MB of ASCII: a 50,000-request file fits); the rest is reported as not analysed. */
export const MAX_ANALYSED_CHARS = 32 * 1024 * 1024;
/** Characters of one line searched for tokens; a minified body longer than this is searched only at its start. Shared
 * with the leak scan's streamed scanner, so both read the same part of a long line. */
export { MAX_LINE_SCAN } from '@shared/scan/limits';
/** Token findings kept per document. */
export const MAX_FINDINGS = 100_000;
/** Length of one JWT segment we try to decode (a real header or payload is a few hundred bytes). */
export { MAX_DECODE_SEGMENT } from '@shared/scan/limits';
/** Diagnostics reported per document, like other servers' maxNumberOfProblems. */
export const MAX_DIAGNOSTICS = 1_000;
