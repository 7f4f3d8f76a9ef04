// One token finding, judged against the token state and the clock: which profile, which kind, which state.
// Shared by every feature so hover, lens, diagnostics and quick fixes always agree.
import type { Range } from 'vscode-languageserver-protocol';
import { blockIndexAt, type Analysis } from '../analysis';
import { claimTimesAt } from '../parse/jwtDecode';
import type { Block, ClaimTimes, TokenFinding } from '../parse/model';
import { expiringMarginMs, judgeToken } from '@shared/judgement';
import type { TokenSummary } from '@shared/protocol/tokenState';
import { tokenFingerprint } from '@shared/tokens/fingerprint';
import { standInFingerprint } from '@shared/tokens/standIns';
import { mayBeKnownJwt, type TokenSnapshot } from '../tokenStateStore';

export type TokenCondition = 'valid' | 'expiring' | 'expired' | 'revoked' | 'unknown';

export interface ClassifiedToken extends Judgement {
  finding: TokenFinding;
  range: Range;
  /** Computed on first read: hashing every token of a big file is wasted when nothing asks. */
  readonly fingerprint: string;
}

/** The token's text, read from the document: findings hold positions, not values. */
export function valueOf(text: string, block: Block, f: TokenFinding): string {
  const at = block.startOffset + f.offset;
  return text.slice(at, at + (f.end - f.start));
}

function fingerprintOf(text: string, block: Block, f: TokenFinding): string {
  if (f.fingerprint === undefined) {
    // The client syncs stand-ins that carry the fingerprint; a file opened by another client holds the real value.
    const value = valueOf(text, block, f);
    f.fingerprint = standInFingerprint(value) ?? tokenFingerprint(value);
  }
  return f.fingerprint;
}

const NO_CLAIMS: ClaimTimes = Object.freeze({ expiresAt: null, issuedAt: null });

/** Expiry and issue times claimed by a JWT (unverified), memoised on the finding as two numbers. */
function claimsOf(text: string, block: Block, f: TokenFinding): ClaimTimes {
  if (f.claims === undefined) {
    const at = block.startOffset + f.offset;
    f.claims = f.kind === 'jwt' ? claimTimesAt(text, at, at + (f.end - f.start)) : NO_CLAIMS;
  }
  return f.claims;
}

export interface Judgement {
  meta?: TokenSummary;
  kind: 'long' | 'short';
  expiresAt?: number;
  issuedAt?: number;
  condition: TokenCondition;
  /** How long before expiresAt the token becomes expiring. */
  marginMs: number;
  stale: boolean;
}

/**
 * Whether hashing can find this token among the known ones. Hashing every token of a big file is the largest cost
 * of analysis; a JWT whose claimed expiry is nowhere near any known short-term token's cannot be one of them.
 */
function mayBeKnown(text: string, block: Block, f: TokenFinding, snapshot: TokenSnapshot): boolean {
  if (snapshot.byFingerprint.size === 0) return false;
  if (f.kind !== 'jwt') return true;
  const claimed = claimsOf(text, block, f).expiresAt;
  return claimed === null || mayBeKnownJwt(snapshot, claimed);
}

/** The verdict on one finding without positions or fingerprint: cheap enough for every token of a big file. */
export function judge(text: string, block: Block, f: TokenFinding, snapshot: TokenSnapshot, now: number): Judgement {
  const meta = mayBeKnown(text, block, f, snapshot)
    ? snapshot.byFingerprint.get(fingerprintOf(text, block, f))
    : undefined;
  let kind: 'long' | 'short';
  let expiresAt: number | undefined;
  let issuedAt: number | undefined;
  if (meta) {
    kind = meta.kind;
    expiresAt = Number.isFinite(meta.expiresAt) ? meta.expiresAt : undefined;
    issuedAt = Number.isFinite(meta.issuedAt) ? meta.issuedAt : undefined;
  } else {
    kind = f.kind === 'longTerm' ? 'long' : 'short';
    const c = claimsOf(text, block, f);
    expiresAt = c.expiresAt ?? undefined;
    issuedAt = c.issuedAt ?? undefined;
  }
  const revoked = meta?.status === 'revoked';
  const judged = { kind, issuedAt, expiresAt: expiresAt ?? Number.NaN, revoked };
  const marginMs = expiringMarginMs(judged, snapshot.rules);
  const condition: TokenCondition =
    expiresAt === undefined && !revoked ? 'unknown' : judgeToken(judged, now, snapshot.rules);
  const stale = kind === 'long' || condition === 'expired' || condition === 'expiring' || condition === 'revoked';
  // One shape for every result (fields present even when undefined): this runs for every token of a file.
  return { meta, kind, expiresAt, issuedAt, condition, marginMs, stale };
}

export function rangeOf(f: TokenFinding, line: number): Range {
  return { start: { line, character: f.start }, end: { line, character: f.end } };
}

export function classify(
  text: string,
  block: Block,
  f: TokenFinding,
  snapshot: TokenSnapshot,
  now: number,
): ClassifiedToken {
  return {
    ...judge(text, block, f, snapshot, now),
    finding: f,
    range: rangeOf(f, block.startLine + f.line),
    get fingerprint() {
      return fingerprintOf(text, block, f);
    },
  };
}

/** Every token of the analysis, classified, in document order. */
export function classifyAll(analysis: Analysis, snapshot: TokenSnapshot, now: number): ClassifiedToken[] {
  const out: ClassifiedToken[] = [];
  for (const block of analysis.blocks) {
    for (const f of block.tokens) out.push(classify(analysis.text, block, f, snapshot, now));
  }
  return out;
}

/** The finding under a position, if any. */
export function findingAt(
  analysis: Analysis,
  line: number,
  character: number,
): { block: Block; finding: TokenFinding } | undefined {
  const block = analysis.blocks[blockIndexAt(analysis.blocks, line)];
  if (!block) return undefined;
  for (const finding of block.tokens) {
    if (block.startLine + finding.line === line && character >= finding.start && character <= finding.end)
      return { block, finding };
  }
  return undefined;
}

/** The next moment a token of this list changes condition (enters the margin or expires), after now. */
export function nextCrossing(t: Judgement, now: number, next: number | undefined): number | undefined {
  if (t.expiresAt === undefined || t.condition === 'revoked') return next;
  const enter = t.expiresAt - t.marginMs;
  if (enter > now && (next === undefined || enter < next)) next = enter;
  if (t.expiresAt > now && (next === undefined || t.expiresAt < next)) next = t.expiresAt;
  return next;
}

/** The token's public start and its fingerprint: enough to recognise it, nothing of its secret part. */
export function mask(value: string, fingerprint: string): string {
  return `${value.startsWith('lt_') ? 'lt_' : value.slice(0, 6)}… #${fingerprint.slice(0, 8)}`;
}
