// The one error-to-user wrapper (ui/guarded.ts), used by the commands and by the language features' quick fixes:
// a failure reaches the user's notification (and the log, when asked) with its reason, never the caller.
import { strict as assert } from 'node:assert';
import { guarded, toldAs } from '../../client/src/ui/guarded';

describe('guarded: failures are told, not thrown', () => {
  it('resolves to the result, and reports nothing, when the work succeeds', async () => {
    const reported: unknown[] = [];
    assert.equal(
      await guarded(
        async () => 42,
        (e) => reported.push(e),
      ),
      42,
    );
    assert.deepEqual(reported, []);
  });

  it('a failure goes to the report and the caller gets undefined', async () => {
    const reported: unknown[] = [];
    const boom = new Error('boom');
    assert.equal(
      await guarded(
        async () => Promise.reject(boom),
        (e) => reported.push(e),
      ),
      undefined,
    );
    assert.deepEqual(reported, [boom]);
  });

  it('toldAs: one sentence around the reason, shown as an error and logged; a thrown non-Error says nothing of itself', async () => {
    const shown: string[] = [];
    const logged: string[] = [];
    const report = toldAs(
      { error: (message) => void shown.push(message) },
      (reason) => `C2M: replacing a token failed: ${reason}`,
      (line) => logged.push(line),
    );
    await guarded(async () => Promise.reject(new Error('the server said no')), report);
    await guarded(async () => Promise.reject('lt_secret_value_thrown_as_a_string'), report);
    const expected = [
      'C2M: replacing a token failed: the server said no',
      'C2M: replacing a token failed: unknown error',
    ];
    assert.deepEqual(shown, expected);
    assert.deepEqual(logged, expected);
  });
});
