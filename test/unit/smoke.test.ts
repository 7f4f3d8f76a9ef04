import { strict as assert } from 'node:assert';

describe('toolchain', () => {
  it('runs TypeScript tests', () => {
    assert.equal(1 + 1, 2);
  });
});
