// "Try with Local Sandbox" inside real VS Code: a live token for the Sandbox profile, reuse of a sandbox already
// running (npm start), the demo workspace, and never re-pointing or replacing what is not the sandbox's own.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { C2mTestApi } from '../../client/src/integrations/extensionApi';
import type { TokenInfo } from '../../client/src/core/tokenService';
import type { Sandbox } from '../../sandbox/src/types';
import {
  addProfile,
  config,
  profileFor,
  run,
  setProfiles,
  tokenOf,
  userProfiles,
  type TestClients,
} from '../support/inHost/extension';
import { useSuiteSandbox } from '../support/inHost/suiteSetup';

const SECRET = 'it-client-secret-4f1c9a';

describe('extension: Try with Local Sandbox', () => {
  let api: C2mTestApi;
  let sandbox: Sandbox;
  let clients: TestClients;

  useSuiteSandbox(SECRET, (world) => ({ api, clients, sandbox } = world));

  it('"Try with Local Sandbox" gives the Sandbox profile a live token, shown in the status bar', async () => {
    const info = await run<TokenInfo>('c2m.trySandbox');
    assert.equal(info?.status, 'valid');
    // Active: by the setting, or as the only profile (an empty setting means the first one).
    assert.equal(config().get('activeProfile') || userProfiles()[0]?.id, 'sandbox');
    assert.equal(api.testing.engine.activeProfileId(), 'sandbox');
    const profile = userProfiles().find((p) => p.id === 'sandbox');
    assert.equal(profile?.mechanism, 'client_secret');
    assert.deepEqual(profile?.scopes, ['jobs:*', 'templates:*', 'tokens:*']);
    assert.equal(profile?.baseUrl, await api.testing.sandboxBaseUrl());
    assert.match(await api.testing.getShortTermToken(), /^eyJ/);
    assert.match(api.testing.statusBarText(), /^\$\(key\) Sandbox \d\d:\d\d$/);
    // A second click reuses the running sandbox and the live token: no new long-term token.
    const longId = tokenOf(api, 'sandbox', 'long')?.tokenId;
    const again = await run<TokenInfo>('c2m.trySandbox');
    assert.equal(again?.status, 'valid');
    assert.equal(tokenOf(api, 'sandbox', 'long')?.tokenId, longId);
  });

  it('"Try with Local Sandbox" reuses a sandbox already running where the Sandbox profile points (npm start)', async () => {
    const inHost = await api.testing.sandboxBaseUrl();
    const sandboxProfile = userProfiles().find((p) => p.id === 'sandbox')!;
    await addProfile(api, { ...sandboxProfile, baseUrl: sandbox.baseUrl });
    const before = sandbox.stats().requests;
    const info = await run<TokenInfo>('c2m.trySandbox');
    assert.equal(info?.status, 'valid');
    assert.equal(
      userProfiles().find((p) => p.id === 'sandbox')?.baseUrl,
      sandbox.baseUrl,
      'the profile still points at it',
    );
    assert.ok(sandbox.stats().requests > before, 'the tokens came from the running sandbox');
    assert.equal(await api.testing.sandboxBaseUrl(), inHost, 'no second in-host sandbox');
  });

  it('"Try with Local Sandbox" in the demo workspace of npm start uses its Sandbox profile where that sandbox answers, writing no setting', async () => {
    // No sandbox profile of the user's own; the workspace's settings define one for the sandbox npm start runs.
    const savedUser = userProfiles();
    const savedActive = config().inspect<string>('activeProfile')?.globalValue;
    const demo = savedUser.find((p) => p.id === 'sandbox')!; // made by the Try with Local Sandbox tests above
    const wsProfile = { ...demo, id: 'ws-sandbox', name: 'Workspace Sandbox', baseUrl: sandbox.baseUrl };
    await setProfiles(
      api,
      savedUser.filter((p) => p.clientId !== demo.clientId),
    );
    await config().update('profiles', [wsProfile], vscode.ConfigurationTarget.Workspace);
    await config().update('activeProfile', 'ws-sandbox', vscode.ConfigurationTarget.Workspace);
    try {
      api.testing.syncProfiles();
      const usersBefore = userProfiles();
      const before = sandbox.stats().requests;
      const info = await run<TokenInfo>('c2m.trySandbox');
      assert.equal(info?.profileId, 'ws-sandbox', "the workspace's sandbox profile got the token");
      assert.equal(info?.status, 'valid');
      assert.ok(sandbox.stats().requests > before, 'from the sandbox it points at');
      assert.deepEqual(userProfiles(), usersBefore, 'no second profile was made');
      assert.deepEqual(config().inspect('profiles')?.workspaceValue, [wsProfile], 'the workspace profile is as it was');
      assert.equal(config().inspect('activeProfile')?.workspaceValue, 'ws-sandbox');
    } finally {
      await config().update('profiles', undefined, vscode.ConfigurationTarget.Workspace);
      await config().update('activeProfile', undefined, vscode.ConfigurationTarget.Workspace);
      await setProfiles(api, savedUser, savedActive);
    }
  });

  it('"Try with Local Sandbox" never re-points a profile that is not the sandbox\'s own, nor replaces its secret or tokens', async () => {
    // A user's own profile that happens to be called "Sandbox" (id `sandbox`), with a canary secret and a live token.
    const canary = `canary-sandbox-named-${Date.now()}`;
    const mine = profileFor('sandbox', sandbox.baseUrl, clients.secret, 'client_secret');
    await addProfile(api, { ...mine, name: 'Sandbox' });
    await api.testing.engine.setClientSecret('sandbox', SECRET);
    await run('c2m.issueLongTermToken', 'sandbox');
    const long = tokenOf(api, 'sandbox', 'long');
    assert.equal(long?.status, 'valid');
    await api.testing.engine.setClientSecret('sandbox', canary);
    const info = await run<TokenInfo>('c2m.trySandbox');
    assert.equal(info?.status, 'valid');
    const after = userProfiles();
    assert.deepEqual(
      after.find((p) => p.id === 'sandbox'),
      { ...mine, name: 'Sandbox' },
      "the user's profile is as it was",
    );
    assert.ok(
      (await api.testing.secretStore.get('c2m/sandbox/client_secret'))?.includes(canary),
      'its secret is as it was',
    );
    assert.equal(tokenOf(api, 'sandbox', 'long')?.tokenId, long?.tokenId, 'its long-term token is as it was');
    assert.ok(!sandbox.isRevoked(long!.tokenId), 'and still live');
    const made = after.find((p) => p.id === 'sandbox-2');
    assert.equal(made?.name, 'Sandbox 2', 'a new profile, with a name nobody has');
    assert.equal(config().get('activeProfile'), 'sandbox-2');
    assert.equal(tokenOf(api, 'sandbox-2', 'short')?.status, 'valid');
    // A second click finds the new profile as the sandbox's own and reuses it.
    await run('c2m.trySandbox');
    assert.deepEqual(
      userProfiles()
        .map((p) => p.id)
        .filter((id) => id.startsWith('sandbox'))
        .sort(),
      ['sandbox', 'sandbox-2'],
    );
  });

  it('"Try with Local Sandbox" asks before re-pointing its own profile whose sandbox is gone (its secret and tokens are bound there)', async () => {
    const own = userProfiles().find((p) => p.id === 'sandbox-2')!;
    const gone = 'http://127.0.0.1:9/v1'; // the discard port: no sandbox answers there
    await addProfile(api, { ...own, baseUrl: gone });
    await api.testing.engine.setClientSecret('sandbox-2', 'secret-of-a-sandbox-that-is-gone');
    api.testing.answer(undefined); // Escape: nothing changes
    assert.equal(await run('c2m.trySandbox'), undefined);
    assert.equal(userProfiles().find((p) => p.id === 'sandbox-2')?.baseUrl, gone);
    assert.ok(
      (await api.testing.secretStore.get('c2m/sandbox-2/client_secret'))?.includes('secret-of-a-sandbox-that-is-gone'),
    );
    api.testing.answer('Point It at the New Sandbox');
    const info = await run<TokenInfo>('c2m.trySandbox');
    assert.equal(info?.status, 'valid');
    assert.equal(userProfiles().find((p) => p.id === 'sandbox-2')?.baseUrl, await api.testing.sandboxBaseUrl());
    await setProfiles(
      api,
      userProfiles().filter((p) => p.id !== 'sandbox'),
      'sandbox-2',
    );
    await api.testing.engine.forgetProfile('sandbox').catch(() => undefined);
  });
});
