// Which profile "Try with Local Sandbox" may use: only the sandbox's own (loopback base URL, demo client id, client
// secret); anything else, a profile the user named "Sandbox" included, gets a new profile beside it.
import assert from 'node:assert/strict';
import type { Profile } from '../../client/src/core/profile';
import { DEMO_CLIENT_ID, DEMO_SCOPES } from '../../sandbox/src/demo';
import { isSandboxProfile, newSandboxProfile, ownSandboxProfile } from '../../client/src/integrations/sandboxProfile';

const demo = { clientId: DEMO_CLIENT_ID, scopes: [...DEMO_SCOPES] };
const p = (
  id: string,
  name: string,
  baseUrl: string,
  clientId = DEMO_CLIENT_ID,
  mechanism: Profile['mechanism'] = 'client_secret',
): Profile => ({ id, name, baseUrl, clientId, mechanism, scopes: ['jobs:*'] });

describe("sandbox profile: reuse only the sandbox's own", () => {
  it('is the demo client at a loopback http URL, by client secret', () => {
    assert.equal(isSandboxProfile(p('a', 'A', 'http://127.0.0.1:4010/v1'), demo), true);
    assert.equal(isSandboxProfile(p('a', 'A', 'http://localhost:4010/v1'), demo), true);
    assert.equal(isSandboxProfile(p('a', 'A', 'http://[::1]:4010/v1'), demo), true);
    assert.equal(isSandboxProfile(p('a', 'A', 'https://api.example.com/v1'), demo), false, 'production URL');
    assert.equal(isSandboxProfile(p('a', 'A', 'http://127.0.0.1:4010/v1', 'c2m_prod'), demo), false, 'another client');
    assert.equal(
      isSandboxProfile(p('a', 'A', 'http://127.0.0.1:4010/v1', DEMO_CLIENT_ID, 'otp'), demo),
      false,
      'another mechanism',
    );
    assert.equal(isSandboxProfile(p('a', 'A', 'not a url'), demo), false);
  });

  it('never picks a profile called Sandbox (id `sandbox`) that points elsewhere; prefers id `sandbox` among its own', () => {
    const user = p('sandbox', 'Sandbox', 'https://api.example.com/v1', 'c2m_prod');
    assert.equal(ownSandboxProfile([user], demo), undefined);
    const other = p('sandbox-2', 'Sandbox 2', 'http://127.0.0.1:5000/v1');
    assert.equal(ownSandboxProfile([user, other], demo), other);
    const first = p('sandbox', 'Sandbox', 'http://127.0.0.1:4010/v1');
    assert.equal(ownSandboxProfile([other, first], demo), first);
  });

  it('makes a new profile whose id and name nobody has (names case-insensitively: they are account labels)', () => {
    const made = newSandboxProfile(
      [p('sandbox', 'Prod', 'https://api.example.com/v1', 'c2m_prod'), p('x', 'sandbox 2', 'https://a.example/v1')],
      'http://127.0.0.1:7/v1',
      demo,
    );
    assert.deepEqual(made, {
      id: 'sandbox-3',
      name: 'Sandbox 3',
      baseUrl: 'http://127.0.0.1:7/v1',
      clientId: DEMO_CLIENT_ID,
      mechanism: 'client_secret',
      scopes: [...DEMO_SCOPES],
    });
    assert.equal(newSandboxProfile([], 'http://127.0.0.1:7/v1', demo).id, 'sandbox');
  });
});
