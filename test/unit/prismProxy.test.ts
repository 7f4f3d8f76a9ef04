// The referee itself: `prism proxy --errors` in front of a sandbox really reports an answer outside the contract and
// a request outside it, and the route fails with what Prism said. Without this, "0 violations" could mean no checking.
// Its routes are uncounted: the violations provoked here are not the run's.
import { strict as assert } from 'node:assert';
import { startSandbox, type Sandbox } from '../../sandbox/src/server';
import { activeContractProxy, viaContract, type ContractRoute } from '../support/prism/proxy';
import { call, secretGrant } from '../support/sandboxHttp';

describe('prism proxy of the contract in front of the sandbox', function () {
  this.timeout(20_000);
  viaContract();
  let sandbox: Sandbox;
  let route: ContractRoute;

  beforeEach(async function () {
    const proxy = activeContractProxy();
    if (!proxy) this.skip(); // C2M_PRISM_PROXY=off
    sandbox = await startSandbox();
    route = await proxy.route(sandbox, { uncounted: true });
  });
  afterEach(async () => {
    await route?.close().catch(() => undefined); // each test closes its route itself
    await sandbox?.stop();
  });

  const long = (body: unknown = secretGrant()) =>
    call(`${route.baseUrl}/auth/tokens/long`, { body, headers: { 'X-Client-Id': 'c2m_demo' } });

  it('passes a contract exchange through unchanged (the sandbox answers, Prism adds no violation)', async () => {
    const reply = await long();
    assert.equal(reply.status, 201, reply.text);
    assert.equal(reply.headers.get('x-token-id'), reply.json.token_id);
    assert.equal(reply.headers.get('cache-control'), 'no-store');
    assert.equal(sandbox.stats().byRoute['POST /auth/tokens/long'], 1);
    await route.close();
  });

  it('an answer outside the contract becomes a 500 VIOLATIONS, and close() fails naming it', async () => {
    sandbox.faults.forceStatus({
      route: 'POST /auth/tokens/long',
      status: 201,
      body: { token_type: 'Bearer' },
      times: 1,
    });
    const reply = await long();
    assert.equal(reply.status, 500, reply.text);
    assert.match(reply.json.type, /#VIOLATIONS$/);
    await assert.rejects(
      route.close(),
      /answered outside the contract: POST \/auth\/tokens\/long -> 500 VIOLATIONS: .*access_token/,
    );
  });

  it('a request outside the contract never reaches the sandbox; unless a test takes the refusal, close() fails', async () => {
    const refused = await long(secretGrant({ ttl_seconds: 60 }));
    assert.equal(refused.status, 422, refused.text);
    assert.equal(sandbox.stats().requests, 0, 'Prism answered itself');
    const missingKey = await call(`${route.baseUrl}/auth/tokens/long`, { body: secretGrant() });
    assert.equal(missingKey.status, 401, 'no X-Client-Id and no bearer: outside the security requirement');
    assert.deepEqual(
      route.takeRefusals().map((r) => r.type),
      ['UNPROCESSABLE_ENTITY', 'UNAUTHORIZED'],
    );
    await route.close();

    route = await activeContractProxy()!.route(sandbox, { uncounted: true });
    await long(secretGrant({ ttl_seconds: 60 }));
    await assert.rejects(
      route.close(),
      /refused a request no test expected it to refuse: .*ttl_seconds must be >= 3600/,
    );
  });
});
