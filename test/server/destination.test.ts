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
import {
  CodeActionRequest,
  CompletionRequest,
  type CodeAction,
  type CompletionItem,
  type CompletionList,
  type Diagnostic,
} from 'vscode-languageserver-protocol/node';
import { RequestContextNotification } from '../../server/src/messages';
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

function meta(value: string, profileId: string, tokenId: string): TokenSummary {
  return {
    profileId,
    profileName: profileId,
    kind: 'short',
    tokenId,
    fingerprint: tokenFingerprint(value),
    scopes: [],
    issuedAt: NOW,
    expiresAt: NOW + 900_000,
    status: 'valid',
  };
}

const state: TokenStateParams = {
  tokens: [meta(prodToken, 'prod', 'p1'), meta(stagingToken, 'staging', 's1')],
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
    assert.match(
      String(w[0]!.message),
      /profile "Production".*https:\/\/staging\.c2m\.example:443.*https:\/\/api\.c2m\.example:443/,
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
    assert.match(String(w[0]!.message), /through \{\{token\}\}/);
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

  it('says nothing when the URL cannot be resolved (unknown variable, request variable, settings environment)', async () => {
    const { items } = await request(
      `GET https://{{host}}/v1\nAuthorization: Bearer ${prodToken}\n\n###\nGET {{login.response.body.$.url}}\nAuthorization: Bearer ${prodToken}\n\n###\nGET https://{{$processEnv %hostKey}}/x\nAuthorization: Bearer ${prodToken}\n\n###\nGET /relative\nAuthorization: Bearer ${prodToken}\n`,
    );
    assert.deepEqual(wrong(items), []);
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
    /** The labels of the items offered at the end of the last line of `text` (the Authorization header being typed). */
    async function offered(text: string): Promise<string[]> {
      const { uri } = await request(text);
      const lines = text.split('\n');
      const answer = (await client.connection.sendRequest(CompletionRequest.type, {
        textDocument: { uri },
        position: { line: lines.length - 1, character: lines.at(-1)!.length },
      })) as CompletionItem[] | CompletionList | null;
      const items = Array.isArray(answer) ? answer : (answer?.items ?? []);
      return items.map((i) => String(i.label));
    }

    it('a request to a lookalike host, written out or behind a file variable, gets no token and no reference', async () => {
      assert.deepEqual(await offered('GET https://api.c2m.example.evil.test/v1/jobs\nAuthorization:'), []);
      assert.deepEqual(
        await offered('@host = https://api.c2m.example.evil.test\n\nGET {{host}}/v1/jobs\nAuthorization:'),
        [],
      );
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
