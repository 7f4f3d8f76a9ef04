// The destination guard's resolution, pure parts: request-file variables as REST Client expands them, the URL's
// origin, dotenv values as the dotenv package reads them, which env file REST Client reads, and REST Client's
// environment.json. Properties: resolution never throws, gives up (undefined) whenever anything it needs is unknown,
// and otherwise gives exactly the plain substitution, so it never makes up a host.
import assert from 'node:assert/strict';
import path from 'node:path';
import * as dotenv from 'dotenv';
import fc from 'fast-check';
import { originOfUrl } from '@shared/net/origin';
import { dotenvValues } from '../../server/src/parse/dotenvValues';
import {
  expand,
  fileVariableLine,
  nameOf,
  referencesIn,
  urlOfRequestLine,
  type Lookups,
} from '../../server/src/parse/variables';
import { restClientEnvFile, type EnvFileReader } from '../../server/src/features/envFiles';
import {
  parseRestClientEnvironment,
  REST_CLIENT_NO_ENVIRONMENT,
  restClientEnvironmentFile,
} from '../../client/src/integrations/restClientEnvironment';

type Source = Record<string, string>;

function lookups(files: Source, dot: Source, env: Source): Lookups {
  const get = (s: Source, k: string): string | undefined =>
    Object.prototype.hasOwnProperty.call(s, k) ? s[k] : undefined;
  return { fileVariable: (k) => get(files, k), dotenv: (k) => get(dot, k), processEnv: (k) => get(env, k) };
}

/** The oracle: plain recursive substitution with the same rules, written the simple way. */
function oracle(t: string, files: Source, dot: Source, env: Source, seen: string[] = []): string | undefined {
  if (seen.length > 8) return undefined;
  let failed = false;
  const out = t.replace(/\{\{(.*?)\}\}/g, (_m, inner: string) => {
    const body = inner.trim();
    let v: string | undefined;
    const d = /^\$dotenv\s+([\w.-]+)$/.exec(body);
    const p = /^\$processEnv\s+(\w+)$/.exec(body);
    if (d) v = Object.prototype.hasOwnProperty.call(dot, d[1]!) ? dot[d[1]!] : undefined;
    else if (p) v = Object.prototype.hasOwnProperty.call(env, p[1]!) ? env[p[1]!] : undefined;
    else if (/^[^\s.${}%]+$/.test(body) && !seen.includes(body) && Object.prototype.hasOwnProperty.call(files, body)) {
      v = oracle(files[body]!, files, dot, env, [...seen, body]);
    }
    if (v === undefined) failed = true;
    return v ?? '';
  });
  return failed ? undefined : out;
}

const names = ['host', 'base', 'port', 'token', 'a', 'b'];
const word = fc.stringMatching(/^[a-z0-9.:/-]{0,12}$/);
const reference = fc.oneof(
  fc.constantFrom(...names).map((n) => `{{${n}}}`),
  fc.constantFrom(...names).map((n) => `{{ ${n} }}`),
  fc.constantFrom('HOST', 'TOKEN', 'X-Y').map((n) => `{{$dotenv ${n}}}`),
  fc.constantFrom('HOST', 'TOKEN').map((n) => `{{$processEnv ${n}}}`),
  fc.constantFrom(
    '{{$processEnv %key}}',
    '{{login.response.body.$.url}}',
    '{{$guid}}',
    '{{unknown}}',
    '{{',
    '}}',
    '{{}}',
  ),
);
const template = fc.array(fc.oneof(word, reference), { maxLength: 8 }).map((parts) => parts.join(''));
const source = (keys: string[]) => fc.dictionary(fc.constantFrom(...keys), template, { maxKeys: keys.length });

describe('destination guard: resolution of request-file variables', () => {
  it('never throws; resolves exactly as plain substitution, and to nothing when anything is unknown (cycles too)', () => {
    fc.assert(
      fc.property(
        template,
        source(names),
        source(['HOST', 'TOKEN', 'X-Y']),
        source(['HOST', 'TOKEN']),
        (t, files, dot, env) => {
          const got = expand(t, lookups(files, dot, env));
          assert.equal(got, oracle(t, files, dot, env));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("never invents a host: an origin comes out only when the whole URL resolved, and it is that URL's origin", () => {
    fc.assert(
      fc.property(
        template,
        source(names),
        source(['HOST', 'TOKEN', 'X-Y']),
        source(['HOST', 'TOKEN']),
        fc.constantFrom('', 'https://', 'http://', 'GET https://'),
        (t, files, dot, env, prefix) => {
          const line = `${prefix}${t}`;
          const url = expand(urlOfRequestLine(line), lookups(files, dot, env));
          const origin = url === undefined ? undefined : originOfUrl(url);
          if (origin === undefined) return;
          const expected = oracle(urlOfRequestLine(line), files, dot, env);
          assert.ok(expected !== undefined);
          const u = new URL(expected);
          assert.equal(origin, `${u.protocol}//${u.hostname}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('a chain of file variables, a loop, a depth limit, an unknown name', () => {
    const l = lookups(
      { host: 'api.example', base: 'https://{{host}}/v1', loop: '{{loop}}', a: '{{b}}', b: '{{a}}' },
      {},
      {},
    );
    assert.equal(expand('{{base}}/jobs', l), 'https://api.example/v1/jobs');
    assert.equal(expand('{{loop}}', l), undefined);
    assert.equal(expand('{{a}}', l), undefined);
    assert.equal(expand('https://{{nope}}/', l), undefined);
    const deep: Source = {};
    for (let i = 0; i < 20; i++) deep[`v${i}`] = `{{v${i + 1}}}`;
    deep.v20 = 'x';
    assert.equal(expand('{{v0}}', lookups(deep, {}, {})), undefined);
  });

  it('reads request lines, file variable lines and reference names as REST Client writes them', () => {
    assert.equal(urlOfRequestLine('GET https://a.example/x?y=1 HTTP/1.1'), 'https://a.example/x?y=1');
    assert.equal(urlOfRequestLine('  https://a.example/x'), 'https://a.example/x');
    assert.equal(urlOfRequestLine('post {{base}}/x HTTP/2'), '{{base}}/x');
    assert.deepEqual(fileVariableLine('@token = abc def  '), { name: 'token', value: 'abc def' });
    assert.deepEqual(fileVariableLine('@host=api.example'), { name: 'host', value: 'api.example' });
    assert.equal(fileVariableLine('# @name login'), undefined);
    assert.deepEqual(nameOf('$dotenv C2M_ACCESS_TOKEN'), { kind: 'dotenv', name: 'C2M_ACCESS_TOKEN' });
    assert.deepEqual(nameOf('$processEnv %secretKey'), { kind: 'other' });
    assert.deepEqual(nameOf('login.response.body.$.token'), { kind: 'other' });
    assert.deepEqual(
      referencesIn('a {{x}} b {{ y }} {{unclosed').map((r) => r.body),
      ['x', 'y'],
    );
  });

  it('takes the origin of absolute http(s) URLs only, port written', () => {
    assert.equal(originOfUrl('https://API.example/v1'), 'https://api.example:443');
    assert.equal(originOfUrl('http://127.0.0.1:8080/x'), 'http://127.0.0.1:8080');
    assert.equal(originOfUrl('https://a.example:443/'), 'https://a.example:443');
    for (const u of [
      '/relative',
      'api.example/v1',
      'ftp://a.example/',
      'https://',
      'https://[bad',
      'file:///etc/passwd',
    ])
      assert.equal(originOfUrl(u), undefined, u);
  });
});

describe('destination guard: dotenv values', () => {
  it('reads what dotenv.parse reads', () => {
    const line = fc.oneof(
      fc
        .tuple(
          fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,8}$/),
          fc.constantFrom('=', ' = ', ': ', '='),
          fc.oneof(
            fc.string({ maxLength: 20 }),
            fc.string({ maxLength: 10 }).map((s) => `"${s}"`),
            fc.string({ maxLength: 10 }).map((s) => `'${s}'`),
          ),
          fc.constantFrom('', ' # c', '  '),
        )
        .map(([k, sep, v, c]) => `${k}${sep}${v}${c}`),
      fc.constantFrom('# comment', '', 'export X=1', '  spaced = value  '),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), fc.constantFrom('\n', '\r\n'), (lines, nl) => {
        const text = lines.join(nl);
        assert.deepEqual(Object.fromEntries(dotenvValues(text)), { ...dotenv.parse(text) });
      }),
      { numRuns: 1000 },
    );
  });
});

describe('destination guard: which env file REST Client reads', () => {
  const reader = (files: string[]): EnvFileReader => ({
    exists: async (p) => files.includes(p),
    read: async () => new Map(),
  });
  const root = path.resolve('/ws');

  it("the first folder upward with .env.<environment> or .env, the environment's file first; the root is not looked in", async () => {
    const files = [path.join(root, '.env'), path.join(root, 'api', '.env.prod'), path.join(root, 'web', '.env')];
    assert.equal(
      await restClientEnvFile(path.join(root, 'api', 'v1'), 'prod', reader(files)),
      path.join(root, 'api', '.env.prod'),
    );
    assert.equal(await restClientEnvFile(path.join(root, 'api', 'v1'), 'dev', reader(files)), path.join(root, '.env'));
    assert.equal(await restClientEnvFile(path.join(root, 'api'), null, reader(files)), path.join(root, '.env'));
    assert.equal(
      await restClientEnvFile(path.join(root, 'web'), 'prod', reader(files)),
      path.join(root, 'web', '.env'),
    );
    assert.equal(
      await restClientEnvFile(path.join(root, 'x'), null, reader([path.join(path.parse(root).root, '.env')])),
      undefined,
    );
    assert.equal(
      await restClientEnvFile(
        path.join(root, 'api'),
        '../web',
        reader([path.join(root, '.env.../web'), path.join(root, '.env')]),
      ),
      path.join(root, '.env'),
    );
  });
});

describe("REST Client's selected environment (environment.json)", () => {
  it('reads the picked item\'s name; none when missing, empty or "No Environment"; unknown when not understood', () => {
    assert.equal(parseRestClientEnvironment('{"label":"prod","name":"prod"}'), 'prod');
    assert.equal(parseRestClientEnvironment(undefined), null);
    assert.equal(parseRestClientEnvironment('  '), null);
    assert.equal(
      parseRestClientEnvironment(JSON.stringify({ label: 'No Environment', name: REST_CLIENT_NO_ENVIRONMENT })),
      null,
    );
    for (const bad of ['{', '[]', '{"label":"x"}', '42', '"prod"'])
      assert.equal(parseRestClientEnvironment(bad), undefined, bad);
  });

  it('lives in ~/.rest-client, or under XDG_CONFIG_HOME when ~/.rest-client does not exist', () => {
    assert.equal(
      restClientEnvironmentFile('/home/u', {}, false),
      path.join('/home/u', '.rest-client', 'environment.json'),
    );
    assert.equal(
      restClientEnvironmentFile('/home/u', { XDG_CONFIG_HOME: '/cfg' }, false),
      path.join('/cfg', 'rest-client', 'environment.json'),
    );
    assert.equal(
      restClientEnvironmentFile('/home/u', { XDG_CONFIG_HOME: '/cfg' }, true),
      path.join('/home/u', '.rest-client', 'environment.json'),
    );
  });
});
