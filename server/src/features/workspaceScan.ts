// The workspace leak scan's server half: reads the files the client names (so contents never cross the connection),
// finds tokens with the same linear-time scanner as the editor features, and answers where each one is, its
// fingerprint and its unverified jti/exp. Bounded by file size, line scan length and a total number of findings.
import { promises as fs } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ScanFilesParams, ScanFilesResult, ScanFinding } from '@shared/protocol/scan';
import { tokenFingerprint } from '@shared/tokens/fingerprint';
import { releaseScannedText, TokenScanner, type TokenSpan } from '@shared/tokens/grammar';
import { decodeJwt, tokenIdOf } from '../parse/jwtDecode';
import { MAX_LINE_SCAN } from '../parse/limits';
import { lineAt } from '../parse/lines';

/** The findings of one file's text, at most `budget`. */
export function scanText(uri: string, text: string, budget: number): ScanFinding[] {
  const out: ScanFinding[] = [];
  const scanner = new TokenScanner(text);
  const hits: TokenSpan[] = [];
  let line = 0;
  for (let start = 0; start <= text.length && out.length < budget; line++) {
    const span = lineAt(text, start);
    hits.length = 0;
    scanner.scanLine(span.start, span.end, MAX_LINE_SCAN, budget - out.length, hits);
    for (const hit of hits) {
      const value = text.slice(hit.start, hit.end);
      const finding: ScanFinding = {
        uri,
        range: { start: { line, character: hit.start - span.start }, end: { line, character: hit.end - span.start } },
        shape: hit.kind === 'longTerm' ? 'longTerm' : 'jwt',
        fingerprint: tokenFingerprint(value),
      };
      if (hit.kind === 'jwt') {
        const decoded = decodeJwt(value);
        const tokenId = decoded.payload ? tokenIdOf(decoded.payload) : undefined;
        if (tokenId !== undefined) finding.tokenId = tokenId.slice(0, 200);
        if (decoded.expiresAt !== undefined) finding.expiresAt = decoded.expiresAt;
      }
      out.push(finding);
    }
    start = span.next;
  }
  releaseScannedText();
  return out;
}

/** A NUL in the first 8 kB: a binary file, not searched (tokens in it would not be edited by hand anyway). */
function looksBinary(bytes: Buffer): boolean {
  return bytes.subarray(0, 8192).includes(0);
}

export async function scanFiles(params: ScanFilesParams, readFile: (path: string) => Promise<Buffer> = fs.readFile): Promise<ScanFilesResult> {
  const result: ScanFilesResult = { findings: [], skipped: [], truncated: false };
  for (const uri of params.uris) {
    if (result.findings.length >= params.maxFindings) {
      result.truncated = true;
      break;
    }
    let bytes: Buffer;
    try {
      const path = fileURLToPath(uri);
      const stat = await fs.stat(path);
      if (stat.size > params.maxFileBytes) {
        result.skipped.push({ uri, reason: `larger than ${params.maxFileBytes} bytes` });
        continue;
      }
      bytes = await readFile(path);
    } catch (error) {
      result.skipped.push({ uri, reason: error instanceof Error && 'code' in error ? String(error.code) : 'unreadable' });
      continue;
    }
    if (looksBinary(bytes)) {
      result.skipped.push({ uri, reason: 'binary' });
      continue;
    }
    result.findings.push(...scanText(uri, bytes.toString('utf8'), params.maxFindings - result.findings.length));
  }
  return result;
}
