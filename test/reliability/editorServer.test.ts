// The editor `npm start` and the test harness serve: the real code-server, started by the harness's own
// scripts/lib/codeServer.mjs, asked the way a hostile web page after DNS rebinding and another local user would.
// A workbench WebSocket is the whole editor (files, terminal, extension host): only the password holder gets one.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { note } from '../support/reliability/ledger';

const ROOT = path.resolve(__dirname, '..', '..');

interface CodeServer {
  baseUrl: string;
  /** Absent on a harness without a login. */
  password?: string;
  stop(): Promise<void>;
}
interface HarnessLib {
  prepareRunFolders(root: string): { root: string };
  startCodeServer(run: { root: string }, options: { workspace: string }): Promise<CodeServer>;
}
interface PathsLib {
  processRunDir(name: string): string;
  toolPaths(): { marker: string };
}

/** The harness's modules are ES modules: loaded at run time, typed by what this test uses. */
async function load<T>(file: string): Promise<T> {
  return (await import(pathToFileURL(path.join(ROOT, 'scripts', 'lib', file)).href)) as T;
}

/** What a rebinding page's browser sends: the attacker's name (now resolving to 127.0.0.1) in Host and Origin. */
const REBOUND = 'c2m-rebound.attacker.example';

/**
 * Sends a WebSocket upgrade over a raw socket, as a browser would for the workbench, and returns the status code of
 * the answer (0 when the connection closed without one).
 */
function upgrade(port: number, headers: { host: string; origin?: string; cookie?: string }): Promise<number> {
  const lines = [
    `GET /stable-c2m?reconnectionToken=${randomBytes(8).toString('hex')}&reconnection=false&skipWebSocketFrames=false HTTP/1.1`,
    `Host: ${headers.host}`,
    ...(headers.origin ? [`Origin: ${headers.origin}`] : []),
    ...(headers.cookie ? [`Cookie: ${headers.cookie}`] : []),
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
    'Sec-WebSocket-Version: 13',
  ];
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(`${lines.join('\r\n')}\r\n\r\n`));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      answer += chunk;
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      if (status) {
        socket.destroy();
        resolve(Number(status[1]));
      }
    });
    socket.once('close', () => resolve(0));
    socket.once('error', reject);
  });
}

/** A plain GET with the given Host header (fetch cannot set Host). */
function get(port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () =>
      socket.write(`GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`),
    );
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.once('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0)));
    socket.once('error', reject);
  });
}

/** Logs in through code-server's login form; returns the session cookie, or undefined when none was given. */
async function logIn(server: CodeServer, password: string): Promise<string | undefined> {
  const response = await fetch(`${server.baseUrl}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.baseUrl },
    body: new URLSearchParams({ password }).toString(),
    redirect: 'manual',
  });
  await response.arrayBuffer();
  const session = response.headers.getSetCookie().find((cookie) => cookie.startsWith('code-server-session'));
  return session?.split(';')[0];
}

describe('reliability: the editor npm start and the harness serve', function () {
  let server: CodeServer | undefined;
  let port = 0;

  before(async function () {
    const paths = await load<PathsLib>('paths.mjs');
    if (!fs.existsSync(paths.toolPaths().marker)) this.skip(); // needs `npm run provision`
    const harness = await load<HarnessLib>('codeServer.mjs');
    const run = harness.prepareRunFolders(paths.processRunDir('reliability-editor'));
    const workspace = path.join(run.root, 'workspace');
    fs.mkdirSync(workspace, { recursive: true });
    server = await harness.startCodeServer(run, { workspace });
    port = Number(new URL(server.baseUrl).port);
  });

  after(async () => {
    await server?.stop();
  });

  it("[A3] DNS rebinding: a workbench WebSocket upgrade (and a page load) with the attacker's Host and Origin is refused, even carrying a valid session cookie", async () => {
    const n = note('A3', 'rebound Host and Origin: WebSocket upgrade with and without a session cookie, page load');
    const rebound = { host: `${REBOUND}:${port}`, origin: `http://${REBOUND}:${port}` };
    const cookie = server!.password ? await logIn(server!, server!.password) : undefined;
    const answers = [
      await upgrade(port, rebound),
      await upgrade(port, { ...rebound, ...(cookie ? { cookie } : {}) }),
      await get(port, rebound.host),
    ];
    n.badInput(answers.length).done();
    assert.notEqual(answers[0], 101, 'the rebound upgrade was switched to a WebSocket');
    assert.notEqual(answers[1], 101, 'the rebound upgrade with a session cookie was switched to a WebSocket');
    assert.equal(answers[2], 403, 'the rebound page load was served');
  });

  it('[A3] another local user: an upgrade on 127.0.0.1 without the password (no cookie, or one from a wrong password) is refused', async () => {
    const n = note('A3', 'loopback Host and Origin without the password: no cookie, wrong password');
    const loopback = { host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}` };
    const wrong = await logIn(server!, 'not-the-password');
    const answers = [
      await upgrade(port, loopback),
      await upgrade(port, { host: loopback.host }),
      await upgrade(port, { ...loopback, ...(wrong ? { cookie: wrong } : {}) }),
    ];
    n.badInput(answers.length).done();
    assert.equal(wrong, undefined, 'a wrong password got a session cookie');
    assert.deepEqual(
      answers.map((status) => status === 101),
      [false, false, false],
      `upgrades without the password were switched to WebSockets (answers ${answers.join(', ')})`,
    );
  });

  it('[A3] the real login: the password the harness holds opens the workbench WebSocket on 127.0.0.1 and on localhost', async () => {
    assert.ok(server!.password, 'the harness started code-server without a password');
    const cookie = await logIn(server!, server!.password);
    assert.ok(cookie, 'the right password got no session cookie');
    assert.equal(await upgrade(port, { host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}`, cookie }), 101);
    assert.equal(await upgrade(port, { host: `localhost:${port}`, origin: `http://localhost:${port}`, cookie }), 101);
  });
});
