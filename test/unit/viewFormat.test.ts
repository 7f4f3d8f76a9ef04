// The presentation rules of the tree and the status bar, without VS Code: countdowns, masking, states and colours.
import * as assert from 'node:assert/strict';
import type { TokenInfo } from '../../client/src/core/tokenService';
import {
  cannotRevokeNote,
  displayStatus,
  formatAgo,
  formatCountdown,
  formatTimeLeft,
  maskTokenId,
  statusBarModel,
  statusLook,
  tokenContextValue,
  tokenDescription,
  tokenSummary,
  formatRelative,
  formatWhen,
  isFreshlyIssued,
  profileContextValue,
  profileDescription,
} from '../../client/src/ui/viewFormat';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const RULES = { refreshFraction: 0.8, longWarningMs: 7 * DAY };

function token(over: Partial<TokenInfo> = {}): TokenInfo {
  return {
    profileId: 'sandbox',
    kind: 'short',
    tokenId: 'tok_st_9f3d2c',
    fingerprint: '0123456789abcdef',
    scopes: ['jobs:*'],
    issuedAt: NOW,
    expiresAt: NOW + 15 * MIN,
    status: 'valid',
    ...over,
  };
}

describe('view formatting', () => {
  describe('formatCountdown', () => {
    it('shows mm:ss, rounding partial seconds up so a fresh 15-minute token reads 15:00', () => {
      assert.equal(formatCountdown(15 * MIN), '15:00');
      assert.equal(formatCountdown(15 * MIN - 1), '15:00');
      assert.equal(formatCountdown(14 * MIN + 59_000), '14:59');
      assert.equal(formatCountdown(9_000), '00:09');
    });
    it('adds hours past an hour and never goes negative', () => {
      assert.equal(formatCountdown(62 * MIN + 3_000), '1:02:03');
      assert.equal(formatCountdown(-5_000), '00:00');
    });
  });

  it('formatTimeLeft is coarse for long-term tokens', () => {
    assert.equal(formatTimeLeft(30 * DAY + 5), '30 days left');
    assert.equal(formatTimeLeft(DAY), '1 day left');
    assert.equal(formatTimeLeft(5 * 60 * MIN), '5 h left');
    assert.equal(formatTimeLeft(12 * MIN), '12 min left');
    assert.equal(formatTimeLeft(10_000), '1 min left');
    assert.equal(formatTimeLeft(0), 'expired');
  });

  it('formatAgo', () => {
    assert.equal(formatAgo(10_000), 'just now');
    assert.equal(formatAgo(3 * MIN), '3 min ago');
    assert.equal(formatAgo(2 * DAY), '2 days ago');
  });

  describe('maskTokenId', () => {
    it('keeps the kind prefix and two characters at each end', () => {
      assert.equal(maskTokenId('tok_lt_b8e0aa91'), 'tok_lt_b8…91');
      assert.equal(maskTokenId('tok_st_9f3d2c7e'), 'tok_st_9f…7e');
    });
    it('leaves short ids whole and names a missing one', () => {
      assert.equal(maskTokenId('tok_lt_b8e0aa'), 'tok_lt_b8e0aa');
      assert.equal(maskTokenId(''), '(no id)');
    });
  });

  describe('displayStatus', () => {
    it('moves a valid token to expiring, then expired, as time passes', () => {
      const t = token();
      assert.equal(displayStatus(t, NOW, RULES), 'valid');
      assert.equal(displayStatus(t, NOW + 12 * MIN + 1, RULES), 'expiring', 'past 80% of its 15 minutes');
      assert.equal(displayStatus(t, NOW + 15 * MIN, RULES), 'expired');
      const long = token({ kind: 'long', expiresAt: NOW + 30 * DAY });
      assert.equal(displayStatus(long, NOW + 23 * DAY - 1, RULES), 'valid');
      assert.equal(displayStatus(long, NOW + 23 * DAY, RULES), 'expiring', 'within the 7-day warning');
      assert.equal(displayStatus(long, NOW + 23 * DAY, { ...RULES, longWarningMs: 0 }), 'valid', 'warning off');
    });
    it('never upgrades revoked or error, and a missing token is none', () => {
      assert.equal(displayStatus(token({ status: 'revoked' }), NOW, RULES), 'revoked');
      assert.equal(displayStatus(token({ status: 'error' }), NOW, RULES), 'error');
      assert.equal(displayStatus(token({ status: 'error' }), NOW + 16 * MIN, RULES), 'expired');
      assert.equal(displayStatus(undefined, NOW, RULES), 'none');
    });
  });

  it('maps every state to a codicon, a theme colour and a menu context value', () => {
    const states = ['none', 'valid', 'expiring', 'expired', 'revoked', 'error'] as const;
    const icons = new Set(states.map((s) => statusLook(s, 'short').icon));
    assert.equal(icons.size, states.length, 'each state has its own icon');
    assert.equal(statusLook('valid', 'long').color, 'testing.iconPassed');
    assert.equal(statusLook('expiring', 'short').color, 'list.warningForeground');
    assert.equal(statusLook('revoked', 'short').color, 'list.errorForeground');
    assert.equal(tokenContextValue('long', 'valid'), 'c2m.longToken.valid');
    assert.equal(tokenContextValue('short', 'expired'), 'c2m.shortToken.expired');
    // A short-term node says when its profile has no long-term token to refresh it with (after Sign Out, a revoke).
    assert.equal(tokenContextValue('short', 'revoked', 'valid'), 'c2m.shortToken.revoked');
    assert.equal(tokenContextValue('short', 'none', 'none'), 'c2m.shortToken.none.noLong');
    assert.equal(tokenContextValue('short', 'expired', 'revoked'), 'c2m.shortToken.expired.noLong');
    assert.equal(
      tokenContextValue('short', 'valid', 'revoked'),
      'c2m.shortToken.valid',
      'a live one keeps its buttons',
    );
    assert.equal(tokenContextValue('long', 'none', 'none'), 'c2m.longToken.none');
  });

  it('describes tokens in the tree by what changes only (time left first, short enough for the default side bar)', () => {
    const short = token({ tokenId: 'tok_st_9f3d2c7e' });
    assert.equal(tokenDescription(short, 'valid', NOW + MIN), '14:00 left');
    const long = token({
      kind: 'long',
      tokenId: 'tok_lt_b8e0aa91',
      scopes: ['jobs:*', 'tokens:*'],
      expiresAt: NOW + 30 * DAY,
    });
    assert.equal(tokenDescription(long, 'valid', NOW + 5 * MIN), '30 days left', 'issued minutes ago: rounded');
    assert.equal(tokenDescription({ ...long, expiresAt: NOW + 23 * DAY }, 'expiring', NOW + DAY), '22 days left');
    assert.equal(tokenDescription(short, 'revoked', NOW), 'revoked');
    assert.equal(tokenDescription(short, 'expired', NOW + 18 * MIN), 'expired 3 min ago');
    assert.equal(tokenDescription({ ...short, status: 'error' }, 'error', NOW), 'refresh failed');
    assert.equal(tokenDescription(undefined, 'none', NOW), 'not issued');
    // "Short-term token" and its description fit the default side bar (about 34 characters beside the icons).
    for (const status of ['valid', 'expired', 'error'] as const) {
      assert.ok(`Short-term token ${tokenDescription(short, status, NOW + 18 * MIN)}`.length <= 34, status);
    }
  });

  it('says a long-term token was issued just now for its first minute (a rotated one has the same days left)', () => {
    const long = token({ kind: 'long', tokenId: 'tok_lt_b8e0aa91', expiresAt: NOW + 30 * DAY });
    assert.equal(tokenDescription(long, 'valid', NOW), 'issued just now · 30 days left');
    assert.equal(tokenDescription(long, 'valid', NOW + MIN - 1), 'issued just now · 30 days left');
    assert.equal(tokenDescription(long, 'valid', NOW + MIN), '30 days left');
    assert.equal(isFreshlyIssued(long, NOW + MIN - 1), true);
    assert.equal(isFreshlyIssued(long, NOW + MIN), false, 'the tree re-draws the row then');
    assert.equal(isFreshlyIssued(long, NOW - 1), false, 'a clock set back claims nothing');
    assert.equal(isFreshlyIssued(token(), NOW), false, 'a short-term token has its countdown');
    assert.equal(tokenDescription(long, 'revoked', NOW), 'revoked');
    assert.equal(tokenSummary(long, 'valid', NOW), 'issued just now · 30 days left · tok_lt_b8…91 · jobs:*');
  });

  it('gives moments in local time, how far away, and UTC', () => {
    const local = (d: Date): string => `local(${d.getTime()})`;
    assert.equal(
      formatWhen(NOW + 14 * MIN, NOW, local),
      `local(${NOW + 14 * MIN}) (in 14 min; 2026-01-01T12:14:00.000Z)`,
    );
    assert.equal(
      formatWhen(NOW - 3 * MIN, NOW, local),
      `local(${NOW - 3 * MIN}) (3 min ago; 2026-01-01T11:57:00.000Z)`,
    );
    assert.equal(formatRelative(30 * DAY), 'in 30 days');
    assert.equal(formatRelative(2 * 60 * MIN), 'in 2 h');
    assert.equal(formatRelative(10_000), 'in less than a minute');
  });

  it('summarises tokens by time left, masked id and scopes where there is room, never by value', () => {
    const short = token({ tokenId: 'tok_st_9f3d2c7e' });
    assert.equal(tokenSummary(short, 'valid', NOW + MIN), '14:00 left · tok_st_9f…7e · jobs:*');
    const long = token({
      kind: 'long',
      tokenId: 'tok_lt_b8e0aa91',
      scopes: ['jobs:*', 'tokens:*'],
      expiresAt: NOW + 30 * DAY,
    });
    assert.equal(tokenSummary(long, 'valid', NOW + 5 * MIN), '30 days left · tok_lt_b8…91 · jobs:* tokens:*');
    assert.equal(tokenSummary(short, 'revoked', NOW), 'revoked · tok_st_9f…7e · jobs:*');
    assert.equal(
      tokenSummary({ ...short, status: 'error' }, 'error', NOW),
      '15:00 left · refresh failed · tok_st_9f…7e · jobs:*',
    );
    assert.equal(tokenSummary(undefined, 'none', NOW), 'not issued');
  });

  it('describes a profile by whether it is active, and tells menus its mechanism', () => {
    assert.equal(profileDescription(true), 'active');
    assert.equal(profileDescription(false), '');
    assert.equal(profileContextValue('assertion'), 'c2m.profile.assertion');
  });

  describe('statusBarModel', () => {
    const long = token({ kind: 'long', tokenId: 'tok_lt_b8e0aa', expiresAt: NOW + 30 * DAY });
    it('shows the profile and the countdown of a live short-term token', () => {
      const m = statusBarModel('Sandbox', token({ expiresAt: NOW + 14 * MIN + 59_000 }), long, NOW, RULES);
      assert.equal(m.text, '$(key) Sandbox 14:59');
      assert.equal(m.severity, 'normal');
    });
    it('warns when the short-term token is past its refresh point or the long-term one is about to expire', () => {
      assert.equal(statusBarModel('Sandbox', token(), long, NOW + 13 * MIN, RULES).severity, 'warning');
      const ending = token({ kind: 'long', expiresAt: NOW + 2 * DAY });
      assert.equal(statusBarModel('Sandbox', token(), ending, NOW, RULES).severity, 'warning');
    });
    it('is an error when the long-term token ran out, and the click issues a new one', () => {
      const expired = token({ kind: 'long', expiresAt: NOW - MIN });
      const m = statusBarModel('Prod', undefined, expired, NOW, RULES);
      assert.equal(m.text, '$(key) Prod: expired');
      assert.equal(m.severity, 'error');
      assert.equal(m.needsIssue, true);
    });
    it('a revoked long-term token is no token: neutral, with Issue as the click (no colour left from before)', () => {
      const revoked = token({ kind: 'long', status: 'revoked', expiresAt: NOW + 30 * DAY });
      const m = statusBarModel('Prod', token({ status: 'revoked' }), revoked, NOW, RULES);
      assert.deepEqual(
        { text: m.text, severity: m.severity, needsIssue: m.needsIssue },
        { text: '$(key) Prod: no token', severity: 'normal', needsIssue: true },
      );
      assert.match(m.tooltip, /Long-term token: revoked · tok_st_9f3d2c/);
    });
    it('says so when no token was issued and when no profile is active', () => {
      const none = statusBarModel('Prod', undefined, undefined, NOW, RULES);
      assert.deepEqual([none.text, none.severity, none.needsIssue], ['$(key) Prod: no token', 'normal', true]);
      assert.equal(statusBarModel(undefined, undefined, undefined, NOW, RULES).text, '$(key) C2M');
      assert.equal(statusBarModel('Sandbox', token(), long, NOW, RULES).needsIssue, false);
    });
    it('a revoked short-term token is said, in no warning colour (the next use gets a new one); an expired one warns', () => {
      const revokedShort = statusBarModel('Sandbox', token({ status: 'revoked' }), long, NOW, RULES);
      assert.equal(revokedShort.text, '$(key) Sandbox: short-term revoked');
      assert.equal(revokedShort.severity, 'normal');
      assert.equal(revokedShort.needsIssue, false);
      const expiredShort = statusBarModel('Sandbox', token(), long, NOW + 16 * MIN, RULES);
      assert.equal(expiredShort.text, '$(key) Sandbox: short-term expired');
      assert.equal(expiredShort.severity, 'warning');
      const ending = token({ kind: 'long', expiresAt: NOW + 2 * DAY });
      assert.equal(statusBarModel('Sandbox', token({ status: 'revoked' }), ending, NOW, RULES).severity, 'warning');
    });
  });
});

describe('view format: profiles that cannot revoke', () => {
  const long = (scopes: string[], over: Partial<TokenInfo> = {}): TokenInfo =>
    token({ kind: 'long', scopes, expiresAt: NOW + 30 * DAY, ...over });

  it('marks a profile whose live long-term token lacks tokens:revoke, whatever the settings ask', () => {
    assert.match(
      cannotRevokeNote('Prod', ['jobs:*', 'tokens:revoke'], long(['jobs:*']), NOW) ?? '',
      /"Prod" lacks tokens:revoke/,
    );
    assert.equal(cannotRevokeNote('Prod', ['jobs:*'], long(['jobs:*', 'tokens:*']), NOW), undefined);
  });

  it('judges from the configured scopes when no long-term token is live', () => {
    assert.match(
      cannotRevokeNote('Prod', ['jobs:*'], undefined, NOW) ?? '',
      /stays valid at the server until it expires/,
    );
    assert.equal(cannotRevokeNote('Prod', ['*'], long(['jobs:*'], { status: 'revoked' }), NOW), undefined);
  });
});
