// The agent request tool's origin guard: a request goes to the active profile's origin, under its base path, or is
// refused. Generated attacks (other hosts, `//`, userinfo, `@`, backslashes, encoded dots, traversal, Host and
// Authorization headers) are all refused, and whatever is accepted parses to the profile's origin and base path.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { checkHeaders, checkRequest, resolveTarget } from '../../client/src/integrations/agentTools/originGuard';

const BASE = 'http://127.0.0.1:4010/v1';
const ORIGIN = 'http://127.0.0.1:4010';

function refused(path: unknown, base = BASE): string {
  const result = resolveTarget(base, path);
  assert.equal(result.ok, false, `accepted ${JSON.stringify(path)} as ${result.ok ? result.value.url : ''}`);
  return result.ok ? '' : result.reason;
}

function accepted(path: string, base = BASE): string {
  const result = resolveTarget(base, path);
  assert.ok(result.ok, `refused ${JSON.stringify(path)}: ${result.ok ? '' : result.reason}`);
  return result.value.url;
}

/** Everything accepted stays at the origin and under the base path, however the URL parser reads it. */
function staysHome(url: string, base = BASE): void {
  const parsed = new URL(url);
  const b = new URL(base);
  const basePath = b.pathname.replace(/\/+$/, '');
  assert.equal(parsed.origin, b.origin, url);
  assert.equal(parsed.username + parsed.password, '', url);
  assert.ok(parsed.pathname === basePath || parsed.pathname.startsWith(`${basePath}/`), url);
  assert.ok(!/(^|\/)(\.|%2e){1,2}(\/|$)/i.test(parsed.pathname), `no dot segment left: ${url}`);
}

const hosts = fc.constantFrom(
  'evil.example',
  '127.0.0.2',
  'localhost',
  '[::1]',
  '127.0.0.1:4011',
  'evil.example:4010',
  '0x7f.0.0.1',
);
const schemes = fc.constantFrom('http:', 'https:', 'HTTP:', 'ftp:', 'file:', 'javascript:', 'data:');
const dots = fc.constantFrom(
  '..',
  '.',
  '%2e%2e',
  '%2E%2e',
  '.%2e',
  '%2e.',
  '%252e%252e',
  '%25252e%25252e',
  '..;',
  '．．',
  '%ef%bc%8e%ef%bc%8e',
  '%2e',
);
const segment = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/);

describe('agent tools: origin guard', () => {
  it('accepts paths under the base URL, with a query, and an absolute URL spelled as the base URL', () => {
    assert.equal(accepted('/jobs'), `${BASE}/jobs`);
    assert.equal(accepted('/jobs/42?status=open&owner=a@b.example'), `${BASE}/jobs/42?status=open&owner=a@b.example`);
    assert.equal(accepted('/'), `${BASE}/`);
    assert.equal(accepted(`${BASE}/jobs`), `${BASE}/jobs`);
    assert.equal(accepted('/jobs', 'https://api.example.com'), 'https://api.example.com/jobs');
  });

  it('refuses a path that is not a string, empty, or not starting with "/"', () => {
    for (const p of [undefined, null, 42, {}, '', 'jobs', '?x=1']) refused(p);
  });

  it('refuses absolute URLs to another host, port or scheme (generated)', () => {
    fc.assert(
      fc.property(schemes, hosts, fc.array(segment, { maxLength: 3 }), (scheme, host, segs) => {
        refused(`${scheme}//${host}/${segs.join('/')}`);
      }),
      { numRuns: 400 },
    );
  });

  it('refuses scheme-relative //host and every run of slashes or backslashes at the start (generated)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[/\\]{2,4}$/), hosts, (slashes, host) => {
        refused(`${slashes}${host}/jobs`);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses userinfo tricks and "@" in the path, raw or encoded (generated)', () => {
    fc.assert(
      fc.property(hosts, fc.constantFrom('@', '%40', '%2540'), (host, at) => {
        refused(`${ORIGIN}${at}${host}/v1/jobs`);
        refused(`${ORIGIN}/v1${at}${host}/jobs`);
        refused(`/${at}${host}/jobs`);
        refused(`http://user:pass${at}127.0.0.1:4010/v1/jobs`);
      }),
      { numRuns: 100 },
    );
    refused(`${ORIGIN}:4010/v1/jobs`);
    refused(`${ORIGIN}.evil.example/v1/jobs`);
  });

  it('refuses backslashes anywhere, raw or encoded (generated)', () => {
    fc.assert(
      fc.property(segment, segment, fc.constantFrom('\\', '%5c', '%5C', '%255c'), (a, b, bs) => {
        refused(`/${a}${bs}${b}`);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses dot segments in any encoding, anywhere in the path (generated)', () => {
    fc.assert(
      fc.property(
        fc.array(segment, { maxLength: 3 }),
        dots,
        fc.array(segment, { maxLength: 3 }),
        (before, dot, after) => {
          refused(`/${[...before, dot, ...after].join('/')}`);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses traversal out of the base path and encoded slashes that would hide it', () => {
    for (const p of [
      '/../auth/tokens/long',
      '/jobs/../../x',
      '/%2e%2e/x',
      '/..%2fx',
      '/jobs%2f..%2f..%2fx',
      '/%252e%252e/x',
      `${ORIGIN}/v2/jobs`,
      `${ORIGIN}/v1x/jobs`,
      `${ORIGIN}/jobs`,
    ])
      refused(p);
  });

  it('refuses control characters, spaces and fragments', () => {
    for (const p of [
      '/jobs\n',
      '/jo\tbs',
      '/jobs x',
      '/jobs\r\nHost: evil',
      '/jobs#x',
      '/jobs%0d%0aX:1',
      '/jobs\u2028',
      '/jobs%00',
    ])
      refused(p);
  });

  it('whatever it accepts is at the origin, under the base path, with no dot segment (generated)', () => {
    const piece = fc.oneof(
      segment,
      dots,
      fc.constantFrom('@', '\\', '//', '%2f', '%5c', '?', '#', ':', ';', '%', '%zz', 'evil.example', '..%2f', ' '),
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 6 }),
        fc.constantFrom('/', '', `${ORIGIN}/v1/`, `${ORIGIN}/`, '//'),
        (pieces, lead) => {
          const result = resolveTarget(BASE, lead + pieces.join('/'));
          if (result.ok) staysHome(result.value.url);
        },
      ),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (tail) => {
        const result = resolveTarget(BASE, `/${tail}`);
        if (result.ok) staysHome(result.value.url);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses Authorization, Host and routing headers in any case, and header injection (generated)', () => {
    const names = fc.constantFrom(
      'Authorization',
      'Proxy-Authorization',
      'Host',
      'Forwarded',
      'X-Forwarded-Host',
      'X-Original-URL',
      'Content-Length',
      'Transfer-Encoding',
    );
    fc.assert(
      fc.property(names, fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }), (name, upper) => {
        const spelled = [...name].map((c, i) => (upper[i % upper.length] ? c.toUpperCase() : c.toLowerCase())).join('');
        const result = checkHeaders({ Accept: 'application/json', [spelled]: 'Bearer x' });
        assert.equal(result.ok, false, spelled);
      }),
      { numRuns: 200 },
    );
    for (const headers of [
      { 'X-A': 'a\r\nHost: evil' },
      { 'X-A': 'a\nb' },
      { 'Bad Name': 'x' },
      { 'X-A': 1 },
      ['Accept'],
      'Accept: x',
    ]) {
      assert.equal(checkHeaders(headers).ok, false, JSON.stringify(headers));
    }
    assert.deepEqual(checkHeaders({ Accept: 'application/json', 'X-Request-Id': 'r-1' }), {
      ok: true,
      value: { Accept: 'application/json', 'X-Request-Id': 'r-1' },
    });
  });

  it('checks the method and the body with the rest', () => {
    assert.equal(checkRequest(BASE, { method: 'TRACE', path: '/jobs' }).ok, false);
    assert.equal(checkRequest(BASE, { method: 'CONNECT', path: '/jobs' }).ok, false);
    assert.equal(checkRequest(BASE, { method: 'GET', path: '/jobs', body: '{}' }).ok, false);
    assert.equal(checkRequest(BASE, { method: 'POST', path: '/jobs', body: 42 }).ok, false);
    assert.deepEqual(
      checkRequest(BASE, {
        method: 'post',
        path: '/jobs',
        headers: { 'Content-Type': 'application/json' },
        body: '{"a":1}',
      }),
      {
        ok: true,
        value: {
          method: 'POST',
          url: `${BASE}/jobs`,
          origin: ORIGIN,
          headers: { 'Content-Type': 'application/json' },
          body: '{"a":1}',
        },
      },
    );
    assert.equal(checkRequest(BASE, { path: '/jobs' }).ok, true, 'GET by default');
  });
});
