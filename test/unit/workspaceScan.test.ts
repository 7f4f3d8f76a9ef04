// The leak scan's server half over real files: findings carry position, shape, fingerprint and unverified claims,
// never a value; big, binary and unreadable files are skipped with a reason; the total number of findings is capped.
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { scanFiles, scanText } from '../../server/src/features/workspaceScan';
import { tokenFingerprint } from '@shared/tokens/fingerprint';
import { makeJwt } from '../support/jwt';

const JWT = makeJwt({ jti: 'tok_st_abc123', exp: 2_000_000_000 }, { alg: 'ES256' });
const LONG = `lt_${'a1B2'.repeat(11)}`;

describe('workspace scan (server half)', () => {
  let dir: string;
  const file = (name: string, content: string | Buffer): string => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, content);
    return pathToFileURL(p).toString();
  };

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'c2m-scan-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finds JWTs and long-term tokens by position, with fingerprint and claims, and no value', () => {
    const findings = scanText(
      'file:///x.http',
      `GET /\r\nAuthorization: Bearer ${JWT}\nkey=${LONG} # x\nnot-a-token eyJnotajwt\n`,
      100,
    );
    assert.deepEqual(findings, [
      {
        uri: 'file:///x.http',
        range: { start: { line: 1, character: 22 }, end: { line: 1, character: 22 + JWT.length } },
        shape: 'jwt',
        fingerprint: tokenFingerprint(JWT),
        tokenId: 'tok_st_abc123',
        expiresAt: 2_000_000_000_000,
      },
      {
        uri: 'file:///x.http',
        range: { start: { line: 2, character: 4 }, end: { line: 2, character: 4 + LONG.length } },
        shape: 'longTerm',
        fingerprint: tokenFingerprint(LONG),
      },
    ]);
    assert.ok(!JSON.stringify(findings).includes(JWT.split('.')[2]!));
  });

  it('skips files over the size cap, binary files and missing files, and stops at the findings cap', async () => {
    const small = file('a.http', `${JWT}\n${JWT}\n${JWT}\n`);
    const big = file('big.txt', `${JWT}\n`.repeat(100));
    const binary = file('bin.dat', Buffer.concat([Buffer.from(JWT), Buffer.from([0, 1, 2])]));
    const missing = pathToFileURL(path.join(dir, 'gone.http')).toString();
    const other = file('b.http', `${JWT}\n`);
    const result = await scanFiles({ uris: [big, binary, missing, small, other], maxFileBytes: 1000, maxFindings: 2 });
    assert.deepEqual(
      result.skipped.map((s) => [path.basename(new URL(s.uri).pathname), s.reason]),
      [
        ['big.txt', 'larger than 1000 bytes'],
        ['bin.dat', 'binary'],
        ['gone.http', 'ENOENT'],
      ],
    );
    assert.equal(result.findings.length, 2);
    assert.ok(result.findings.every((f) => f.uri === small));
    assert.equal(result.truncated, true, 'b.http was not looked at');
  });
});
