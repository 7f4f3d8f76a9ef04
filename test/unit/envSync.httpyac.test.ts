// A real peer reads what the .env sync writes: httpYac's CLI (pinned dev dependency) sends the demo request file,
// whose Authorization header is `Bearer {{$dotenv C2M_ACCESS_TOKEN}}`, to the sandbox's protected resource. The
// token engine issues and refreshes against the real sandbox over 127.0.0.1; the env file is rewritten with the
// same pure function the extension uses, before and after a refresh, and after the old token is revoked. The
// engine's token calls go through Prism of the contract (viaContract); httpYac's requests to the protected resource,
// which the contract does not describe, go to the sandbox itself.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setEnvVariable, readEnvVariable } from '../../client/src/core/envFile';
import { FakeClock } from '../support/fakeClock';
import { MemorySecretStore } from '../support/memorySecretStore';
import { TokenEngine } from '../../client/src/core/tokenEngine';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET } from '../../sandbox/src/demo';
import { startSandbox, type Sandbox } from '../../sandbox/src/server';
import { tokenFingerprint } from '@shared/tokens/fingerprint';
import { activeContractProxy, viaContract, type ContractRoute } from '../support/prism/proxy';

const REPO = path.resolve(__dirname, '..', '..');
const HTTPYAC = path.join(REPO, 'node_modules', '.bin', 'httpyac');
const DEMO = path.join(REPO, 'test', 'fixtures', 'demo-workspace', 'demo.http');

interface HttpyacRun {
  /** Status per request, in file order. */
  statuses: number[];
  output: string;
}

/** `httpyac send demo.http --all --json` in `dir`; the JSON summary gives each request's status. */
function httpyacSend(dir: string): Promise<HttpyacRun> {
  return new Promise((resolve, reject) => {
    execFile(
      HTTPYAC,
      ['send', 'demo.http', '--all', '--json'],
      { cwd: dir, timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        const output = `${stdout}${stderr}`;
        try {
          const parsed = JSON.parse(stdout) as { requests: { response?: { statusCode: number } }[] };
          resolve({ statuses: parsed.requests.map((r) => r.response?.statusCode ?? 0), output });
        } catch {
          reject(new Error(`httpyac did not answer JSON (${error ? error.message : 'no error'}):\n${output}`));
        }
      },
    );
  });
}

describe('.env sync with httpYac as the peer', function () {
  this.timeout(120_000);
  viaContract();
  let sandbox: Sandbox;
  let route: ContractRoute | undefined;
  /** The token operations' base URL: Prism's route, or the sandbox when the proxy is off. */
  let api: string;
  let engine: TokenEngine;
  let dir: string;

  before(async () => {
    const clock = new FakeClock(Date.now());
    sandbox = await startSandbox({ now: () => clock.now() });
    route = await activeContractProxy()?.route(sandbox);
    api = route?.baseUrl ?? sandbox.baseUrl;
    engine = new TokenEngine({
      store: new MemorySecretStore(),
      clock,
      autoRefresh: false,
      heartbeatMs: 0,
      profiles: [
        {
          id: 'sb',
          name: 'Sandbox',
          baseUrl: api,
          clientId: DEMO_CLIENT_ID,
          mechanism: 'client_secret',
          scopes: ['jobs:*', 'tokens:*'],
        },
      ],
      prompts: { otpCode: async () => undefined },
    });
    await engine.ready;
    await engine.setClientSecret('sb', DEMO_CLIENT_SECRET);
    await engine.issueLongTermToken('sb');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'c2m-httpyac-'));
    fs.copyFileSync(DEMO, path.join(dir, 'demo.http'));
    fs.writeFileSync(
      path.join(dir, '.env'),
      `# written by hand\nC2M_BASE_URL=${sandbox.baseUrl}\n\n# kept current by C2M Tokens\nC2M_ACCESS_TOKEN=\nOTHER=untouched # comment\n`,
    );
  });

  after(async () => {
    engine?.dispose();
    try {
      await route?.close();
    } finally {
      await sandbox?.stop();
    }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** What the extension does on every refresh: set the one variable, nothing else. */
  function sync(value: string): string {
    const file = path.join(dir, '.env');
    const before = fs.readFileSync(file, 'utf8');
    const after = setEnvVariable(before, 'C2M_ACCESS_TOKEN', value);
    fs.writeFileSync(file, after);
    // Only the token line differs.
    const a = before.split('\n');
    const b = after.split('\n');
    assert.equal(a.length, b.length);
    const differing = a.flatMap((line, i) => (line === b[i] ? [] : [i]));
    const tokenLine = a.findIndex((line) => line.startsWith('C2M_ACCESS_TOKEN='));
    assert.ok(
      differing.every((i) => i === tokenLine),
      `only the token line may change, not lines ${differing.join(', ')}`,
    );
    return after;
  }

  it('gets 200 with the synced token, 200 again after a refresh, and 200 after the old token is revoked', async () => {
    const first = await engine.getShortTermToken('sb');
    const text = sync(first.value);
    assert.equal(readEnvVariable(text, 'C2M_ACCESS_TOKEN'), first.value);

    const run1 = await httpyacSend(dir);
    console.log(`      httpyac before refresh: statuses ${JSON.stringify(run1.statuses)}`);
    // The first request has no Authorization header: 401 shows the resource is really protected.
    assert.deepEqual(run1.statuses, [401, 200], run1.output);

    const refreshed = await engine.refreshShortTermToken('sb');
    assert.notEqual(refreshed.fingerprint, first.info.fingerprint);
    const second = await engine.getShortTermToken('sb');
    assert.equal(tokenFingerprint(second.value), refreshed.fingerprint);
    sync(second.value);

    const run2 = await httpyacSend(dir);
    console.log(`      httpyac after refresh: statuses ${JSON.stringify(run2.statuses)}`);
    assert.deepEqual(run2.statuses, [401, 200], run2.output);

    // Revoke the first token at the server: a 200 now can only come from the rewritten value.
    const revoked = await fetch(`${api}/auth/tokens/${first.info.tokenId}/revoke`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${second.value}` },
    });
    assert.ok(revoked.status === 200 || revoked.status === 204, `revoke answered ${revoked.status}`);
    assert.ok(sandbox.isRevoked(first.info.tokenId));
    const run3 = await httpyacSend(dir);
    console.log(`      httpyac after revoking the old token: statuses ${JSON.stringify(run3.statuses)}`);
    assert.deepEqual(run3.statuses, [401, 200], run3.output);
  });

  it('a narrowed token for a consumer carries only the scopes asked for and works at the protected resource', async () => {
    const narrowed = await engine.getScopedShortTermToken('sb', ['jobs:read']);
    assert.deepEqual(narrowed.info.scopes, ['jobs:read']);
    const again = await engine.getScopedShortTermToken('sb', ['jobs:read']);
    assert.equal(again.info.fingerprint, narrowed.info.fingerprint, 'served from memory while valid');
    const own = await engine.getShortTermToken('sb');
    assert.notEqual(own.info.fingerprint, narrowed.info.fingerprint, "the profile's own token is not replaced");
    const reply = await fetch(`${sandbox.baseUrl}/jobs`, { headers: { Authorization: `Bearer ${narrowed.value}` } });
    assert.equal(reply.status, 200);
    await assert.rejects(engine.getScopedShortTermToken('sb', ['billing:read']), /does not allow billing:read/);
  });
});
