// The token operations: issue, rotate, refresh, revoke, sign out. Each runs under progress (run.ts) and asks first
// where the operation replaces or revokes something the user may still be using.
import * as vscode from 'vscode';
import type { TokenKind } from '../core/tokenService';
import type { ConfiguredProfile } from '../host/config';
import { runCommand } from '../host/runCommand';
import type { Services } from '../services';
import { maskTokenId } from '../ui/viewFormat';
import { liveToken, resolveProfile, usable } from './pickProfile';
import { canRevoke, goOnWithoutRevoking } from './revoking';
import { done, guarded, telling, withProgress } from './run';
import { targetOf, type Handler } from './types';

export function issueLongTermToken(s: Services): Handler {
  return async (arg) => {
    const entry = await resolveProfile(s, arg, vscode.l10n.t('Issue a long-term token for which profile?'));
    if (!entry || !usable(s, entry)) return undefined;
    // Issuing over a live long-term token replaces it (the old one is revoked): a second click must not do that unasked.
    const live = liveToken(s, entry.profile.id, 'long');
    if (live) {
      const replace = vscode.l10n.t('Replace It');
      const answer = await s.asker.confirm(
        vscode.l10n.t('"{0}" already has a long-term token ({1}).', entry.profile.name, live.tokenId),
        vscode.l10n.t(
          'A new one replaces it: {0} is revoked, and the short-term tokens made from it stop working. (Rotate Long-Term Token does the same.)',
          live.tokenId,
        ),
        replace,
      );
      if (answer !== replace || !(await goOnWithoutRevoking(s, entry, vscode.l10n.t('Replace')))) return undefined;
    }
    const { profile } = entry;
    return withProgress(s, profile, async (control) => {
      const info = await guarded(s, profile.id, 'issue', () =>
        s.engine.issueLongTermToken(profile.id, telling(s, profile, control)),
      );
      if (info) await guarded(s, profile.id, 'refresh', () => s.engine.getShortTermToken(profile.id, 0, control));
      return info;
    });
  };
}

export function rotateLongTermToken(s: Services): Handler {
  return async (arg) => {
    const entry = await resolveProfile(s, arg, vscode.l10n.t('Rotate the long-term token of which profile?'));
    if (!entry || !usable(s, entry)) return undefined;
    const { profile } = entry;
    const revocable = canRevoke(s, entry);
    const old = liveToken(s, profile.id, 'long');
    // Rotating revokes the current long-term token, and any extension can run this command (with a node of the
    // Tokens view too, see TokensTree.node): the user is asked in a modal, which no extension can answer. A profile
    // that cannot revoke is warned about instead: that warning's answer is the question.
    if (!revocable) {
      if (!(await goOnWithoutRevoking(s, entry, vscode.l10n.t('Rotate')))) return undefined;
    } else {
      const rotate = vscode.l10n.t('Rotate');
      const answer = await s.asker.confirm(
        vscode.l10n.t('Rotate the long-term token of "{0}"?', profile.name),
        rotationDetail(old?.tokenId),
        rotate,
      );
      if (answer !== rotate) return undefined;
    }
    // A revoke of the old token that fails is reported by the engine as it happens; the result below says so too.
    let revokeFailed = false;
    const failures = s.engine.onDidFail((failure) => {
      if (failure.profileId === profile.id && failure.operation === 'revoke') revokeFailed = true;
    });
    const info = await withProgress(s, profile, async (control) => {
      try {
        const rotated = await guarded(s, profile.id, 'rotate', () =>
          s.engine.rotateLongTermToken(profile.id, telling(s, profile, control)),
        );
        // The short-term token held now was made from the old long-term token, which the server revoked with it:
        // a new one replaces it at once (as after Issue), so nothing shows a token that no longer works.
        if (rotated) await guarded(s, profile.id, 'refresh', () => s.engine.getShortTermToken(profile.id, 0, control));
        return rotated;
      } finally {
        failures.dispose();
      }
    });
    if (!info) return undefined;
    s.notifier.info(rotatedText(profile.name, info.tokenId, old?.tokenId, revokeFailed ? 'failed' : revocable), {
      title: vscode.l10n.t('Show Token Details'),
      run: () => runCommand('c2m.revealToken', s.tree.node('token', profile.id, 'long')),
    });
    return info;
  };
}

/** What the Rotate question says happens: the new token, the revoke of the current one and of what was made from it. */
function rotationDetail(oldId: string | undefined): string {
  if (!oldId) return vscode.l10n.t('A new long-term token is issued. There is no live long-term token to revoke.');
  return vscode.l10n.t(
    'A new long-term token is issued, and the current one ({0}) is revoked at the server. The short-term tokens made from {0} stop working at once, wherever they are used (requests, .env files, terminals, other extensions); new short-term tokens are made from the new long-term token.',
    oldId,
  );
}

/** The result of a rotation, in words: the new token, and what became of the old one (revoked, or why not). */
function rotatedText(name: string, newId: string, oldId: string | undefined, revoked: boolean | 'failed'): string {
  const fresh = maskTokenId(newId);
  if (!oldId) return vscode.l10n.t('C2M: issued a new long-term token for "{0}" ({1}).', name, fresh);
  const gone = maskTokenId(oldId);
  if (revoked === 'failed')
    return vscode.l10n.t(
      'C2M: rotated the long-term token of "{0}": the new one is {1}; the old one ({2}) is not revoked yet (see the other notification).',
      name,
      fresh,
      gone,
    );
  if (!revoked)
    return vscode.l10n.t(
      'C2M: rotated the long-term token of "{0}": the new one is {1}; the old one ({2}) stays valid at the server until it expires.',
      name,
      fresh,
      gone,
    );
  return vscode.l10n.t(
    'C2M: rotated the long-term token of "{0}": the new one is {1}; the old one ({2}) is revoked.',
    name,
    fresh,
    gone,
  );
}

export function refreshShortTermToken(s: Services): Handler {
  return async (arg) => {
    const entry = await resolveProfile(s, arg, vscode.l10n.t('Refresh the short-term token of which profile?'));
    if (!entry || !usable(s, entry)) return undefined;
    const info = await withProgress(s, entry.profile, (control) =>
      guarded(s, entry.profile.id, 'refresh', () => s.engine.refreshShortTermToken(entry.profile.id, control)),
    );
    if (info) done(vscode.l10n.t('new short-term token for {0}', entry.profile.name));
    return info;
  };
}

async function kindToRevoke(
  s: Services,
  entry: ConfiguredProfile,
  given: TokenKind | undefined,
): Promise<TokenKind | undefined> {
  if (given) return given;
  const live = (['short', 'long'] as const).filter((k) => liveToken(s, entry.profile.id, k));
  if (live.length <= 1) return live[0];
  const kind = await s.asker.pick<TokenKind>({
    title: vscode.l10n.t('Revoke a token of "{0}"', entry.profile.name),
    placeholder: vscode.l10n.t('Which token?'),
    items: [
      {
        label: vscode.l10n.t('Short-term token'),
        description: vscode.l10n.t('a new one is issued on next use'),
        value: 'short',
      },
      {
        label: vscode.l10n.t('Long-term token'),
        description: vscode.l10n.t('also revokes the short-term tokens made from it'),
        value: 'long',
      },
    ],
  });
  return typeof kind === 'string' ? kind : undefined;
}

export function revokeToken(s: Services): Handler {
  return async (arg) => {
    const entry = await resolveProfile(s, arg, vscode.l10n.t('Revoke a token of which profile?'));
    if (!entry || !usable(s, entry)) return undefined;
    const kind = await kindToRevoke(s, entry, targetOf(arg).kind);
    if (!kind) return undefined;
    // A profile that cannot revoke is warned about first (its answer is the confirmation); the others are asked below.
    const revocable = canRevoke(s, entry);
    if (!revocable && !(await goOnWithoutRevoking(s, entry, vscode.l10n.t('Revoke')))) return undefined;
    const name = entry.profile.name;
    // Asked whoever runs it (the view's menus too: VS Code hands its nodes to any extension, see TokensTree.node).
    if (revocable) {
      const revoke = vscode.l10n.t('Revoke');
      const answer = await s.asker.confirm(
        kind === 'long'
          ? vscode.l10n.t('Revoke the long-term token of "{0}"?', name)
          : vscode.l10n.t('Revoke the short-term token of "{0}"?', name),
        kind === 'long'
          ? vscode.l10n.t(
              'Its short-term tokens stop working too, and so does every request, .env file, terminal or extension using one. To get tokens again you issue a new long-term token.',
            )
          : vscode.l10n.t('A new one is issued on next use.'),
        revoke,
      );
      if (answer !== revoke) return undefined;
    }
    const tokenId = s.state.token(entry.profile.id, kind)?.tokenId;
    const revoked = await withProgress(s, entry.profile, (control) =>
      guarded(s, entry.profile.id, 'revoke', async () => {
        await s.engine.revoke(entry.profile.id, kind, control);
        return true;
      }),
    );
    if (!revoked) return undefined;
    if (kind === 'long') {
      const id = tokenId ? ` (${maskTokenId(tokenId)})` : '';
      s.notifier.info(
        vscode.l10n.t('C2M: the long-term token of "{0}"{1} and its short-term tokens are revoked.', name, id),
        {
          title: vscode.l10n.t('Issue Long-Term Token'),
          run: () => runCommand('c2m.issueLongTermToken', entry.profile.id),
        },
      );
    } else {
      // A notice without buttons is drawn on one line, cut with "…" where longer: it says what happened in few words.
      // The token's id is in the log's audit trail.
      s.notifier.info(vscode.l10n.t('C2M "{0}": short-term token revoked.', name));
    }
    return kind;
  };
}

export function signOut(s: Services): Handler {
  return async (arg) => {
    const entry = await resolveProfile(s, arg, vscode.l10n.t('Sign out of which profile?'));
    if (!entry) return undefined;
    // Without tokens:revoke the one question is the warning: it says what stays valid, not "revoked where possible".
    const signOut = vscode.l10n.t('Sign Out');
    const proceed = canRevoke(s, entry)
      ? (await s.asker.confirm(
          vscode.l10n.t('Sign out of "{0}"?', entry.profile.name),
          vscode.l10n.t(
            'The long-term and short-term tokens are revoked on the server where possible and forgotten on this machine. The client secret or private key stays.',
          ),
          signOut,
        )) === signOut
      : await goOnWithoutRevoking(s, entry, signOut);
    if (!proceed) return undefined;
    const done = await withProgress(s, entry.profile, (control) =>
      guarded(s, entry.profile.id, 'sign_out', async () => {
        await s.engine.signOut(entry.profile.id, control);
        return true;
      }),
    );
    return done ? entry.profile.id : undefined;
  };
}
