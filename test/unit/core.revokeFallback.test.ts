// A 201 whose X-Token-Id and body token_id disagree (the contract's own example does: "string" beside "tok_lt_b8e0aa"):
// the engine keeps the token under the header's id and revokes by it, and when the server knows no token by that id
// (404), by the body's. The real sandbox on 127.0.0.1 (through Prism of the contract), engines on one memory store;
// the disagreement is made by the client the engine is given, which hands back the ids the API client would parse
// from such an answer (tokenId = the header's, bodyTokenId = the body's).
import { strict as assert } from 'node:assert';
import type { AuthClient } from '../../client/src/api/authClient';
import type { IssuedToken } from '../../client/src/api/types';
import { recordKey } from '../../client/src/core/secretRecords';
import { DEMO_CLIENT_SECRET } from '../../sandbox/src/demo';
import { cleanup, info, realClient, rejection, REVOKE, world, type World } from '../support/coreWorld';
import { viaContract } from '../support/prism/proxy';

/** An id the sandbox never issued: revoking it is 404, exactly like another client's token. */
const STRANGER_ID = 'tok_lt_not_known_here';

type Split = (issued: IssuedToken) => IssuedToken;

/** The header names an id the server does not know; the body names the real one. */
const headerUnknown: Split = (issued) => ({ ...issued, tokenId: STRANGER_ID, bodyTokenId: issued.tokenId });
/** The header names the real id; the body names one the server does not know. */
const bodyUnknown: Split = (issued) => ({ ...issued, bodyTokenId: STRANGER_ID });

/** The real API client on the world's sandbox whose long-term (and, if asked, short-term) 201s are split. */
function splitting(w: World, long: Split, short?: Split): AuthClient {
  const real = realClient(w);
  return {
    ...real,
    issueLongTermToken: async (grant, opts) => long(await real.issueLongTermToken(grant, opts)),
    issueShortTermToken: async (token, opts) => {
      const issued = await real.issueShortTermToken(token, opts);
      return short ? short(issued) : issued;
    },
  };
}

const revokes = (w: World) => w.sandbox.stats().byRoute[REVOKE] ?? 0;

/** A window with the demo secret whose first long-term token came back split by `long` (and `short`). */
async function splitSignedIn(w: World, long: Split, short?: Split) {
  const engine = w.engine({ autoRefresh: false, createClient: () => splitting(w, long, short) });
  await engine.ready;
  await engine.setClientSecret('p1', DEMO_CLIENT_SECRET);
  await engine.issueLongTermToken('p1');
  return engine;
}

describe('core engine: revoking a token whose 201 named two ids', () => {
  viaContract();
  afterEach(cleanup);

  it("the header's id is unknown at the server (404): the body's id is revoked, and the job ends done", async () => {
    const w = await world();
    const engine = await splitSignedIn(w, headerUnknown);
    const long = info(engine, 'long')!;
    assert.equal(long.tokenId, STRANGER_ID, "the token is known here by the header's id");
    assert.equal(w.journal.failures.filter((f) => f.error.code === 'ids_disagree').length, 1, 'the user was told once');
    const bodyId = bodyTokenIdOf(await w.store.get(recordKey('p1', 'long')));
    assert.notEqual(bodyId, STRANGER_ID);
    const failuresBefore = w.journal.failures.length;

    await engine.revoke('p1', 'long');
    await engine.idle();
    assert.equal(revokes(w), 2, "the header's id, then the body's");
    assert.equal(w.sandbox.isRevoked(bodyId), true, 'the token is dead at the server');
    assert.equal(info(engine, 'long')?.status, 'revoked');
    assert.deepEqual(engine.pendingRevokes(), []);
    assert.equal(w.journal.failures.length, failuresBefore, 'nothing to report: it worked');
    assert.ok(
      w.journal.logs.some((l) =>
        l.includes(`no token ${STRANGER_ID} (404): revoking by the response body's id ${bodyId}`),
      ),
    );
    assert.ok(w.journal.logs.some((l) => l.includes(`revoked token ${bodyId} at the server`)));
    assert.deepEqual(
      w.journal.audits.filter((a) => a.action === 'revoke').map((a) => a.outcome),
      ['done'],
    );
  });

  it("the header's id works: revoked by it, the body's never tried", async () => {
    const w = await world();
    const engine = await splitSignedIn(w, bodyUnknown);
    const long = info(engine, 'long')!;
    await engine.revoke('p1', 'long');
    await engine.idle();
    assert.equal(revokes(w), 1);
    assert.equal(w.sandbox.isRevoked(long.tokenId), true);
    assert.ok(!w.journal.logs.some((l) => l.includes("revoking by the response body's id")));
  });

  it('neither id known (404, 404): taken as already revoked, two requests, nothing retried', async () => {
    const w = await world();
    const engine = await splitSignedIn(w, (issued) => ({
      ...issued,
      tokenId: STRANGER_ID,
      bodyTokenId: 'tok_lt_neither_this',
    }));
    await engine.revoke('p1', 'long');
    w.clock.advance(3 * 3600_000);
    await engine.idle();
    assert.equal(revokes(w), 2);
    assert.deepEqual(engine.pendingRevokes(), []);
    assert.ok(
      w.journal.logs.some((l) => l.includes(`token ${STRANGER_ID} was already revoked or expired at the server (404)`)),
    );
  });

  it("a 503 on the header's id is not answered with the body's: the retry later falls back on the 404", async () => {
    const w = await world();
    const engine = await splitSignedIn(w, headerUnknown);
    const bodyId = bodyTokenIdOf(await w.store.get(recordKey('p1', 'long')));
    w.sandbox.faults.forceStatus({ route: REVOKE, status: 503, headers: { 'Retry-After': '60' }, times: 1 });
    const error = await rejection(engine.revoke('p1', 'long'));
    assert.equal(error.status, 503);
    assert.equal(revokes(w), 1, 'only the header id was tried: a 503 says nothing about the id');
    assert.deepEqual(engine.pendingRevokes(), [{ profileId: 'p1', tokenId: STRANGER_ID }]);
    assert.equal(w.sandbox.isRevoked(bodyId), false);
    w.clock.advance(61_000);
    await engine.idle();
    assert.equal(revokes(w), 3, 'the retry: the header id (404), then the body id');
    assert.equal(w.sandbox.isRevoked(bodyId), true);
    assert.deepEqual(engine.pendingRevokes(), []);
  });

  it('another window on the same store revokes by the stored body id too', async () => {
    const w = await world();
    await splitSignedIn(w, headerUnknown);
    const bodyId = bodyTokenIdOf(await w.store.get(recordKey('p1', 'long')));
    const other = w.engine({ autoRefresh: false });
    await other.ready;
    assert.equal(info(other, 'long')?.tokenId, STRANGER_ID);
    await other.revoke('p1', 'long');
    await other.idle();
    assert.equal(w.sandbox.isRevoked(bodyId), true);
  });

  it('a short-term token whose exchange named two ids: revoked by the body id after a 404', async () => {
    const w = await world();
    const engine = await splitSignedIn(
      w,
      (issued) => issued,
      (issued) => ({ ...issued, tokenId: 'tok_st_not_known_here', bodyTokenId: issued.tokenId }),
    );
    const { info: short } = await engine.getShortTermToken('p1');
    assert.equal(short.tokenId, 'tok_st_not_known_here');
    const bodyId = bodyTokenIdOf(await w.store.get(recordKey('p1', 'short')));
    await engine.revoke('p1', 'short');
    await engine.idle();
    assert.equal(revokes(w), 2);
    assert.equal(w.sandbox.isRevoked(bodyId), true);
    assert.equal(info(engine, 'short')?.status, 'revoked');
  });
});

/** The body's id kept in a stored token record. */
function bodyTokenIdOf(raw: string | undefined): string {
  const id = (JSON.parse(raw ?? '{}') as { bodyTokenId?: unknown }).bodyTokenId;
  assert.equal(typeof id, 'string', 'the record keeps bodyTokenId');
  return id as string;
}
