// What a Leak Scan finding's token is now: active, long-term, expired, revoked or unknown, from what the window knows
// of it by fingerprint (the tokens the engine holds and the ones this window saw before) and the clock. A scan only
// says where a token is; its state changes after the scan (revoked, rotated away, expired), so the view decides it
// again on every change of the engine's tokens and when a token it shows runs out (redecide). No vscode import here:
// the rules run under plain mocha.
import type { TokenInfo } from '../../core/tokenService';
import type { ScanFinding } from '@shared/protocol/scan';
import { DEFAULT_EXPIRY_RULES, judgeToken } from '@shared/judgement';

export type LeakStatus = 'active' | 'expired' | 'revoked' | 'long-term' | 'unknown';

/** Where a finding outside the workspace's files is: a commit of the git history, or a request tool's history. */
export type LeakOrigin =
  | { kind: 'git'; commit: string; path: string }
  | { kind: 'restClient' | 'localHistory'; file: string; entry: string; about: string };

export interface LeakFinding extends ScanFinding {
  status: LeakStatus;
  /** Set when the token is one of ours (by fingerprint). */
  profileId?: string;
  kind?: 'long' | 'short';
  /** Absent for a finding in a workspace file (the only ones Replace and Move to .env act on). */
  origin?: LeakOrigin;
}

export type FindingState = Pick<LeakFinding, 'status' | 'profileId' | 'kind'>;

/** The known tokens by fingerprint (the first entry wins: the tokens held now come before the remembered ones). */
class Known {
  private readonly byFingerprint = new Map<string, TokenInfo>();
  private readonly longs = new Map<string, TokenInfo[]>();

  constructor(known: readonly TokenInfo[]) {
    for (const t of known) {
      if (!this.byFingerprint.has(t.fingerprint)) this.byFingerprint.set(t.fingerprint, t);
      if (t.kind === 'long') this.longs.set(t.profileId, [...(this.longs.get(t.profileId) ?? []), t]);
    }
  }

  of(fingerprint: string): TokenInfo | undefined {
    return this.byFingerprint.get(fingerprint);
  }

  /**
   * Whether the long-term token a short-term one came from is revoked. Its parent is the profile's latest long-term
   * token issued at or before it (the rule the window's token memory applies). When the window knows none that old but
   * a later one, the parent was replaced before this window saw it: by a rotation or a new issue, which revoke the
   * old one. The engine shows such a short-term token as expiring (replaced on next use), but the server revoked it
   * with its long-term token.
   */
  parentRevoked(short: TokenInfo): boolean {
    let parent: TokenInfo | undefined;
    let later = false;
    for (const l of this.longs.get(short.profileId) ?? []) {
      if (l.issuedAt > short.issuedAt) later = true;
      else if (!parent || l.issuedAt > parent.issuedAt) parent = l;
    }
    return parent ? parent.status === 'revoked' : later;
  }
}

function decide(
  finding: Pick<ScanFinding, 'fingerprint' | 'shape' | 'expiresAt'>,
  known: Known,
  now: number,
): FindingState {
  const ours = known.of(finding.fingerprint);
  if (ours) {
    const base = { profileId: ours.profileId, kind: ours.kind };
    // The judgement the tree and the hover apply (expiring or not does not matter here: it still works).
    const verdict = judgeToken(
      { kind: ours.kind, issuedAt: ours.issuedAt, expiresAt: ours.expiresAt, revoked: ours.status === 'revoked' },
      now,
      DEFAULT_EXPIRY_RULES,
    );
    if (verdict === 'revoked' || verdict === 'expired') return { ...base, status: verdict };
    if (ours.kind === 'short' && known.parentRevoked(ours)) return { ...base, status: 'revoked' };
    return { ...base, status: ours.kind === 'long' ? 'long-term' : 'active' };
  }
  if (finding.shape === 'longTerm') return { status: 'long-term' };
  if (finding.expiresAt !== undefined && finding.expiresAt <= now) return { status: 'expired' };
  return { status: 'unknown' };
}

export function statusOf(
  finding: Pick<ScanFinding, 'fingerprint' | 'shape' | 'expiresAt'>,
  known: readonly TokenInfo[],
  now: number,
): FindingState {
  return decide(finding, new Known(known), now);
}

/**
 * Decides every finding's state again, in place (the view and the scan's result hold the same objects), and says
 * whether any changed and when the next one may change by time alone (a token shown working reaches its expiry).
 * Revocation is final: a finding shown revoked stays revoked, even once the window's memory forgot the token.
 */
export function redecide(
  findings: Iterable<LeakFinding>,
  known: readonly TokenInfo[],
  now: number,
): { changed: boolean; nextChangeAt: number | undefined } {
  const index = new Known(known);
  let changed = false;
  let nextChangeAt: number | undefined;
  for (const f of findings) {
    if (f.status === 'revoked') continue;
    const next = decide(f, index, now);
    if (next.status !== f.status || next.profileId !== f.profileId || next.kind !== f.kind) {
      changed = true;
      f.status = next.status;
      if (next.profileId === undefined) delete f.profileId;
      else f.profileId = next.profileId;
      if (next.kind === undefined) delete f.kind;
      else f.kind = next.kind;
    }
    if (f.status === 'revoked' || f.status === 'expired') continue;
    const expiresAt = index.of(f.fingerprint)?.expiresAt ?? f.expiresAt;
    if (expiresAt !== undefined && expiresAt > now && (nextChangeAt === undefined || expiresAt < nextChangeAt))
      nextChangeAt = expiresAt;
  }
  return { changed, nextChangeAt };
}

/** Whether clearing a request history removes an entry holding this token: one of ours, or one that may still work. */
export function isLiveOrKnown(finding: Pick<LeakFinding, 'status' | 'profileId'>): boolean {
  return (
    finding.profileId !== undefined ||
    finding.status === 'active' ||
    finding.status === 'long-term' ||
    finding.status === 'unknown'
  );
}
