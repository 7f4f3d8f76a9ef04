// The opt-in request-history sources on real temp folders laid out as REST Client and VS Code lay them out: findings
// are reported by source and entry, and clearing removes exactly the entries that hold a named token (REST Client's
// array entry; Local History's copy and its record), leaving every other entry, file and byte as it was.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  clearLocalHistory,
  clearRestClientHistory,
  localHistoryPath,
  restClientHistoryPath,
  scanLocalHistory,
  scanRestClientHistory,
} from '../../client/src/integrations/leakScan/requestHistory';
import { tokenFingerprint } from '@shared/tokens/fingerprint';
import { makeJwt } from '../support/jwt';

const LIVE = makeJwt({ jti: 'tok_st_live1', exp: 4_000_000_000 });
const OLD = makeJwt({ jti: 'tok_st_old1', exp: 1_000_000_000 });

describe('leak scan: request history outside the workspace (REST Client, Local History)', () => {
  let tmp: string;
  let restClient: string;
  let history: string;

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'c2m-reqhist-'));
    restClient = path.join(tmp, 'home', '.rest-client', 'history.json');
    fs.mkdirSync(path.dirname(restClient), { recursive: true });
    // As REST Client writes it (fs-extra writeJson: compact), newest first.
    fs.writeFileSync(
      restClient,
      JSON.stringify([
        {
          method: 'GET',
          url: 'https://api.example.invalid/jobs?x=1',
          headers: { Authorization: `Bearer ${LIVE}` },
          body: undefined,
          startTime: 3,
        },
        {
          method: 'POST',
          url: 'https://api.example.invalid/jobs',
          headers: { 'Content-Type': 'application/json' },
          body: '{"a":1}',
          startTime: 2,
        },
        {
          method: 'GET',
          url: 'https://api.example.invalid/old',
          headers: { Authorization: `Bearer ${OLD}` },
          startTime: 1,
        },
      ]),
    );
    history = localHistoryPath(path.join(tmp, 'user-data', 'User', 'globalStorage', 'c2m.c2m-tokens'));
    const folder = (name: string, resource: string, entries: [string, string][]): void => {
      fs.mkdirSync(path.join(history, name), { recursive: true });
      for (const [id, text] of entries) fs.writeFileSync(path.join(history, name, id), text);
      fs.writeFileSync(
        path.join(history, name, 'entries.json'),
        JSON.stringify({ version: 1, resource, entries: entries.map(([id], i) => ({ id, timestamp: 1000 + i })) }),
      );
    };
    folder('-5a1b', 'file:///work/api/request.http', [
      ['AbCd.http', `GET /\nAuthorization: Bearer ${LIVE}\n`],
      ['EfGh.http', 'GET /\nAuthorization: Bearer {{$dotenv C2M_ACCESS_TOKEN}}\n'],
    ]);
    // Not a request file: not searched, never touched.
    folder('7c2d', 'file:///work/src/app.ts', [['IjKl.ts', `const t = '${LIVE}';\n`]]);
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('finds where REST Client and VS Code keep them', () => {
    const home = path.join(tmp, 'home');
    assert.equal(restClientHistoryPath(home, {}, fs.existsSync), restClient);
    const bare = path.join(tmp, 'bare');
    assert.equal(
      restClientHistoryPath(bare, { XDG_CACHE_HOME: '/xdg' }, fs.existsSync),
      path.join('/xdg', 'rest-client', 'history.json'),
    );
    assert.equal(restClientHistoryPath(bare, {}, fs.existsSync), path.join(bare, '.rest-client', 'history.json'));
    assert.equal(history, path.join(tmp, 'user-data', 'User', 'History'));
  });

  it('reports findings by source and entry, without a value or a query string', async () => {
    const rc = await scanRestClientHistory(restClient, 100);
    assert.deepEqual(
      rc.map((f) => [f.source, f.entry, f.about, f.fingerprint]),
      [
        ['restClient', '0', 'GET https://api.example.invalid/jobs', tokenFingerprint(LIVE)],
        ['restClient', '2', 'GET https://api.example.invalid/old', tokenFingerprint(OLD)],
      ],
    );
    const lh = await scanLocalHistory(history, 100);
    assert.deepEqual(
      lh.map((f) => [f.source, f.entry, f.about, f.range.start.line, f.fingerprint]),
      [['localHistory', 'AbCd.http', 'file:///work/api/request.http', 1, tokenFingerprint(LIVE)]],
    );
    assert.ok(!JSON.stringify([rc, lh]).includes(LIVE));
  });

  it('a token in the path of a request REST Client kept is not in what the entry is said to be about', async () => {
    // The view shows `about` in the entry's tooltip; a token sent in the URL's path (a download link, a token
    // endpoint) would show there whole.
    fs.writeFileSync(
      restClient,
      JSON.stringify([{ method: 'GET', url: `https://api.example.invalid/files/${LIVE}/download`, headers: {} }]),
    );
    const [finding] = await scanRestClientHistory(restClient, 100);
    assert.equal(finding?.fingerprint, tokenFingerprint(LIVE));
    assert.ok(!finding.about.includes(LIVE.split('.')[2]!), finding.about);
    assert.match(finding.about, /^GET https:\/\/api\.example\.invalid\/files\/.+\/download$/);
  });

  it('clear: only the entries holding the named token go; every other entry and file stays', async () => {
    const live = (fp: string): boolean => fp === tokenFingerprint(LIVE);
    const untouched = fs.readFileSync(path.join(history, '7c2d', 'entries.json'), 'utf8');
    assert.equal(await clearRestClientHistory(restClient, live), 1);
    const left = JSON.parse(fs.readFileSync(restClient, 'utf8')) as { startTime: number }[];
    assert.deepEqual(
      left.map((e) => e.startTime),
      [2, 1],
      'the clean entry and the one with the expired foreign token stay',
    );
    assert.equal(fs.readFileSync(restClient, 'utf8'), JSON.stringify(left), 'written as REST Client writes it');

    assert.equal(await clearLocalHistory(history, live), 1);
    assert.deepEqual(fs.readdirSync(path.join(history, '-5a1b')).sort(), ['EfGh.http', 'entries.json']);
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(history, '-5a1b', 'entries.json'), 'utf8')), {
      version: 1,
      resource: 'file:///work/api/request.http',
      entries: [{ id: 'EfGh.http', timestamp: 1001 }],
    });
    assert.deepEqual(
      fs.readdirSync(path.join(history, '7c2d')).sort(),
      ['IjKl.ts', 'entries.json'],
      'not a request file: untouched',
    );
    assert.equal(fs.readFileSync(path.join(history, '7c2d', 'entries.json'), 'utf8'), untouched);
    assert.equal(await clearRestClientHistory(restClient, live), 0, 'nothing left to clear');
    assert.deepEqual(await scanLocalHistory(history, 100), []);
  });

  it('clear never follows an entry id out of its folder, nor a symlinked history file', async () => {
    const outside = path.join(tmp, 'outside.http');
    fs.writeFileSync(outside, `Authorization: Bearer ${LIVE}\n`);
    fs.writeFileSync(
      path.join(history, '-5a1b', 'entries.json'),
      JSON.stringify({
        version: 1,
        resource: 'file:///w/r.http',
        entries: [{ id: '../../outside.http', timestamp: 1 }],
      }),
    );
    const linked = path.join(tmp, 'linked.json');
    fs.renameSync(restClient, linked);
    fs.symlinkSync(linked, restClient);
    const all = (): boolean => true;
    assert.equal(await clearLocalHistory(history, all), 0);
    assert.equal(await clearRestClientHistory(restClient, all), 0);
    assert.ok(fs.existsSync(outside));
    assert.ok(fs.readFileSync(linked, 'utf8').includes(LIVE));
  });
});
