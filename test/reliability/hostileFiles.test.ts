// Hostile files for the language server, over a real LSP connection to the built bundle (dist/server.js,
// spawned over stdio). The files are written to a temp folder and read back the way an editor would, then opened.
// Checks: the server still answers afterwards (no crash), findings and diagnostics capped, ranges exact, and growth
// judged structurally: string work counted while analysing n and 2n inputs, never a stopwatch.
// Also N2: a stalled exchange in the client does not stop the language server from answering.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HoverRequest, type Diagnostic, type Hover } from 'vscode-languageserver-protocol';
import { analyseText, type DocKind } from '../../server/src/analysis';
import { MAX_DIAGNOSTICS, MAX_FINDINGS } from '../../server/src/parse/limits';
import { DiagnosticCodes } from '@shared/protocol/diagnosticCodes';
import { makeJwt } from '../support/jwt';
import { SERVER_BUNDLE, TestClient } from '../support/lsp/testClient';
import { note } from '../support/reliability/ledger';
import { coreRejection, rigs, SHORT_ROUTE } from './rig';

const PAST = 1_000_000_000; // 2001: every token below has expired by its own claims
const expiredJwt = (i: number): string => makeJwt({ sub: 'hostile', jti: `h${i}`, exp: PAST });
const b64 = (raw: string): string => Buffer.from(raw).toString('base64url');

/** Characters looked at while `fn` runs: charCodeAt calls plus the distance every indexOf covered. */
function stringWork(fn: () => void): number {
  const proto = String.prototype;
  const { charCodeAt, indexOf } = proto;
  let work = 0;
  proto.charCodeAt = function (this: string, i: number) {
    work++;
    return charCodeAt.call(this, i);
  };
  proto.indexOf = function (this: string, search: string, from?: number) {
    const at = indexOf.call(this, search, from);
    work += (at === -1 ? this.length : at) - (from ?? 0) + 1;
    return at;
  };
  try {
    fn();
  } finally {
    proto.charCodeAt = charCodeAt;
    proto.indexOf = indexOf;
  }
  return work;
}

/** Work for the input built at size n and 2n: linear means the ratio stays near 2. */
function growth(kind: DocKind, build: (n: number) => string, n: number): number {
  const w1 = stringWork(() => void analyseText('file:///g', kind, build(n)));
  const w2 = stringWork(() => void analyseText('file:///g', kind, build(2 * n)));
  return w2 / w1;
}

function hoverText(hover: Hover | null): string {
  return hover ? JSON.stringify(hover.contents) : '';
}

describe('reliability: hostile files for the language server', function () {
  let client: TestClient;
  let dir: string;
  const world = rigs();

  before(async () => {
    assert.ok(
      fs.existsSync(SERVER_BUNDLE),
      `${SERVER_BUNDLE} missing: run \`npm run build\` (npm run test:reliability does)`,
    );
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'c2m-hostile-'));
    client = TestClient.spawnBundle();
    await client.initialize();
  });

  after(() => {
    client?.dispose();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Writes the file, reads it back as the editor would (UTF-8 unless told), opens it and pulls diagnostics. */
  async function openFile(
    name: string,
    bytes: Buffer,
    decode: (b: Buffer) => string = (b) => b.toString('utf8'),
  ): Promise<{ uri: string; text: string; diagnostics: Diagnostic[] }> {
    const file = path.join(dir, name);
    fs.writeFileSync(file, bytes);
    const text = decode(fs.readFileSync(file));
    const uri = `file://${file}`;
    await client.open(uri, name.includes('.env') ? 'dotenv' : 'http', text);
    return { uri, text, diagnostics: await client.diagnostics(uri) };
  }

  /** The server answers a fresh request after the hostile file: it did not crash or hang. */
  async function stillAnswers(): Promise<void> {
    const uri = `file://${dir}/probe-${Math.random().toString(36).slice(2)}.http`;
    const token = expiredJwt(0);
    await client.open(uri, 'http', `GET http://x\nAuthorization: Bearer ${token}\n`);
    const items = await client.diagnostics(uri);
    assert.deepEqual(
      items.map((d) => d.code),
      [DiagnosticCodes.expired],
      'the server still analyses a normal file',
    );
  }

  function textAt(text: string, d: Diagnostic): string {
    const lines = text.split('\n');
    return (lines[d.range.start.line] ?? '').slice(d.range.start.character, d.range.end.character);
  }

  async function hoverAt(uri: string, line: number, character: number): Promise<Hover | null> {
    return client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character } });
  }

  it('[H1] a 60 MB .env: no crash, findings and diagnostics capped, ranges exact, linear work', async () => {
    const line = (i: number) => `TOKEN_${i}=${expiredJwt(i % 1000)}\n`;
    const parts: string[] = [];
    let size = 0;
    for (let i = 0; size < 60 * 1024 * 1024; i++) {
      const l = line(i);
      parts.push(l);
      size += l.length;
    }
    const { text, diagnostics } = await openFile('.env.hostile', Buffer.from(parts.join('')));
    const n = note('H1', `${(size / 1048576).toFixed(0)} MB .env, ${parts.length} token lines, over LSP`).badInput();
    assert.ok(diagnostics.length > 0 && diagnostics.length <= MAX_DIAGNOSTICS + 1, `${diagnostics.length} diagnostics`);
    const expired = diagnostics.filter((d) => d.code === DiagnosticCodes.expired);
    for (const d of expired.slice(0, 50))
      assert.match(textAt(text, d), /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/, 'range covers exactly the token');
    assert.equal(expired[0]!.range.start.character, 'TOKEN_0='.length);
    const r = analyseText('file:///x/.env', 'env', text);
    assert.ok(r.truncated && r.tokenCount <= MAX_FINDINGS, `findings capped (${r.tokenCount})`);
    const ratio = growth('env', (k) => parts.slice(0, k).join(''), 5_000);
    n.done();
    assert.ok(ratio > 1.8 && ratio < 2.2, `work x${ratio.toFixed(2)} for twice the input`);
    await stillAnswers();
  });

  it('[H2] a 15 MB single line of eyJ… without dots: no crash, no finding, work bounded per line', async () => {
    const body = (len: number) => `GET http://x\nAuthorization: Bearer ${'eyJ'.repeat(Math.ceil(len / 3))}\n`;
    const { diagnostics } = await openFile('line.http', Buffer.from(body(15 * 1024 * 1024)));
    const n = note('H2', '15 MB line of repeated eyJ in a request file, over LSP').badInput();
    assert.deepEqual(diagnostics, []);
    const ratio = growth('request', body, 200_000);
    const big = stringWork(() => void analyseText('file:///l.http', 'request', body(15 * 1024 * 1024)));
    n.done();
    assert.ok(ratio > 1.8 && ratio < 2.2, `work x${ratio.toFixed(2)} for twice the line`);
    // A bounded number of looks per character (no backtracking over the run of eyJ).
    assert.ok(big < 4 * 15 * 1024 * 1024, `work ${big} on a 15 MB line`);
    await stillAnswers();
  });

  it('[H3] 100k JWT-like strings: findings capped, diagnostics capped, first and last ranges exact, linear work', async () => {
    const doc = (k: number) => {
      const out: string[] = [];
      for (let i = 0; i < k; i++) out.push(`GET http://x/${i}\nAuthorization: Bearer ${expiredJwt(i)}\n\n###\n`);
      return out.join('');
    };
    const opened = await openFile('many.http', Buffer.from(doc(100_000)));
    const { text } = opened;
    let { diagnostics } = opened;
    const n = note('H3', '100,000 requests each with a distinct expired JWT, over LSP').badInput();
    assert.ok(diagnostics.length <= MAX_DIAGNOSTICS + 1, `${diagnostics.length} diagnostics`);
    assert.ok(
      diagnostics.some((d) => d.code === DiagnosticCodes.tooLarge),
      'the user is told the rest was not analysed',
    );
    diagnostics = diagnostics.filter((d) => d.code === DiagnosticCodes.expired);
    assert.equal(diagnostics[0]!.range.start.line, 1);
    assert.equal(diagnostics[0]!.range.start.character, 'Authorization: Bearer '.length);
    for (const d of [diagnostics[0]!, diagnostics.at(-1)!])
      assert.match(textAt(text, d), /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    const r = analyseText('file:///m.http', 'request', text);
    assert.equal(r.tokenCount, MAX_FINDINGS, 'findings capped');
    assert.ok(r.truncated);
    const ratio = growth('request', doc, 5_000);
    n.done();
    assert.ok(ratio > 1.8 && ratio < 2.2, `work x${ratio.toFixed(2)} for twice the tokens`);
    await stillAnswers();
  });

  it('[H4] bad base64 in header and payload: found, hover names the problem, no crash', async () => {
    const token = `eyJ${'!'.repeat(0)}zzzz_not-json.${b64('{not json')}.sig`;
    const { uri, diagnostics } = await openFile(
      'bad64.http',
      Buffer.from(`GET http://x\nAuthorization: Bearer ${token}\n`),
    );
    note('H4', 'JWT-shaped token whose segments do not decode to JSON').badInput().done();
    assert.deepEqual(diagnostics, [], 'no expiry is invented');
    const hover = hoverText(await hoverAt(uri, 1, 25));
    assert.match(hover, /not base64url-encoded JSON/);
    await stillAnswers();
  });

  it('[H5] a 5-part JWE: one finding covering all five parts, claims not read', async () => {
    const token = `${b64('{"alg":"RSA-OAEP","enc":"A256GCM"}')}.${b64('key')}.${b64('iv')}.${b64('ciphertext')}.${b64('tag')}`;
    const { uri } = await openFile('jwe.http', Buffer.from(`GET http://x\nAuthorization: Bearer ${token}\n`));
    note('H5', '5-part compact JWE in an Authorization header').badInput().done();
    const hover = await hoverAt(uri, 1, 30);
    assert.match(hoverText(hover), /encrypted/);
    const start = 'Authorization: Bearer '.length;
    assert.deepEqual(hover?.range, {
      start: { line: 1, character: start },
      end: { line: 1, character: start + token.length },
    });
    await stillAnswers();
  });

  it('[H6] alg: none with an empty signature: found with its trailing dot, flagged unsigned', async () => {
    const token = `${b64('{"alg":"none","typ":"JWT"}')}.${b64(`{"sub":"x","exp":${PAST}}`)}.`;
    const { uri, text, diagnostics } = await openFile(
      'none.http',
      Buffer.from(`GET http://x\nAuthorization: Bearer ${token}\n`),
    );
    note('H6', 'unsigned JWT (alg none, empty signature)').badInput().done();
    assert.equal(diagnostics.length, 1);
    assert.equal(textAt(text, diagnostics[0]!), token);
    assert.match(hoverText(await hoverAt(uri, 1, 25)), /alg \\"none\\"|alg "none"/);
    await stillAnswers();
  });

  it('[H7] exp as a string and as 1e309: no expiry invented, the problem is named', async () => {
    const asString = `${b64('{"alg":"HS256"}')}.${b64('{"exp":"1700000000"}')}.c2ln`;
    const infinite = `${b64('{"alg":"HS256"}')}.${b64('{"exp":1e309}')}.c2ln`;
    const { uri, diagnostics } = await openFile(
      'exp.http',
      Buffer.from(`GET http://x\nA: ${asString}\nB: ${infinite}\n`),
    );
    note('H7', 'exp "1700000000" (string) and exp 1e309 (Infinity after JSON.parse)').badInput(2).done();
    assert.deepEqual(diagnostics, []);
    for (const line of [1, 2]) assert.match(hoverText(await hoverAt(uri, line, 5)), /exp is not a finite number/);
    await stillAnswers();
  });

  it('[H8] a BOM before the first token: ranges count it, the token is found', async () => {
    const token = expiredJwt(8);
    const { text, diagnostics } = await openFile(
      '.env.bom',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`C2M_ACCESS_TOKEN=${token}\r\n`)]),
    );
    note('H8', 'UTF-8 BOM then a token on line 0 (BOM kept in the text)').badInput().done();
    assert.equal(text.charCodeAt(0), 0xfeff);
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0]!.range.start.character, 1 + 'C2M_ACCESS_TOKEN='.length);
    assert.equal(textAt(text, diagnostics[0]!), token);
    await stillAnswers();
  });

  it('[H9] UTF-16: decoded, tokens found with exact ranges; read as UTF-8 (NUL-interleaved), nothing found and no crash', async () => {
    const token = expiredJwt(9);
    const content = `# comment\nC2M_ACCESS_TOKEN=${token}\n`;
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(content, 'utf16le')]);
    const decoded = await openFile('.env.utf16', bytes, (b) => new TextDecoder('utf-16le').decode(b));
    assert.equal(decoded.diagnostics.length, 1);
    assert.equal(textAt(decoded.text, decoded.diagnostics[0]!), token);
    const raw = await openFile('.env.utf16raw', bytes);
    note('H9', 'UTF-16LE file with BOM, decoded properly and mis-decoded as UTF-8').badInput(2).done();
    assert.deepEqual(raw.diagnostics, []);
    await stillAnswers();
  });

  it('[H10] NUL bytes around and between tokens: each token found, ranges exact', async () => {
    const [t1, t2] = [expiredJwt(10), expiredJwt(11)];
    const { text, diagnostics } = await openFile(
      'nul.http',
      Buffer.from(`GET http://x\u0000\nAuthorization: Bearer ${t1}\u0000\u0000${t2}\u0000\n\u0000\u0000\n`),
    );
    note('H10', 'NUL bytes in the request line, between and after tokens').badInput().done();
    assert.deepEqual(
      diagnostics.map((d) => textAt(text, d)),
      [t1, t2],
    );
    await stillAnswers();
  });

  it('[H11] CRLF line endings: ranges exclude the CR and land on the right lines', async () => {
    const tokens = [expiredJwt(20), expiredJwt(21), expiredJwt(22)];
    const body = tokens.map((t, i) => `GET http://x/${i}\r\nAuthorization: Bearer ${t}\r\n\r\n###\r\n`).join('');
    const { text, diagnostics } = await openFile('crlf.http', Buffer.from(body));
    note('H11', 'request file with CRLF line endings, three requests').badInput().done();
    assert.deepEqual(
      diagnostics.map((d) => d.range.start.line),
      [1, 5, 9],
    );
    assert.deepEqual(
      diagnostics.map((d) => textAt(text, d)),
      tokens,
    );
    await stillAnswers();
  });

  it('[N2] a stalled exchange (no answer at all) times out, and the language server answers meanwhile', async () => {
    const { rig, engine } = await world.startSignedIn({}, { timeoutMs: 300 });
    rig.sandbox.faults.stall({ route: SHORT_ROUTE });
    let settled = false;
    const stalled = coreRejection(engine.refreshShortTermToken('p1')).finally(() => (settled = true));
    const n = note('N2', 'sandbox never answers the exchange (stall); an LSP request sent while it is pending');
    const uri = `file://${dir}/during-stall.http`;
    await client.open(uri, 'http', `GET http://x\nAuthorization: Bearer ${expiredJwt(30)}\n`);
    const items = await client.diagnostics(uri);
    assert.equal(settled, false, 'the server answered while the exchange was still pending');
    assert.equal(items.length, 1);
    const error = await stalled;
    n.fault(rig.requests(SHORT_ROUTE)).done();
    assert.equal(error.apiCode, 'timeout');
    assert.match(error.message, /No complete answer .* within 300 ms/);
    assert.equal(rig.requests(SHORT_ROUTE), 3, 'three tries, each timed out');
  });
});
