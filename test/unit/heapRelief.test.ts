// The collection after a big document: once per burst, only for big texts, never without an exposed gc.
import assert from 'node:assert/strict';
import { BIG_TEXT_CHARS, heapRelief, type GcFunction } from '../../server/src/heapRelief';

function world(withGc = true): { relief: ReturnType<typeof heapRelief>; calls: unknown[]; run: () => void } {
  const calls: unknown[] = [];
  const queued: Array<() => void> = [];
  const gc: GcFunction = () => void calls.push(true);
  const relief = heapRelief(withGc ? gc : undefined, (callback) => void queued.push(callback));
  return { relief, calls, run: () => queued.splice(0).forEach((callback) => callback()) };
}

describe('server: heap relief after a big document', () => {
  it('collects once after the message that carried a big text, not during it', () => {
    const { relief, calls, run } = world();
    relief.handled(BIG_TEXT_CHARS);
    assert.equal(calls.length, 0);
    run();
    assert.equal(calls.length, 1);
  });

  it('collects once for several big messages handled before it ran, and again for a later one', () => {
    const { relief, calls, run } = world();
    relief.handled(BIG_TEXT_CHARS);
    relief.handled(BIG_TEXT_CHARS * 3);
    run();
    assert.equal(calls.length, 1);
    relief.handled(BIG_TEXT_CHARS);
    run();
    assert.equal(calls.length, 2);
  });

  it('collects at once before the model of a big text is built', () => {
    const { relief, calls } = world();
    relief.before(BIG_TEXT_CHARS);
    assert.equal(calls.length, 1);
  });

  it('leaves small documents to V8', () => {
    const { relief, calls, run } = world();
    relief.before(BIG_TEXT_CHARS - 1);
    relief.handled(BIG_TEXT_CHARS - 1);
    relief.handled(0);
    run();
    assert.equal(calls.length, 0);
  });

  it('does nothing when the process has no exposed gc', () => {
    const { relief, calls, run } = world(false);
    relief.before(BIG_TEXT_CHARS * 5);
    relief.handled(BIG_TEXT_CHARS * 5);
    run();
    assert.equal(calls.length, 0);
  });
});
