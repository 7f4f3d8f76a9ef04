// The one-time code box: exactly 6 digits (spaces as authenticator apps show them are fine), said as the user types.
import { strict as assert } from 'node:assert';
import { normaliseOtp, otpProblem } from '../../client/src/ui/otpCode';

describe('one-time code input', () => {
  it('accepts 6 digits, with or without the spaces an authenticator app shows', () => {
    for (const ok of ['123456', '123 456', ' 123456 ', '12 34 56']) assert.equal(otpProblem(ok), undefined, ok);
    assert.equal(normaliseOtp('123 456'), '123456');
  });
  it('refuses anything else, saying what it wants', () => {
    for (const bad of ['', '12345', '1234567', 'abcdef', '12345a', '１２３４５６', 'otp-one-1111']) {
      assert.equal(otpProblem(bad), 'Enter the 6 digits of the one-time code (spaces are ignored).', bad);
    }
  });
});
