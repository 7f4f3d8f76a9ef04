// Lifetimes that mean what they say: what is registered after the owner is gone is disposed at once (through the
// sink VS Code pushes into, too), and a failing dispose is reported, not swallowed, without stopping the rest.
import { strict as assert } from 'node:assert';
import { DisposableList } from '../../client/src/host/context';

function tracked(log: string[], name: string, fail?: Error): { dispose(): void } {
  return {
    dispose: () => {
      log.push(name);
      if (fail) throw fail;
    },
  };
}

describe('DisposableList', () => {
  it('disposes in reverse order, and a failure is reported without stopping the rest', () => {
    const log: string[] = [];
    const errors: unknown[] = [];
    const list = new DisposableList((e) => errors.push(e));
    list.push(tracked(log, 'a'));
    list.sink.push(tracked(log, 'b', new Error('b broke')));
    list.push(tracked(log, 'c'));
    list.dispose();
    assert.deepEqual(log, ['c', 'b', 'a']);
    assert.deepEqual(
      errors.map((e) => (e as Error).message),
      ['b broke'],
    );
  });

  it('the sink stays the same array after a dispose, and what arrives after disposal is disposed at once', () => {
    const log: string[] = [];
    const list = new DisposableList(() => undefined);
    const sink = list.sink;
    assert.ok(Array.isArray(sink), 'VS Code pushes only into arrays');
    list.dispose();
    assert.equal(list.sink, sink);
    sink.push(tracked(log, 'late via sink'));
    list.push(tracked(log, 'late via push'));
    assert.deepEqual(log, ['late via sink', 'late via push']);
    list.dispose();
    assert.deepEqual(log, ['late via sink', 'late via push'], 'nothing is disposed twice');
  });

  it('an async dispose that rejects is reported', async () => {
    const errors: unknown[] = [];
    const list = new DisposableList((e) => errors.push(e));
    list.push({ dispose: () => Promise.reject(new Error('async broke')) });
    list.dispose();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(
      errors.map((e) => (e as Error).message),
      ['async broke'],
    );
  });
});
