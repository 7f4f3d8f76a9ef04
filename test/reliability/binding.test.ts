// Attacks on where a token is sent. A base URL whose path changes on the same origin (a settings edit, a hostile
// workspace) is another binding: nothing stored is sent there until the user agrees to move it.
import { strict as assert } from 'node:assert';
import { note } from '../support/reliability/ledger';
import { coreRejection, rigs, tokenOf } from './rig';
import { viaContract } from '../support/prism/proxy';

describe('reliability: attacks on the binding', () => {
  viaContract();
  const world = rigs();

  it('[A7] a same-origin path change: the long-term token and client secret are not sent to the new path until the user moves them', async () => {
    const { rig, engine } = await world.startSignedIn();
    await engine.getShortTermToken();
    const original = rig.profile.baseUrl;
    const elsewhere = `${new URL(original).origin}/elsewhere/v1`;
    engine.setProfiles([{ ...rig.profile, baseUrl: elsewhere }]);
    await engine.ready;
    await engine.idle();
    const n = note(
      'A7',
      'profile base URL moved to another path of the same origin; exchange, issue and revoke tried',
    ).badInput();
    const sent = rig.sandbox.stats().requests;
    const exchange = await coreRejection(engine.refreshShortTermToken('p1'));
    const issue = await coreRejection(engine.issueLongTermToken('p1'));
    const revoke = await coreRejection(engine.revoke('p1', 'long'));
    const leaked = rig.sandbox.stats().requests - sent;
    n.secretsFound(leaked).done();
    assert.equal(leaked, 0, 'no request carried a stored credential to the new path');
    assert.equal(exchange.code, 'origin_changed');
    assert.match(exchange.message, /elsewhere\/v1/);
    assert.equal(issue.code, 'missing_secret', 'the client secret is bound to the old path too');
    assert.equal(revoke.code, 'origin_changed');
    assert.ok(
      rig.failures.some((f) => f.error.code === 'origin_changed'),
      'the user is told',
    );
    // The user agrees (Edit Profile asks): from then on the records belong to the new path.
    assert.equal(await engine.rebind('p1', original), 3, 'long, short and client secret moved');
    assert.equal(tokenOf(engine, 'long')?.status, 'valid');
    // And back again (a trailing slash is the same base URL): they work there as before.
    engine.setProfiles([{ ...rig.profile, baseUrl: `${original}/` }]);
    assert.equal(await engine.rebind('p1', elsewhere), 3);
    assert.equal((await engine.getShortTermToken()).info.status, 'valid');
    assert.equal(tokenOf(engine, 'long')?.status, 'valid');
  });
});
