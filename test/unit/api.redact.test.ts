// The one redaction function: header, field, JWT-shaped and opaque-token rules, plus exact known secrets.
import { strict as assert } from 'node:assert';
import { redact } from '../../client/src/api/redact';

const JWT = 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJjMm1fZGVtbyJ9.c2lnbmF0dXJlLXZhbHVl';

describe('api client: redact()', () => {
  const cases: Array<[string, string, string[]]> = [
    // [input, expected output, fragments that must not survive]
    ['Authorization: Bearer abc.def-123', 'Authorization: [REDACTED]', ['abc.def-123']],
    ['authorization: Basic dXNlcjpwYXNz', 'authorization: [REDACTED]', ['dXNlcjpwYXNz']],
    ['{"authorization":"Bearer xyz987654"}', '{"authorization":"[REDACTED]"}', ['xyz987654']],
    ["{ authorization: 'Bearer xyz987654' }", "{ authorization: '[REDACTED]' }", ['xyz987654']],
    ['Proxy-Authorization: Digest qwerty', 'Proxy-Authorization: [REDACTED]', ['qwerty']],
    ['sent Bearer tok123456789 to server', 'sent Bearer [REDACTED] to server', ['tok123456789']],
    [
      '{"client_secret":"s3cr3t-value","client_id":"c2m_demo"}',
      '{"client_secret":"[REDACTED]","client_id":"c2m_demo"}',
      ['s3cr3t-value'],
    ],
    ['{"otp_code": "123456"}', '{"otp_code": "[REDACTED]"}', ['123456']],
    ['{"otp_code":123456}', '{"otp_code":[REDACTED]}', ['123456']],
    [
      '{"assertion":"abc\\"def","assertion_type":"urn:x"}',
      '{"assertion":"[REDACTED]","assertion_type":"urn:x"}',
      ['abc', 'def'],
    ],
    [
      '{"access_token":"opaque-token-1","token_id":"tok_st_1"}',
      '{"access_token":"[REDACTED]","token_id":"tok_st_1"}',
      ['opaque-token-1'],
    ],
    ['{"long_token":"abcd1234"}', '{"long_token":"[REDACTED]"}', ['abcd1234']],
    [
      'grant_type=client_credentials&client_secret=pa55word&x=1',
      'grant_type=client_credentials&client_secret=[REDACTED]&x=1',
      ['pa55word'],
    ],
    ['otp_code=654321', 'otp_code=[REDACTED]', ['654321']],
    ['access_token=abc123xyz; path=/', 'access_token=[REDACTED]; path=/', ['abc123xyz']],
    ["clientSecret: 'quoted value'", "clientSecret: '[REDACTED]'", ['quoted value']],
    [`token ${JWT} leaked`, 'token [REDACTED JWT] leaked', ['eyJpc3MiOiJjMm1fZGVtbyJ9', 'c2lnbmF0dXJlLXZhbHVl']],
    ['truncated eyJhbGciOiJIUzI1NiJ9... here', 'truncated [REDACTED JWT] here', ['eyJhbGciOiJIUzI1NiJ9']],
    ['JWE eyJhbGciOiJkaXIifQ.a.b.c.d end', 'JWE [REDACTED JWT] end', ['eyJhbGciOiJkaXIifQ']],
    ['long-term lt_0d51e9bd2f6449cf issued', 'long-term lt_[REDACTED] issued', ['0d51e9bd2f6449cf']],
    [
      '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkq\n-----END PRIVATE KEY-----',
      '[REDACTED PRIVATE KEY]',
      ['MIIEvQIBADANBgkq'],
    ],
    ['-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEI truncated', '[REDACTED PRIVATE KEY]', ['MHcCAQEEI']],
  ];
  for (const [input, expected, gone] of cases) {
    it(`masks ${JSON.stringify(input).slice(0, 60)}`, () => {
      const out = redact(input);
      assert.equal(out, expected);
      for (const g of gone) assert.ok(!out.includes(g), `${g} survived in ${out}`);
    });
  }

  it('keeps our own sentences readable: a colon after a field name followed by a plain word is prose', () => {
    for (const text of [
      'C2M: Profile "Sandbox" has no client secret: set it first.',
      'error: the stored secret: damaged, it counts as absent',
      'profile it-secret: The stored long-term token could not be read',
    ])
      assert.equal(redact(text), text);
    // Values that look like values are still masked in the same spelling.
    assert.equal(redact('secret: s3cr3t-value'), 'secret: [REDACTED]');
    assert.equal(redact('password: hunter2'), 'password: [REDACTED]');
    assert.equal(redact('client_secret=set'), 'client_secret=[REDACTED]');
    assert.equal(redact('"secret": "set"'), '"secret": "[REDACTED]"');
  });

  it('keeps what is not secret readable', () => {
    const text =
      'POST /v1/auth/tokens/tok_lt_b8e0aa/revoke -> 404 not_found (client c2m_demo, scopes jobs:*, assertion_type urn:ietf:params)';
    assert.equal(redact(text), text);
  });

  it('masks exact known secrets, also JSON-escaped and URL-encoded', () => {
    const secret = 'plain "words" & more/secret';
    const text = `message: ${secret} | json: ${JSON.stringify(secret)} | url: ${encodeURIComponent(secret)}`;
    const out = redact(text, [secret]);
    assert.ok(!out.includes('words'), out);
    assert.ok(!out.includes('more/secret') && !out.includes('more%2Fsecret'), out);
  });

  it('ignores very short known values (they would mask ordinary text)', () => {
    assert.equal(redact('status 404 at 12:00', ['12', '']), 'status 404 at 12:00');
  });

  it('is idempotent', () => {
    for (const [input] of cases) assert.equal(redact(redact(input)), redact(input));
  });
});
