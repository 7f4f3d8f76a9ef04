// Where credentials may go: HTTPS, or plain HTTP to loopback only; origins compare with explicit ports.
import { strict as assert } from 'node:assert';
import { createAuthClient } from '../../client/src/api/authClient';
import { checkBaseUrl, originOf } from '../../client/src/api/baseUrl';
import { isLoopbackHost } from '@shared/net/loopbackHost';
import { C2mApiError } from '../../client/src/api/errors';

function refused(url: string, code: string): void {
  assert.throws(
    () => checkBaseUrl(url),
    (error: unknown) => {
      assert.ok(error instanceof C2mApiError);
      assert.equal(error.kind, 'insecure_url');
      assert.equal(error.code, code);
      return true;
    },
  );
}

describe('api client: base URL and origin', () => {
  for (const url of [
    'https://api.example.com/v1',
    'https://api.example.com:8443/v1/',
    'http://127.0.0.1:3000/v1',
    'http://127.8.9.10/v1',
    'http://localhost:8080/v1',
    'http://LOCALHOST/v1',
    'http://[::1]:9000/v1',
    'http://127.1/v1',
  ]) {
    it(`accepts ${url}`, () => {
      assert.ok(checkBaseUrl(url) instanceof URL);
    });
  }

  for (const url of [
    'http://api.example.com/v1',
    'http://10.0.0.5/v1',
    'http://128.0.0.1/v1',
    'http://localhost.evil.com/v1',
    'http://127.0.0.1.nip.io/v1',
    'http://[::2]/v1',
    'http://0.0.0.0/v1',
  ]) {
    it(`refuses plain HTTP to ${url} with a clear message`, () => {
      refused(url, 'insecure_url');
      assert.throws(() => checkBaseUrl(url), /use https:\/\//);
    });
  }

  for (const url of [
    'not a url',
    'ftp://api.example.com/v1',
    'https://user:pw@api.example.com/v1',
    'https://api.example.com/v1?x=1',
    'file:///etc/passwd',
  ]) {
    it(`refuses ${url}`, () => refused(url, 'invalid_base_url'));
  }

  it('createAuthClient refuses an insecure base URL before anything is sent', () => {
    assert.throws(
      () => createAuthClient({ baseUrl: 'http://api.example.com/v1' }),
      (e: unknown) => e instanceof C2mApiError && e.kind === 'insecure_url',
    );
  });

  it('the credentials in a refused URL do not appear in the message', () => {
    assert.throws(
      () => checkBaseUrl('https://admin:hunter2canary@api.example.com/v1'),
      (e: unknown) => e instanceof Error && !e.message.includes('hunter2canary'),
    );
  });

  it('loopback detection', () => {
    assert.equal(isLoopbackHost('127.0.0.1'), true);
    assert.equal(isLoopbackHost('127.255.255.254'), true);
    assert.equal(isLoopbackHost('[::1]'), true);
    assert.equal(isLoopbackHost('localhost'), true);
    assert.equal(isLoopbackHost('127.0.0.256'), false);
    assert.equal(isLoopbackHost('example.com'), false);
  });

  it('originOf makes default ports explicit and drops paths', () => {
    assert.equal(originOf('https://api.example.com/v1/auth'), 'https://api.example.com:443');
    assert.equal(originOf('https://api.example.com:443/x'), 'https://api.example.com:443');
    assert.equal(originOf('http://127.0.0.1:8080/v1'), 'http://127.0.0.1:8080');
    assert.equal(originOf('HTTP://LocalHost/v1'), 'http://localhost:80');
    assert.notEqual(originOf('http://127.0.0.1:8080'), originOf('http://127.0.0.1:8081'));
    assert.notEqual(originOf('http://127.0.0.1:443'), originOf('https://127.0.0.1:443'));
  });

  it('the client exposes its vetted base URL and origin', () => {
    const client = createAuthClient({ baseUrl: 'https://api.example.com/v1/' });
    assert.equal(client.baseUrl, 'https://api.example.com/v1');
    assert.equal(client.origin, 'https://api.example.com:443');
  });
});
