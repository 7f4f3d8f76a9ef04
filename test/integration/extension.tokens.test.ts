// The token lifecycle through the extension's commands, inside real VS Code, against a sandbox started here
// (real HTTP on 127.0.0.1): profiles, every issue mechanism, refresh, rotate, revoke, single flight, failures.
import * as assert from 'node:assert/strict';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { C2mTestApi } from '../../client/src/integrations/extensionApi';
import type { Notice } from '../../client/src/ui/notifications';
import { TokenEngine } from '../../client/src/core/tokenEngine';
import type { TokenInfo } from '../../client/src/core/tokenService';
import { startSandbox } from '../../sandbox/src/server';
import type { Sandbox } from '../../sandbox/src/types';
import { mayUseNetwork, readProfiles, whyNoNetwork } from '../../client/src/host/config';
import { rebuildPem, validatePrivateKeyPem } from '../../client/src/ui/profileWizard';
import {
  addProfile,
  config,
  exchangesOf,
  eventually,
  profileFor,
  run,
  setProfiles,
  startTestSandbox,
  tokenOf,
  userProfiles,
  type TestClients,
  until,
} from '../support/inHost/extension';
import { useSuiteSandbox } from '../support/inHost/suiteSetup';

const SECRET = 'it-client-secret-4f1c9a';

describe('extension: token lifecycle against a sandbox', () => {
  /** A new long-term token for `profileId`, replacing (after the question Issue asks then) one that is live. */
  async function issueFresh(profileId: string): Promise<TokenInfo | undefined> {
    const live = tokenOf(api, profileId, 'long');
    if (live && live.status !== 'revoked' && live.expiresAt > Date.now()) api.testing.answer('Replace It');
    return run<TokenInfo>('c2m.issueLongTermToken', profileId);
  }

  let api: C2mTestApi;
  let sandbox: Sandbox;
  let clients: TestClients;

  useSuiteSandbox(SECRET, (world) => ({ api, clients, sandbox } = world));

  it('adds a profile through the quick inputs (validated answers) and stores its secret in secret storage only', async () => {
    api.testing.answer(
      'IT Added',
      sandbox.baseUrl,
      clients.secret.clientId,
      'Client secret',
      'jobs:* tokens:*',
      '30',
      '',
      SECRET,
    );
    const id = await run<string>('c2m.addProfile');
    assert.equal(id, 'it-added');
    assert.equal(api.testing.pendingAnswers(), 0);
    const saved = userProfiles().find((p) => p.id === 'it-added');
    assert.deepEqual(saved, {
      id: 'it-added',
      name: 'IT Added',
      baseUrl: sandbox.baseUrl,
      clientId: clients.secret.clientId,
      mechanism: 'client_secret',
      scopes: ['jobs:*', 'tokens:*'],
      ttlDays: 30,
    });
    assert.equal(await api.testing.engine.secretPresence('it-added', 'client_secret'), 'set');
    assert.ok(!JSON.stringify(config().inspect('profiles')).includes(SECRET), 'the secret is not in settings');
  });

  it('after the wizard it says what was stored and offers the next step (issue; make active when another profile is)', async () => {
    const before = api.testing.noticeMark();
    const activeBefore = config().get<string>('activeProfile');
    api.testing.answer(
      'IT Next',
      sandbox.baseUrl,
      clients.secret.clientId,
      'Client secret',
      'jobs:* tokens:*',
      '30',
      '',
      SECRET,
    );
    assert.equal(await run<string>('c2m.addProfile'), 'it-next');
    const told = api.testing.noticesSince(before).at(-1);
    assert.ok(told, 'the user was told');
    assert.ok(!told.message.includes(SECRET));
    assert.match(
      told.message,
      /profile "IT Next" added\. Its client secret is in the editor's secret storage\. Next: issue a long-term token\./,
    );
    assert.deepEqual(
      told.actions,
      activeBefore && activeBefore !== 'it-next' ? ['Issue Long-Term Token', 'Make Active'] : ['Issue Long-Term Token'],
    );
  });

  it('a wizard whose secret step was skipped says the secret is missing and offers to set it', async () => {
    const before = api.testing.noticeMark();
    api.testing.answer(
      'IT Nosecret',
      sandbox.baseUrl,
      clients.secret.clientId,
      'Client secret',
      'jobs:* tokens:*',
      '30',
      '',
      undefined,
    );
    assert.equal(await run<string>('c2m.addProfile'), 'it-nosecret');
    const told = api.testing.noticesSince(before).at(-1);
    assert.match(
      told?.message ?? '',
      /profile "IT Nosecret" saved without its client secret\. Set it to issue tokens\./,
    );
    assert.equal(told?.actions[0], 'Set Client Secret');
  });

  it('Set Client Secret confirms where the secret went and offers to issue', async () => {
    const before = api.testing.noticeMark();
    api.testing.answer(SECRET);
    assert.equal(await run('c2m.setClientSecret', 'it-nosecret'), true);
    const told = api.testing.noticesSince(before).at(-1);
    assert.match(
      told?.message ?? '',
      /the client secret of "IT Nosecret" is stored in the editor's secret storage\. Next: issue a long-term token\./,
    );
    assert.deepEqual(told?.actions, ['Issue Long-Term Token']);
  });

  it('refuses, as the user types, a base URL that would send credentials over plain HTTP', async () => {
    api.testing.answer('IT Bad', 'http://api.example.com/v1');
    await assert.rejects(Promise.resolve(run('c2m.addProfile')), /plain HTTP/);
    api.testing.answer(); // nothing left queued
    assert.equal(api.testing.pendingAnswers(), 0);
  });

  it('client secret: issues a long-term token and a short-term token', async () => {
    await addProfile(api, profileFor('it-secret', sandbox.baseUrl, clients.secret, 'client_secret'));
    api.testing.answer(SECRET);
    assert.equal(await run('c2m.setClientSecret', 'it-secret'), true);
    const long = await run<TokenInfo>('c2m.issueLongTermToken', 'it-secret');
    assert.ok(long, 'issued');
    assert.equal(long.status, 'valid');
    assert.match(long.tokenId, /\S/);
    const short = tokenOf(api, 'it-secret', 'short');
    assert.equal(short?.status, 'valid', 'issuing also fetched a short-term token');
    const value = await api.testing.getShortTermToken('it-secret');
    assert.match(value, /^eyJ/);
    assert.ok(
      api.testing
        .logLines()
        .some((l) => l.includes('audit issue long-term profile=it-secret') && l.includes(long.tokenId)),
    );
  });

  it('Issue on a profile that has a live long-term token asks before replacing it; declined keeps it', async () => {
    const long = tokenOf(api, 'it-secret', 'long')!;
    const before = sandbox.stats().byRoute['POST /auth/tokens/long'] ?? 0;
    api.testing.answer(undefined); // the dialog closed
    assert.equal(await run('c2m.issueLongTermToken', 'it-secret'), undefined);
    assert.equal(api.testing.pendingAnswers(), 0, 'it asked');
    assert.equal(tokenOf(api, 'it-secret', 'long')?.tokenId, long.tokenId, 'the token stays');
    assert.equal(sandbox.stats().byRoute['POST /auth/tokens/long'] ?? 0, before, 'nothing was sent');
    assert.ok(!sandbox.isRevoked(long.tokenId));
    api.testing.answer('Replace It');
    const replaced = await run<TokenInfo>('c2m.issueLongTermToken', 'it-secret');
    assert.notEqual(replaced?.tokenId, long.tokenId);
    await eventually(() => sandbox.isRevoked(long.tokenId) || undefined, 'the old token revoked');
  });

  it('one-time code: asks for the code (masked) at each issue', async () => {
    await addProfile(api, profileFor('it-otp', sandbox.baseUrl, clients.otp, 'otp'));
    api.testing.answer('111111');
    const long = await run<TokenInfo>('c2m.issueLongTermToken', 'it-otp');
    assert.equal(long?.status, 'valid');
    // The code is single-use: the same one again is refused, and the user is told.
    api.testing.answer('111 111'); // as an authenticator app shows it
    assert.equal(await run('c2m.rotateLongTermToken', 'it-otp'), undefined);
    const refused = api.testing.notices().at(-1);
    assert.match(refused?.message ?? '', /it-otp/);
    assert.match(refused?.message ?? '', /one-time code/);
    assert.doesNotMatch(refused?.message ?? '', /expired/i);
    assert.ok(refused?.actions.includes('Enter a New Code'), JSON.stringify(refused));
    api.testing.answer('222222');
    const rotated = await run<TokenInfo>('c2m.rotateLongTermToken', 'it-otp');
    assert.notEqual(rotated?.tokenId, long?.tokenId);
  });

  it('one-time code: the box takes exactly 6 digits and says so before anything is sent', async () => {
    const before = sandbox.stats().byRoute['POST /auth/tokens/long'] ?? 0;
    for (const typed of ['12345', '1234567', 'abcdef', 'otp-three-3333']) {
      api.testing.answer(typed); // a scripted answer the box would not accept fails at the box, as the user sees it
      assert.equal(await run('c2m.rotateLongTermToken', 'it-otp'), undefined);
      // The box refused it as the user types (the refusal text itself is checked in test/unit/otpCode.test.ts).
      assert.match(
        api.testing.notices().at(-1)?.message ?? '',
        /scripted answer rejected at "The 6-digit code for c2m_it_otp from your authenticator app/,
      );
    }
    assert.equal(sandbox.stats().byRoute['POST /auth/tokens/long'] ?? 0, before, 'nothing was sent');
  });

  it('a wrong client secret is reported as such, with Set Client Secret (never as an expired token)', async () => {
    await addProfile(api, profileFor('it-wrong', sandbox.baseUrl, clients.secret, 'client_secret'));
    api.testing.answer('not-the-right-secret');
    assert.equal(await run('c2m.setClientSecret', 'it-wrong'), true);
    assert.equal(await run('c2m.issueLongTermToken', 'it-wrong'), undefined);
    const notice = api.testing.notices().at(-1);
    assert.match(notice?.message ?? '', /client secret/);
    assert.doesNotMatch(notice?.message ?? '', /expired/i);
    assert.ok(notice?.actions.includes('Set Client Secret'), JSON.stringify(notice));
  });

  it('signed assertion: private key read from a PEM file the user picks, then issue', async () => {
    await addProfile(api, profileFor('it-assert', sandbox.baseUrl, clients.assertion, 'assertion'));
    const keyFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'c2m-it-')), 'key.pem');
    fs.writeFileSync(keyFile, clients.privateKeyPem, { mode: 0o600 });
    api.testing.answer('Choose a PEM file…', keyFile);
    assert.equal(await run('c2m.setPrivateKey', 'it-assert'), true);
    fs.rmSync(path.dirname(keyFile), { recursive: true, force: true });
    assert.equal(await api.testing.engine.secretPresence('it-assert', 'private_key'), 'set');
    const long = await run<TokenInfo>('c2m.issueLongTermToken', 'it-assert');
    assert.equal(long?.status, 'valid');
    // Pasted into the masked box, a PEM loses its line breaks: it is rebuilt and accepted.
    api.testing.answer('Paste the PEM', clients.privateKeyPem.replace(/\n/g, ' '));
    assert.equal(await run('c2m.setPrivateKey', 'it-assert'), true);
    assert.equal((await run<TokenInfo>('c2m.rotateLongTermToken', 'it-assert'))?.status, 'valid');
  });

  it('signed assertion: a SEC1 (BEGIN EC PRIVATE KEY) key is accepted from a file and pasted; PKCS#1 RSA keys pass the check', async () => {
    await addProfile(api, profileFor('it-assert', sandbox.baseUrl, clients.assertion, 'assertion'));
    const sec1 = createPrivateKey(clients.privateKeyPem).export({ type: 'sec1', format: 'pem' }).toString();
    assert.match(sec1, /^-----BEGIN EC PRIVATE KEY-----/);
    const keyFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'c2m-it-')), 'key.pem');
    // As openssl ecparam -genkey writes it: a parameters block first.
    fs.writeFileSync(keyFile, `-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n${sec1}`, {
      mode: 0o600,
    });
    api.testing.answer('Choose a PEM file…', keyFile);
    assert.equal(await run('c2m.setPrivateKey', 'it-assert'), true);
    fs.rmSync(path.dirname(keyFile), { recursive: true, force: true });
    assert.equal(
      (await run<TokenInfo>('c2m.rotateLongTermToken', 'it-assert'))?.status,
      'valid',
      'the converted key signs',
    );
    api.testing.answer('Paste the PEM', sec1.replace(/\n/g, ' '));
    assert.equal(await run('c2m.setPrivateKey', 'it-assert'), true);
    assert.equal((await run<TokenInfo>('c2m.rotateLongTermToken', 'it-assert'))?.status, 'valid');

    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs1', format: 'pem' })
      .toString();
    assert.match(rsa, /^-----BEGIN RSA PRIVATE KEY-----/);
    assert.equal(validatePrivateKeyPem(rsa), undefined);
    assert.equal(validatePrivateKeyPem(rebuildPem(rsa.replace(/\n/g, ' '))), undefined);
    assert.equal(rebuildPem(rsa.replace(/\n/g, ' ')), rsa);
    assert.match(
      validatePrivateKeyPem('-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n') ?? '',
      /encrypted/,
    );
    assert.ok(validatePrivateKeyPem('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n'));
  });

  it('a server clock 10 minutes ahead becomes a warning line in the output channel', async () => {
    const skewed = await startSandbox({ clients: [clients.secret], now: () => Date.now() + 10 * 60_000 });
    const others = userProfiles();
    const active = config().get<string>('activeProfile') || undefined;
    try {
      await addProfile(api, profileFor('it-skew', skewed.baseUrl, clients.secret, 'client_secret'));
      await api.testing.engine.setClientSecret('it-skew', SECRET);
      assert.equal((await run<TokenInfo>('c2m.issueLongTermToken', 'it-skew'))?.status, 'valid');
      await api.testing.getShortTermToken('it-skew');
      const line = /^warn profile it-skew: server clock differs by about 10 min \(ahead of this machine\)/i;
      await until(api, () => api.testing.logLines().some((l) => line.test(l)), 'the clock-skew warning');
    } finally {
      await api.testing.engine.forgetProfile('it-skew').catch(() => undefined);
      await setProfiles(api, others, active);
      await skewed.stop();
    }
  });

  it('short-term step-up: a short-term token with tokens:write issues the next long-term token', async () => {
    const base = profileFor('it-step', sandbox.baseUrl, clients.secret, 'client_secret');
    await addProfile(api, base);
    await api.testing.engine.setClientSecret('it-step', SECRET);
    const first = await run<TokenInfo>('c2m.issueLongTermToken', 'it-step');
    assert.ok(first);
    await addProfile(api, { ...base, mechanism: 'short_term' });
    const stepped = await run<TokenInfo>('c2m.rotateLongTermToken', 'it-step');
    assert.equal(stepped?.status, 'valid');
    assert.notEqual(stepped?.tokenId, first.tokenId);
    assert.equal(sandbox.isRevoked(first.tokenId), true, 'rotation revoked the old long-term token');
  });

  it('refresh gets a new short-term token; rotate issues a new long-term token and revokes the old one', async () => {
    const before = tokenOf(api, 'it-secret', 'short');
    const refreshed = await run<TokenInfo>('c2m.refreshShortTermToken', 'it-secret');
    assert.ok(refreshed && before);
    assert.notEqual(refreshed.tokenId, before.tokenId);
    const oldLong = tokenOf(api, 'it-secret', 'long')!;
    const rotated = await run<TokenInfo>('c2m.rotateLongTermToken', 'it-secret');
    assert.ok(rotated);
    assert.notEqual(rotated.tokenId, oldLong.tokenId);
    await api.testing.engine.idle();
    assert.equal(sandbox.isRevoked(oldLong.tokenId), true);
    assert.ok(
      api.testing
        .logLines()
        .some(
          (l) =>
            l.includes('audit rotate') ||
            l.includes(`audit revoke long-term profile=it-secret token_id=${oldLong.tokenId}`),
        ),
    );
  });

  it('revoke (from a tree node) marks the token revoked here and at the server', async () => {
    await api.testing.getShortTermToken('it-secret');
    const short = tokenOf(api, 'it-secret', 'short')!;
    assert.equal(await run('c2m.revokeToken', api.testing.tokenNode('it-secret', 'short')), 'short');
    assert.equal(tokenOf(api, 'it-secret', 'short')?.status, 'revoked');
    assert.equal(sandbox.isRevoked(short.tokenId), true);
  });

  it('concurrent getShortTermToken calls cause one exchange and share its token', async () => {
    const before = exchangesOf(sandbox);
    const values = await Promise.all(Array.from({ length: 25 }, () => api.testing.getShortTermToken('it-secret')));
    assert.equal(exchangesOf(sandbox) - before, 1);
    assert.equal(new Set(values).size, 1);
  });

  it('Set Private Key on a client-secret profile asks nothing and says which secret the profile uses', async () => {
    const noticesBefore = api.testing.noticeMark();
    // No answer is queued: a prompt would wait for the user and time the test out.
    assert.equal(await run('c2m.setPrivateKey', 'it-secret'), undefined);
    const notice = api.testing.noticesSince(noticesBefore).at(-1);
    assert.match(notice?.message ?? '', /"IT it-secret" does not use a private key\. It uses a client secret\./);
    assert.deepEqual(notice?.actions, ['Set Client Secret']);
  });

  it('revoking a short-term token ends with a message saying so', async () => {
    await api.testing.getShortTermToken('it-secret');
    const noticesBefore = api.testing.noticeMark();
    assert.equal(await run('c2m.revokeToken', api.testing.tokenNode('it-secret', 'short')), 'short');
    const notice = api.testing.noticesSince(noticesBefore).find((n) => n.severity === 'info');
    assert.match(notice?.message ?? '', /C2M "IT it-secret": short-term token revoked\./);
  });

  it('revoking the long-term token asks first (saying what stops working); backing out sends nothing', async () => {
    const long = tokenOf(api, 'it-secret', 'long')!;
    const revokesBefore = sandbox.stats().byRoute['POST /auth/tokens/{id}/revoke'] ?? 0;
    api.testing.answer(undefined); // the modal closed with Escape / Cancel
    assert.equal(await run('c2m.revokeToken', api.testing.tokenNode('it-secret', 'long')), undefined);
    assert.equal(api.testing.pendingAnswers(), 0, 'the confirmation was asked');
    assert.equal(sandbox.stats().byRoute['POST /auth/tokens/{id}/revoke'] ?? 0, revokesBefore, 'no revoke was sent');
    assert.equal(sandbox.isRevoked(long.tokenId), false);
    assert.equal(tokenOf(api, 'it-secret', 'long')?.status, 'valid');
  });

  it('confirmed, the long-term token is revoked and the message offers to issue a new one', async () => {
    const long = tokenOf(api, 'it-secret', 'long')!;
    const noticesBefore = api.testing.noticeMark();
    api.testing.answer('Revoke');
    assert.equal(await run('c2m.revokeToken', api.testing.tokenNode('it-secret', 'long')), 'long');
    assert.equal(sandbox.isRevoked(long.tokenId), true);
    const notice = api.testing.noticesSince(noticesBefore).find((n) => n.severity === 'info');
    assert.match(notice?.message ?? '', /long-term token of "IT it-secret" .* and its short-term tokens are revoked/);
    assert.deepEqual(notice?.actions, ['Issue Long-Term Token']);
    assert.ok(await run('c2m.issueLongTermToken', 'it-secret'), 'a new long-term token for the tests after this one');
  });

  it('a failing sandbox (503 on every exchange) leaves the old token in place and tells the user, with Retry', async () => {
    const kept = await api.testing.getShortTermToken('it-secret');
    const keptInfo = tokenOf(api, 'it-secret', 'short')!;
    sandbox.faults.forceStatus({
      route: 'POST /auth/tokens/short',
      status: 503,
      body: { code: 'unavailable', message: 'down for maintenance' },
    });
    const noticesBefore = api.testing.noticeMark();
    assert.equal(await run('c2m.refreshShortTermToken', 'it-secret'), undefined);
    const notice = api.testing.noticesSince(noticesBefore).find((n) => n.severity === 'error');
    assert.ok(notice, 'the user was told');
    assert.match(notice.message, /IT it-secret/);
    // Said once: not "refreshing the short-term token failed: Refreshing the short-term token of … failed: …".
    assert.equal(notice.message.match(/refreshing the short-term token/gi)?.length, 1, notice.message);
    assert.equal(notice.message.match(/IT it-secret/g)?.length, 1, notice.message);
    assert.ok(notice.actions.includes('Retry'), `actions: ${notice.actions.join(', ')}`);
    assert.equal(
      tokenOf(api, 'it-secret', 'short')?.tokenId,
      keptInfo.tokenId,
      'the old token is still the current one',
    );
    assert.equal(await api.testing.getShortTermToken('it-secret'), kept, 'and it is still handed out');
    assert.match(api.testing.statusBarText(), /\S/);
  });

  it('a rejected long-term token (401 on the exchange) offers Re-issue', async () => {
    await run('c2m.revokeToken', api.testing.tokenNode('it-secret', 'short'));
    sandbox.faults.forceStatus({
      status: 401,
      body: { code: 'invalid_token', message: 'The provided token is expired or invalid' },
      route: 'POST /auth/tokens/short',
    });
    const noticesBefore = api.testing.noticeMark();
    assert.equal(await run('c2m.refreshShortTermToken', 'it-secret'), undefined);
    const notice = api.testing.noticesSince(noticesBefore).at(-1);
    assert.ok(notice?.actions.includes('Re-issue'), JSON.stringify(notice));
  });

  it('a rate limit (429) says when to retry', async () => {
    sandbox.faults.reset();
    await issueFresh('it-secret');
    await run('c2m.revokeToken', api.testing.tokenNode('it-secret', 'short'));
    sandbox.faults.rateLimit({ perClient: 0, windowMs: 120_000, retryAfter: '120' });
    assert.equal(await run('c2m.refreshShortTermToken', 'it-secret'), undefined);
    const notice = api.testing.notices().at(-1);
    assert.match(notice?.message ?? '', /retry after 1[12]\d s/);
  });

  it('a second window (a new engine on the same secret storage) finds the stored tokens: they survive a reload', async () => {
    sandbox.faults.reset();
    await issueFresh('it-secret');
    const long = tokenOf(api, 'it-secret', 'long')!;
    const short = tokenOf(api, 'it-secret', 'short')!;
    const other = new TokenEngine({
      store: api.testing.secretStore,
      prompts: { otpCode: async () => undefined },
      profiles: userProfiles(),
      activeProfileId: 'it-secret',
      autoRefresh: false,
      heartbeatMs: 0,
    });
    try {
      await other.ready;
      const seen = other.tokens().filter((t) => t.profileId === 'it-secret');
      assert.deepEqual(
        seen.map((t) => [t.kind, t.tokenId]).sort(),
        [
          ['long', long.tokenId],
          ['short', short.tokenId],
        ].sort(),
      );
      assert.equal(
        (await other.getShortTermToken('it-secret')).value,
        await api.testing.getShortTermToken('it-secret'),
      );
    } finally {
      other.dispose();
    }
  });

  it('refreshes a short-term token by itself before it expires (sandbox with 4-second tokens)', async () => {
    const quick = await startSandbox({ clients: [clients.secret], shortTtlSeconds: 4 });
    try {
      await addProfile(api, profileFor('it-auto', quick.baseUrl, clients.secret, 'client_secret'));
      await api.testing.engine.setClientSecret('it-auto', SECRET);
      await run('c2m.issueLongTermToken', 'it-auto');
      const first = tokenOf(api, 'it-auto', 'short');
      assert.ok(first);
      // Wait for the engine's own timer to replace the token: no command, no call for a token.
      const refreshed = await new Promise<TokenInfo>((resolve) => {
        const sub = api.tokens.onDidChange(() => {
          const now = tokenOf(api, 'it-auto', 'short');
          if (now && now.tokenId !== first.tokenId) {
            sub.dispose();
            resolve(now);
          }
        });
      });
      assert.ok(refreshed.issuedAt < first.expiresAt, 'the new token arrived before the old one expired');
      assert.equal(exchangesOf(quick), 2);
    } finally {
      await api.testing.engine.forgetProfile('it-auto').catch(() => undefined);
      await setProfiles(
        api,
        userProfiles().filter((p) => p.id !== 'it-auto'),
        config().get<string>('activeProfile') || undefined,
      );
      await quick.stop();
    }
  });

  it('Restricted Mode: a base URL from workspace settings is not used for network calls, and the user is told why', async () => {
    const entry = {
      profile: profileFor('ws', 'https://attacker.example/v1', clients.secret, 'client_secret'),
      origin: 'workspace' as const,
      problems: [],
    };
    assert.equal(mayUseNetwork(entry, false), false);
    assert.match(whyNoNetwork(entry, false) ?? '', /Restricted Mode/);
    assert.equal(mayUseNetwork(entry, true), true);
    assert.equal(mayUseNetwork({ ...entry, origin: 'user' }, false), true);
    // And the profile list knows where each entry came from.
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    await config().update('profiles', [entry.profile], vscode.ConfigurationTarget.Workspace);
    try {
      const seen = readProfiles().find((p) => p.profile.id === 'ws');
      assert.equal(seen?.origin, 'workspace');
    } finally {
      await config().update('profiles', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('a stored record that can no longer be read counts as signed out, and the user is told how to recover', async () => {
    // The notifier keeps only the latest notices: look for the new one by what it says, not by the list's length.
    const damaged = (): Notice[] =>
      api.testing.notices().filter((n) => /^C2M "IT it-secret": a stored token could not be read/.test(n.message));
    const before = damaged().length;
    await api.testing.secretStore.store('c2m/it-secret/long', '{"damaged": tru');
    await until(api, () => damaged().length > before, 'a notification about the damaged record');
    const notice = damaged().at(-1)!;
    assert.ok(notice.actions.includes('Re-issue'));
    assert.match(
      notice.detail ?? '',
      /The stored long-term token of profile "IT it-secret" could not be read/,
      'Details says which record',
    );
    assert.equal(tokenOf(api, 'it-secret', 'long'), undefined);
    assert.ok((await run<TokenInfo>('c2m.issueLongTermToken', 'it-secret'))?.tokenId, 're-issuing recovers');
  });

  it('tokens stay bound to their origin: a profile pointed at another server does not reuse or send them', async () => {
    const other = await startTestSandbox(clients);
    try {
      const long = tokenOf(api, 'it-secret', 'long');
      assert.equal(long?.status, 'valid');
      const moved = { ...userProfiles().find((p) => p.id === 'it-secret')!, baseUrl: other.baseUrl };
      await addProfile(api, moved);
      assert.equal(
        tokenOf(api, 'it-secret', 'long'),
        undefined,
        "the old origin's token is not shown as this profile's",
      );
      assert.equal(await run('c2m.refreshShortTermToken', 'it-secret'), undefined);
      assert.equal(other.stats().requests, 0, 'nothing was sent to the new server');
    } finally {
      await addProfile(api, profileFor('it-secret', sandbox.baseUrl, clients.secret, 'client_secret'));
      await other.stop();
    }
  });

  it('the status bar item opens the actions of the active profile, which run the chosen command', async () => {
    await run('c2m.switchProfile', 'it-secret');
    const before = tokenOf(api, 'it-secret', 'short')?.tokenId;
    api.testing.answer('$(refresh) Refresh Short-Term Token');
    const info = await run<TokenInfo>('c2m.showActions');
    assert.equal(info?.status, 'valid');
    assert.notEqual(info?.tokenId, before);
    assert.match(api.testing.statusBarText(), /^\$\(key\) IT it-secret \d\d:\d\d$/);
  });

  it('switch and remove profiles', async () => {
    assert.equal(await run('c2m.switchProfile', 'it-secret'), 'it-secret');
    assert.equal(config().get('activeProfile'), 'it-secret');
    api.testing.answer('Remove');
    assert.equal(await run('c2m.removeProfile', 'it-added'), 'it-added');
    assert.ok(!userProfiles().some((p) => p.id === 'it-added'));
    assert.equal(vscode.workspace.getConfiguration('c2m').get('activeProfile'), 'it-secret');
  });

  it('warns before Rotate and Sign Out, and a refused revoke names the token that stays valid, until when', async () => {
    await addProfile(api, {
      ...profileFor('it-norevoke', sandbox.baseUrl, clients.secret, 'client_secret'),
      scopes: ['jobs:*'],
    });
    api.testing.answer(SECRET);
    await run('c2m.setClientSecret', 'it-norevoke');
    const long = await run<TokenInfo>('c2m.issueLongTermToken', 'it-norevoke');
    assert.ok(long);
    // The warning comes first; declining it rotates nothing.
    api.testing.answer('Edit Profile?no');
    assert.equal(await run('c2m.rotateLongTermToken', 'it-norevoke'), undefined);
    assert.equal(api.testing.pendingAnswers(), 0, 'the warning was asked');
    assert.equal(tokenOf(api, 'it-norevoke', 'long')?.tokenId, long.tokenId);
    api.testing.answer('Rotate Anyway');
    const rotated = await run<TokenInfo>('c2m.rotateLongTermToken', 'it-norevoke');
    assert.notEqual(rotated?.tokenId, long.tokenId);
    // The notification says the revoke failed; its Details name the token that stays valid, and until when.
    const refused = (n: Notice): boolean => (n.detail ?? '').includes(long.tokenId);
    await until(api, () => api.testing.notices().some(refused), 'the refused revoke is reported');
    const notice = api.testing.notices().find(refused)!;
    assert.match(notice.message, /^C2M "IT it-norevoke": revoking the token failed\./);
    assert.ok(notice.actions.includes('Details'), JSON.stringify(notice));
    assert.match(
      notice.detail ?? '',
      new RegExp(`${long.tokenId} stays valid at the server until ${new Date(long.expiresAt).toISOString()}`),
    );
    assert.doesNotMatch(notice.message, /refreshing/);
    const audit = api.testing.logLines().filter((l) => l.includes('audit revoke') && l.includes(long.tokenId));
    assert.ok(audit.length > 0 && audit.every((l) => l.includes('outcome=refused')), audit.join('\n'));
    api.testing.answer('Sign Out Anyway');
    assert.equal(await run('c2m.signOut', 'it-norevoke'), 'it-norevoke');
    assert.equal(api.testing.pendingAnswers(), 0);
  });
});
