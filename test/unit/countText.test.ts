// Counts and sizes in the Leak Scan view's texts (client/src/ui/countText.ts): singular and plural apart, each a
// message of its own for the translator (VS Code's l10n has no plural forms), and sizes in bytes, kB, MB or GB as
// fits, so a small scan is not "0.0 MB".
import { strict as assert } from 'node:assert';
import { counted, sizeText } from '../../client/src/ui/countText';
import { useL10n } from '../../client/src/host/l10n';

describe('count and size texts', () => {
  it('counts: singular for exactly one, plural otherwise (zero too)', () => {
    assert.deepEqual(
      [0, 1, 2].map((n) => counted(n, 'token')),
      ['0 tokens', '1 token', '2 tokens'],
    );
    assert.deepEqual(
      [0, 1, 7].map((n) => counted(n, 'file')),
      ['0 files', '1 file', '7 files'],
    );
    assert.deepEqual(
      [1, 3].map((n) => counted(n, 'commit')),
      ['1 commit', '3 commits'],
    );
    assert.deepEqual(
      [1, 4].map((n) => counted(n, 'entry')),
      ['1 entry', '4 entries'],
    );
  });

  it('each form is a message of its own for the translator, the count filled in by l10n', () => {
    const asked: unknown[][] = [];
    useL10n({ t: (message: string, ...args: unknown[]) => (asked.push([message, ...args]), `<${message}>`) });
    try {
      assert.equal(counted(1, 'token'), '<1 token>');
      assert.equal(counted(5, 'file'), '<{0} files>');
      counted(2, 'commit');
      counted(1, 'entry');
    } finally {
      useL10n(undefined);
    }
    assert.deepEqual(asked, [['1 token'], ['{0} files', 5], ['{0} commits', 2], ['1 entry']]);
  });

  it('sizes: bytes below a kilobyte, then kB, MB and GB; one decimal below 10, never "0.0 MB"', () => {
    assert.deepEqual([0, 1, 2, 88, 999].map(sizeText), ['0 bytes', '1 byte', '2 bytes', '88 bytes', '999 bytes']);
    assert.deepEqual([1000, 1500, 9_940, 9_950, 12_345, 300_000].map(sizeText), [
      '1.0 kB',
      '1.5 kB',
      '9.9 kB',
      '10 kB',
      '12 kB',
      '300 kB',
    ]);
    // The unit is chosen after rounding: 999,950 bytes would read "1000 kB".
    assert.deepEqual([999_499, 999_950, 1_250_000, 120_000_000, 2_100_000_000].map(sizeText), [
      '999 kB',
      '1.0 MB',
      '1.3 MB',
      '120 MB',
      '2.1 GB',
    ]);
  });
});
