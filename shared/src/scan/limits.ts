// Bounds of the shared scans. The server's parsers use the same line bound (server/src/parse/limits.ts takes it from
// here), so the editor features, the workspace scan and the streamed scans look at the same part of a long line.

/** Characters of one line searched for tokens: a 15 MB minified line costs at most this much per scan. */
export const MAX_LINE_SCAN = 1_000_000;

/** A JWT payload segment longer than this is not decoded (claims are small; a huge one is not a token we issued). */
export const MAX_DECODE_SEGMENT = 16 * 1024;
