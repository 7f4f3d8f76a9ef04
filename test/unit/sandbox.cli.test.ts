// The sandbox CLI as users run it (a real child process over 127.0.0.1) and as a library (importing it starts nothing).
// Straight to the process, not through Prism of the contract: the banner, the port and the exit are what is tested.
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as cli from '../../sandbox/src/cli';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TOTP_SECRET } from '../../sandbox/src/demo';
import { call, secretGrant } from '../support/sandboxHttp';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'sandbox/src/cli.ts');

interface Running {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(args: string[]): Running {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', CLI, ...args], { cwd: ROOT });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

/** Resolves with the printed base URL once the banner is out (or rejects if the process ends first). */
function baseUrlOf(running: Running): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = /listening on (http:\/\/\S+)/.exec(running.output());
      if (match && running.output().includes('Ctrl+C')) resolve(match[1]!);
    };
    running.child.stdout.on('data', check);
    void running.exited.then(() => reject(new Error(`sandbox exited early:\n${running.output()}`)));
  });
}

describe('sandbox: CLI', function () {
  this.timeout(30_000);
  const children: Running[] = [];
  afterEach(() => {
    for (const running of children.splice(0)) if (running.child.exitCode === null) running.child.kill('SIGKILL');
  });

  it('prints the base URL and the demo credentials, serves the contract, and stops cleanly on SIGTERM', async () => {
    const running = run(['--port', '0']);
    children.push(running);
    const baseUrl = await baseUrlOf(running);
    assert.match(baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const out = running.output();
    for (const shown of [DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TOTP_SECRET]) assert.ok(out.includes(shown), shown);
    const code = /OTP code now\s+(\d{6})/.exec(out)?.[1];
    assert.ok(code, 'prints the current OTP code');
    assert.equal((await call(`${baseUrl}/auth/tokens/long`, { body: secretGrant() })).status, 201);
    running.child.kill('SIGTERM');
    assert.deepEqual(await running.exited, { code: 0, signal: null });
    assert.match(running.output(), /SIGTERM: stopping the sandbox/);
  });

  it('stops cleanly on SIGINT', async () => {
    const running = run([]);
    children.push(running);
    await baseUrlOf(running);
    running.child.kill('SIGINT');
    assert.deepEqual(await running.exited, { code: 0, signal: null });
  });

  it('--config FILE registers its clients (ids printed, secrets not) and its short-term ttl', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'c2m-sandbox-'));
    try {
      const file = path.join(dir, 'sandbox.json');
      writeFileSync(
        file,
        JSON.stringify({
          clients: [{ clientId: 'c2m_team', clientSecret: 'team-secret-canary', allowedScopes: ['jobs:*'] }],
          shortTtlSeconds: 120,
        }),
      );
      const running = run(['--config', file, '--host', '127.0.0.1', '--port', '0']);
      children.push(running);
      const baseUrl = await baseUrlOf(running);
      assert.match(running.output(), /c2m_team/);
      assert.doesNotMatch(running.output(), /team-secret-canary/);
      assert.doesNotMatch(
        running.output(),
        new RegExp(DEMO_CLIENT_SECRET),
        'the demo client is not served when the config replaces it',
      );
      const long = await call(`${baseUrl}/auth/tokens/long`, {
        body: { grant_type: 'client_credentials', client_id: 'c2m_team', client_secret: 'team-secret-canary' },
      });
      assert.equal(long.status, 201, long.text);
      const short = await call(`${baseUrl}/auth/tokens/short`, { bearer: long.json.access_token });
      assert.equal(short.json.expires_in, 120);
      running.child.kill('SIGTERM');
      assert.equal((await running.exited).code, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses bad arguments and a non-loopback host with a message and a non-zero exit', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'c2m-sandbox-'));
    try {
      const broken = path.join(dir, 'broken.json');
      // An unquoted value: JSON.parse's own message would quote the text around it.
      writeFileSync(broken, '{"clients": [{"clientId": "c2m_team", "clientSecret": team-secret-canary}]}');
      for (const [args, pattern] of [
        [['--port', 'abc'], /--port needs a number/],
        [['--bogus', '1'], /Unknown option --bogus/],
        [['--host', '0.0.0.0'], /loopback only/],
        [['--config', '/nonexistent/sandbox.json'], /Cannot read the config file/],
        [['--config', broken], /is not valid JSON/],
      ] as const) {
        const running = run([...args]);
        children.push(running);
        const { code } = await running.exited;
        assert.notEqual(code, 0, args.join(' '));
        assert.match(running.output(), pattern);
        assert.doesNotMatch(running.output(), /team-secret/, 'a broken config file is not quoted back');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is a library too: importing it re-exports the sandbox and starts nothing', async () => {
    assert.equal(typeof cli.startSandbox, 'function');
    assert.equal(cli.DEMO_CLIENT_ID, DEMO_CLIENT_ID);
    assert.equal(cli.totp(DEMO_TOTP_SECRET, 0).length, 6);
    assert.deepEqual(cli.parseArgs(['--port', '8787', '--host', 'localhost']), { port: 8787, host: 'localhost' });
    assert.deepEqual(cli.parseArgs(['--exchange-limit', '3/60']), { exchangeLimit: { count: 3, windowSeconds: 60 } });
    assert.deepEqual(cli.parseArgs(['--exchange-limit', 'off']), { exchangeLimit: 'off' });
    for (const bad of ['3', '0/10', '3/0', '-1/10', 'x/y'])
      assert.throws(() => cli.parseArgs(['--exchange-limit', bad]), /exchange limit|exchange-limit/);
    const sandbox = await cli.startSandbox();
    await sandbox.stop();
  });
});
