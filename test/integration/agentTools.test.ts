// The language-model tools inside real VS Code, invoked the way an agent's host invokes them (vscode.lm.invokeTool),
// against a sandbox started here: the status tool lists profiles and token ids and never a value; the request tool
// sends one request to the active profile's origin with the token it adds, refuses other origins and header tricks
// (nothing reaches the other server), reports a redirect without following it, and redacts a token the server
// echoes in any spelling. A canary search at the end: no token value is in any tool result.
// VS Code does not show its confirmation dialog while extension tests run (the workbench's dialog service answers
// "confirmed" in a test run), so what the dialog would show is checked on prepareInvocation's result directly.
import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { C2mTestApi } from '../../client/src/integrations/extensionApi';
import { REQUEST_TOOL_NAME } from '../../client/src/integrations/agentTools/requestTool';
import { STATUS_TOOL_NAME } from '../../client/src/integrations/agentTools/statusTool';
import { holdsAny } from '../../client/src/integrations/agentTools/responseRedaction';
import { DEMO_CLIENT, DEMO_CLIENT_SECRET } from '../../sandbox/src/demo';
import { startSandbox } from '../../sandbox/src/server';
import type { Sandbox } from '../../sandbox/src/types';
import { c2mApi, config, run, setProfiles, tokenOf, userProfiles } from '../support/inHost/extension';

const PROFILE = 'agent';
const OTHER = 'agent-other';

/** A loopback server that must receive nothing: it counts what it gets. */
async function elsewhereServer(): Promise<{ origin: string; count(): number; close(): Promise<void> }> {
  let received = 0;
  const server: Server = createServer((req, res) => {
    received++;
    req.resume();
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"stolen":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    count: () => received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function textOf(result: vscode.LanguageModelToolResult): string {
  return result.content
    .map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : JSON.stringify(part)))
    .join('');
}

const cancel = (): vscode.CancellationToken => new vscode.CancellationTokenSource().token;

describe('agent tools: vscode.lm.invokeTool against a sandbox', () => {
  let api: C2mTestApi;
  let sandbox: Sandbox;
  let elsewhere: Awaited<ReturnType<typeof elsewhereServer>>;
  let savedProfiles: ReturnType<typeof userProfiles>;
  let savedActive: string | undefined;
  /** Every tool result of the suite, for the canary search at the end. */
  const results: string[] = [];
  /** Every token value the suite saw the extension hold. */
  const values = new Set<string>();

  async function invoke(name: string, input: object): Promise<string> {
    const text = textOf(await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }));
    results.push(text);
    return text;
  }

  async function rememberValues(): Promise<string> {
    const short = await api.testing.getShortTermToken(PROFILE);
    values.add(short);
    const long = await api.testing.engine.getTokenValue(PROFILE, 'long');
    if (long) values.add(long);
    return short;
  }

  function requestsTo(path: string): number {
    return Object.entries(sandbox.stats().byRoute)
      .filter(([route]) => route.endsWith(` ${path}`))
      .reduce((sum, [, n]) => sum + n, 0);
  }

  before(async () => {
    api = await c2mApi();
    savedProfiles = userProfiles();
    savedActive = config().inspect<string>('activeProfile')?.globalValue;
    sandbox = await startSandbox({ clients: [DEMO_CLIENT] });
    elsewhere = await elsewhereServer();
    const profile = {
      baseUrl: sandbox.baseUrl,
      clientId: DEMO_CLIENT.clientId,
      mechanism: 'client_secret' as const,
      scopes: ['jobs:*', 'tokens:*'],
    };
    await setProfiles(
      api,
      [
        { id: PROFILE, name: 'Agent (C2M API test)', ...profile },
        { id: OTHER, name: 'Agent other', ...profile, baseUrl: `${elsewhere.origin}/v1` },
      ],
      PROFILE,
    );
    await api.testing.engine.setClientSecret(PROFILE, DEMO_CLIENT_SECRET);
    assert.ok(await run('c2m.issueLongTermToken', PROFILE), 'long-term token issued');
    await rememberValues();
  });

  afterEach(() => sandbox.faults.reset());

  after(async () => {
    await api.testing.engine.signOut(PROFILE).catch(() => undefined);
    await setProfiles(api, savedProfiles, savedActive);
    await sandbox.stop();
    await elsewhere.close();
  });

  it('both tools are registered and listed in vscode.lm.tools', () => {
    const names = vscode.lm.tools.map((t) => t.name);
    assert.ok(names.includes(STATUS_TOOL_NAME), names.join(', '));
    assert.ok(names.includes(REQUEST_TOOL_NAME), names.join(', '));
    const request = vscode.lm.tools.find((t) => t.name === REQUEST_TOOL_NAME);
    assert.deepEqual((request?.inputSchema as { required?: string[] } | undefined)?.required, ['path']);
  });

  it('the status tool reports profiles, the active one, token ids, scopes and expiry, and no value', async () => {
    const text = await invoke(STATUS_TOOL_NAME, {});
    const report = JSON.parse(text) as {
      activeProfile: string;
      profiles: {
        id: string;
        baseUrl: string;
        tokens: { kind: string; tokenId: string; scopes: string[]; status: string; expiresAt: string }[];
      }[];
    };
    assert.equal(report.activeProfile, PROFILE);
    const mine = report.profiles.find((p) => p.id === PROFILE);
    assert.ok(mine);
    assert.equal(mine.baseUrl, sandbox.baseUrl);
    const long = tokenOf(api, PROFILE, 'long');
    const short = tokenOf(api, PROFILE, 'short');
    assert.ok(long && short);
    assert.deepEqual(
      mine.tokens.map((t) => [t.kind, t.tokenId]).sort(),
      [
        ['long-term', long.tokenId],
        ['short-term', short.tokenId],
      ].sort(),
    );
    const longRow = mine.tokens.find((t) => t.kind === 'long-term');
    assert.deepEqual(longRow?.scopes, long.scopes);
    assert.equal(longRow?.expiresAt, new Date(long.expiresAt).toISOString());
    assert.ok(!holdsAny(text, [...values]), 'no token value in any spelling');
    assert.equal(
      api.testing.agentTools()?.status.prepareInvocation().confirmationMessages,
      undefined,
      'reading needs no confirmation',
    );
  });

  it('the request tool sends one request with the token it adds and returns status, headers and body', async () => {
    const before = requestsTo('/jobs/42');
    const text = await invoke(REQUEST_TOOL_NAME, {
      method: 'GET',
      path: '/jobs/42?view=full',
      headers: { Accept: 'application/json' },
    });
    const response = JSON.parse(text) as { status: number; url: string; headers: Record<string, string>; body: string };
    assert.equal(response.status, 200, text);
    assert.equal(response.url, `${sandbox.baseUrl}/jobs/42?view=full`);
    assert.equal(requestsTo('/jobs/42'), before + 1, 'exactly one request');
    const echoed = JSON.parse(response.body) as { method: string; path: string; token: { token_id: string } };
    assert.equal(echoed.method, 'GET');
    assert.equal(echoed.path, '/v1/jobs/42?view=full');
    // The sandbox accepted the token the tool added: the active profile's short-term token.
    assert.equal(echoed.token.token_id, tokenOf(api, PROFILE, 'short')?.tokenId);
    assert.match(response.headers['content-type'] ?? '', /json/);
  });

  it('a response that echoes the token, plain, percent-encoded, base64 and inside JSON, comes back redacted', async () => {
    const token = await rememberValues();
    // The protected resource echoes path and body; a forced answer echoes it in headers and JSON too.
    const body = JSON.stringify({
      plain: token,
      base64: Buffer.from(token).toString('base64'),
      basic: Buffer.from(`c:${token}`).toString('base64'),
    });
    const echoText = await invoke(REQUEST_TOOL_NAME, {
      method: 'POST',
      path: `/jobs/echo?t=${encodeURIComponent(token).replace(/\./g, '%2E')}`,
      headers: { 'Content-Type': 'application/json' },
      body,
    });
    const echo = JSON.parse(echoText) as { status: number; body: string };
    assert.equal(echo.status, 200, echoText);
    assert.match(echo.body, /REDACTED/);
    // Sent as it is: JSON that escapes the token's dots (\u002e) as some serialisers do, and JSON inside JSON (\\u002e).
    const leaky = `{"access_token":"${token}","nested":{"deeper":["${token.replace(/\./g, '\\u002e')}","${Buffer.from(token).toString('base64url')}"]},"note":"token=${encodeURIComponent(token).replace(/\./g, '%2e')}","twice":"${token.replace(/\./g, '\\\\u002e')}"}`;
    sandbox.faults.forceStatus({
      route: 'GET /jobs/leaky',
      status: 200,
      times: 1,
      contentType: 'application/json',
      headers: { 'X-Echo': `Bearer ${token}`, 'X-Encoded': encodeURIComponent(token).replace(/\./g, '%2E') },
      body: leaky,
    });
    const leakyText = await invoke(REQUEST_TOOL_NAME, { path: '/jobs/leaky' });
    assert.equal((JSON.parse(leakyText) as { status: number }).status, 200, leakyText);
    for (const text of [echoText, leakyText]) {
      assert.ok(!holdsAny(text, [token]), 'no spelling of the token');
      assert.ok(!text.includes(token.slice(0, 30)) && !text.includes(token.slice(-30)), 'not even a part of it');
    }
  });

  it('refuses other origins, scheme-relative and userinfo tricks, traversal, Authorization and Host headers: nothing is sent', async () => {
    const host = new URL(elsewhere.origin).host;
    const before = JSON.stringify(sandbox.stats().byRoute);
    const attempts: object[] = [
      { path: `${elsewhere.origin}/v1/jobs` },
      { path: `//${host}/v1/jobs` },
      { path: `${new URL(sandbox.baseUrl).origin}@${host}/v1/jobs` },
      { path: `/@${host}/jobs` },
      { path: '/..%2f..%2fauth/tokens/long' },
      { path: '/%2e%2e/auth/tokens/long' },
      { path: '/jobs\\..\\..\\x' },
      { path: '/jobs', headers: { Authorization: 'Bearer mine' } },
      { path: '/jobs', headers: { host } },
    ];
    const tool = api.testing.agentTools()?.request;
    assert.ok(tool);
    for (const input of attempts) {
      const text = await invoke(REQUEST_TOOL_NAME, input);
      assert.match(text, /^Refused, nothing was sent: /, JSON.stringify(input));
      assert.equal(tool.prepareInvocation({ input }).confirmationMessages, undefined, 'a refused request asks nothing');
    }
    assert.equal(elsewhere.count(), 0, 'the other server received nothing');
    assert.equal(JSON.stringify(sandbox.stats().byRoute), before, 'the sandbox received nothing either');
  });

  it('reports a redirect without following it: the Location is shown redacted, its server receives nothing', async () => {
    const token = await rememberValues();
    for (const status of [302, 307, 308]) {
      sandbox.faults.forceStatus({
        route: 'GET /jobs/moved',
        status,
        times: 1,
        headers: { Location: `${elsewhere.origin}/steal?token=${encodeURIComponent(token)}` },
      });
      const text = await invoke(REQUEST_TOOL_NAME, { path: '/jobs/moved' });
      const response = JSON.parse(text) as { status: number; redirect?: { location: string; followed: boolean } };
      assert.equal(response.status, status, text);
      assert.equal(response.redirect?.followed, false);
      assert.ok(response.redirect?.location.startsWith(`${elsewhere.origin}/steal?token=`), text);
      assert.ok(!holdsAny(text, [token]));
    }
    assert.equal(elsewhere.count(), 0, 'the redirect target received nothing');
  });

  it('the confirmation shows method and full URL; a request nobody confirmed, or whose profile changed since, is not sent', async () => {
    const tool = api.testing.agentTools()?.request;
    assert.ok(tool);
    const input = {
      method: 'POST',
      path: '/jobs',
      headers: { 'Content-Type': 'application/json' },
      body: '{"name":"x"}',
    };
    const prepared = tool.prepareInvocation({ input });
    const confirmation = prepared.confirmationMessages;
    assert.ok(confirmation, 'VS Code is asked to confirm');
    assert.ok(confirmation.title.includes(new URL(sandbox.baseUrl).origin), confirmation.title);
    const message = typeof confirmation.message === 'string' ? confirmation.message : confirmation.message.value;
    assert.ok(message.includes(`POST ${sandbox.baseUrl}/jobs`), message);
    assert.ok(message.replace(/\\/g, '').includes('profile "Agent (C2M API test)" (agent)'), message);

    // Confirmed for the sandbox, then the active profile moves to another origin: invoke() refuses.
    await setProfiles(api, userProfiles(), OTHER);
    const moved = textOf(await tool.invoke({ input, toolInvocationToken: undefined }, cancel()));
    results.push(moved);
    assert.match(moved, /^Refused, nothing was sent/);
    await setProfiles(api, userProfiles(), PROFILE);
    const unconfirmed = textOf(
      await tool.invoke({ input: { path: '/jobs/never-prepared' }, toolInvocationToken: undefined }, cancel()),
    );
    results.push(unconfirmed);
    assert.match(unconfirmed, /not the one confirmed/);
    assert.equal(requestsTo('/jobs/never-prepared'), 0);
    assert.equal(elsewhere.count(), 0);
  });

  it('canary: no token value the extension held appears in any tool result, in any spelling', async () => {
    await rememberValues();
    const all = results.join('\n');
    assert.ok(results.length >= 15, `${results.length} results`);
    for (const value of values) assert.ok(!all.includes(value.slice(0, 24)), 'no start of a token');
    assert.ok(!holdsAny(all, [...values]), 'no spelling of a token');
  });
});
