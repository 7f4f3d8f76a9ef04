// The language client's lifetime: each start of a language client ends the previous client's lifetime (disposing
// what it owned) and begins a new one; after deactivate nothing outlives it, not even what a late start registers.
import { strict as assert } from 'node:assert';
import { RenewableLifetime } from '../../client/src/host/context';

const named = (log: string[], name: string): { dispose(): void } => ({ dispose: () => void log.push(name) });

describe('RenewableLifetime (the language client lifetime)', () => {
  it('renew() disposes what the current period owns, and only that, and begins a new one', () => {
    const log: string[] = [];
    const lifetime = new RenewableLifetime(() => undefined);
    const first = lifetime.renew();
    first.push(named(log, 'first client'));
    const second = lifetime.renew();
    assert.deepEqual(log, ['first client']);
    assert.notEqual(second, first);
    assert.equal(lifetime.current, second);
    second.push(named(log, 'second client'));
    // The old period's owner is over: what still arrives there is disposed at once.
    first.push(named(log, 'late to the first'));
    assert.deepEqual(log, ['first client', 'late to the first']);
    lifetime.dispose();
    assert.deepEqual(log, ['first client', 'late to the first', 'second client']);
  });

  it('after dispose() (deactivate), a period begun by a late start is already over', () => {
    const log: string[] = [];
    const lifetime = new RenewableLifetime(() => undefined);
    lifetime.dispose();
    lifetime.renew().push(named(log, 'started after deactivate'));
    assert.deepEqual(log, ['started after deactivate']);
  });
});
