// Retry-After: delay-seconds or HTTP-date; hostile or odd values land in [0, 1 h] with a 60 s default.
import { strict as assert } from 'node:assert';
import { createAuthClient } from '../../client/src/api/authClient';
import { DEFAULT_RETRY_AFTER_MS, MAX_RETRY_AFTER_MS, parseRetryAfter } from '../../client/src/api/retryAfter';
import { rejectsWith, reply, startStub, type Stub } from '../support/apiStubServer';

const NOW = Date.parse('2030-01-01T00:00:00Z');

describe('api client: Retry-After', () => {
  const forms: Array<[string, string | null, number | undefined]> = [
    ['absent', null, undefined],
    ['empty', '', undefined],
    ['delay-seconds', '120', 120_000],
    ['zero seconds', '0', 0],
    ['HTTP-date 90 s ahead', new Date(NOW + 90_000).toUTCString(), 90_000],
    ['RFC 850 date', 'Tuesday, 01-Jan-30 00:00:30 GMT', 30_000],
    ['asctime date', 'Tue Jan  1 00:00:45 2030', 45_000],
    ['past date', new Date(NOW - 3_600_000).toUTCString(), 0],
    ['negative', '-5', DEFAULT_RETRY_AFTER_MS],
    ['non-numeric', 'abc', DEFAULT_RETRY_AFTER_MS],
    ['exponent form 1e9', '1e9', DEFAULT_RETRY_AFTER_MS],
    ['fraction', '1.5', DEFAULT_RETRY_AFTER_MS],
    ['huge seconds', '1000000000', MAX_RETRY_AFTER_MS],
    ['very long digit run', '9'.repeat(400), MAX_RETRY_AFTER_MS],
    ['date a year ahead', new Date(NOW + 365 * 86_400_000).toUTCString(), MAX_RETRY_AFTER_MS],
    ['garbage date', 'Mon, 99 Foo 2030 xx:yy:zz GMT', DEFAULT_RETRY_AFTER_MS],
  ];

  describe('parseRetryAfter', () => {
    for (const [name, value, expected] of forms) {
      it(`${name} (${JSON.stringify(value)?.slice(0, 40)}) -> ${expected}`, () => {
        assert.equal(parseRetryAfter(value, NOW), expected);
      });
    }
  });

  describe('on a 429 answer', () => {
    let retryAfter: string | null = null;
    let stub: Stub;
    before(async () => {
      stub = await startStub((_req, res) =>
        reply(
          res,
          429,
          { code: 'rate_limited', message: 'Too many requests.' },
          retryAfter === null ? {} : { 'retry-after': retryAfter },
        ),
      );
    });
    after(() => stub.close());

    for (const [name, value, expected] of forms.filter(([, v]) => v !== '')) {
      it(`${name} -> retryAfterMs ${expected}`, async () => {
        retryAfter = value;
        // The long-term call never retries, so one answer decides.
        const client = createAuthClient({ baseUrl: stub.baseUrl, now: () => NOW });
        const error = await rejectsWith(
          client.issueLongTermToken({ mechanism: 'otp', clientId: 'c2m_demo', otpCode: '123456' }),
          {
            kind: 'http',
            status: 429,
            code: 'rate_limited',
          },
        );
        assert.equal(error.retryAfterMs, expected);
        if (expected !== undefined) assert.match(error.message, /Retry after \d+ s\./);
      });
    }
  });
});
