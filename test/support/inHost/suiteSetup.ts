// How an in-host suite starts and ends its world: a sandbox of its own, profiles in User settings, and afterwards
// nothing of either left for the next suite (suites share one extension host and one User settings file).
import * as assert from 'node:assert/strict';
import type { C2mTestApi } from '../../../client/src/integrations/extensionApi';
import { DEMO_CLIENT, DEMO_CLIENT_SECRET } from '../../../sandbox/src/demo';
import { startSandbox } from '../../../sandbox/src/server';
import type { Sandbox } from '../../../sandbox/src/types';
import {
  c2mApi,
  config,
  run,
  setProfiles,
  startTestSandbox,
  testClients,
  userProfiles,
  type TestClients,
} from './extension';

/** The API and a sandbox that knows a client per mechanism (`secret` is the client secret's value). */
export interface SuiteSandbox {
  api: C2mTestApi;
  clients: TestClients;
  sandbox: Sandbox;
}

export async function startSuiteSandbox(secret: string): Promise<SuiteSandbox> {
  const api = await c2mApi();
  const clients = testClients(secret);
  return { api, clients, sandbox: await startTestSandbox(clients) };
}

/** Forgets the profiles (their tokens and secrets), takes them out of User settings (no profile active then), stops the sandbox. */
export async function endSuiteSandbox(api: C2mTestApi, sandbox: Sandbox, profileIds: readonly string[]): Promise<void> {
  for (const id of profileIds) await api.testing.engine.forgetProfile(id).catch(() => undefined);
  await setProfiles(
    api,
    userProfiles().filter((p) => !profileIds.includes(p.id)),
    undefined,
  );
  await sandbox.stop();
}

/**
 * The hooks of a suite that owns a sandbox and every User profile: the sandbox starts before the suite (`set` gets
 * it), its faults are reset after each test, and afterwards every User profile is forgotten and the sandbox stopped.
 */
export function useSuiteSandbox(secret: string, set: (world: SuiteSandbox) => void): void {
  let world: SuiteSandbox | undefined;
  before(async () => {
    world = await startSuiteSandbox(secret);
    set(world);
  });
  afterEach(() => world?.sandbox.faults.reset());
  after(async () => {
    if (world)
      await endSuiteSandbox(
        world.api,
        world.sandbox,
        userProfiles().map((p) => p.id),
      );
  });
}

/** A sandbox with the demo client and one client-secret profile for it, active and signed in by the Issue command. */
export interface SignedInDemo {
  api: C2mTestApi;
  sandbox: Sandbox;
  /** Signs the profile out, puts back the User profiles (and active profile) found at the start, stops the sandbox. */
  end(): Promise<void>;
}

export async function signInDemoProfile(id: string, name: string): Promise<SignedInDemo> {
  const api = await c2mApi();
  const savedProfiles = userProfiles();
  const savedActive = config().inspect<string>('activeProfile')?.globalValue;
  const sandbox = await startSandbox({ clients: [DEMO_CLIENT] });
  const end = async (): Promise<void> => {
    await api.testing.engine.signOut(id).catch(() => undefined);
    await setProfiles(api, savedProfiles, savedActive);
    await sandbox.stop();
  };
  try {
    await setProfiles(
      api,
      [
        {
          id,
          name,
          baseUrl: sandbox.baseUrl,
          clientId: DEMO_CLIENT.clientId,
          mechanism: 'client_secret',
          scopes: ['jobs:*', 'templates:*', 'tokens:*'],
        },
      ],
      id,
    );
    await api.testing.engine.setClientSecret(id, DEMO_CLIENT_SECRET);
    assert.ok(await run('c2m.issueLongTermToken', id), 'long-term token issued');
  } catch (err) {
    await end();
    throw err;
  }
  return { api, sandbox, end };
}
