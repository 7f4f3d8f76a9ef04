// Secrets never leak, outside VS Code: canary client secret, OTP and private key, plus every long- and
// short-term token value seen, through every flow and failure case of the engine with trace-level logging (the log
// sink takes every line). Searched: log lines, failure events, every caught error (message, stack, inspected),
// token metadata, audit entries, and all language-server traffic after it was given the tokens' state and a file.
// The in-host half (user data, output channels, settings, state DBs, notices, LS command line) is
// test/integration/reliability.test.ts.
// Straight to the sandbox, not through Prism of the contract: the assertion profile signs aud = its base URL, which
// behind Prism would be Prism's URL, not the sandbox's (the API client's assertions are checked through Prism elsewhere).
import { strict as assert } from 'node:assert';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import type { AuditEntry } from '../../client/src/core/engineTypes';
import type { TokenEngine } from '../../client/src/core/tokenEngine';
import { DEMO_CLIENT_ID } from '../../sandbox/src/demo';
import type { TokenSummary } from '@shared/protocol/tokenState';
import { tokenFingerprint } from '@shared/tokens/fingerprint';
import { TestClient } from '../support/lsp/testClient';
import { note } from '../support/reliability/ledger';
import { holdsAny } from '../support/reliability/pieces';
import { LONG_ROUTE, rigs, SHORT_ROUTE } from './rig';

const hex = (): string => randomBytes(10).toString('hex');

describe('reliability: secrets never leak (engine, API client, language server)', () => {
  const world = rigs();

  it('[S1] canary secret, OTP, private key and token values: absent from logs, events, errors, metadata and LSP traffic', async () => {
    const secret = `canary-secret-${hex()}`;
    const otp = `canary-otp-${hex()}`;
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const pemBody = pem.split('\n')[1]!; // a recognisable slice of the key
    const clients = [
      { clientId: DEMO_CLIENT_ID, clientSecret: secret, allowedScopes: ['jobs:*', 'tokens:*'] },
      { clientId: 'c2m_otp', oneTimeCodes: [otp], allowedScopes: ['jobs:*', 'tokens:*'] },
      {
        clientId: 'c2m_key',
        publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        allowedScopes: ['jobs:*', 'tokens:*'],
      },
    ];
    const rig = await world.start({ clients, otpCodes: [otp] });
    const audits: AuditEntry[] = [];
    const caught: unknown[] = [];
    const tokens: string[] = [];
    const attempt = async (work: Promise<unknown>) => {
      try {
        await work;
      } catch (error) {
        caught.push(error);
      }
    };
    const collect = async (engine: TokenEngine, id: string) => {
      tokens.push(await engine.getTokenValue(id, 'long'));
      tokens.push((await engine.getShortTermToken(id)).value);
    };

    const engine = rig.window({ audit: (a) => audits.push(a) });
    const base = rig.profile;
    engine.setProfiles([
      base,
      { ...base, id: 'otp', name: 'OTP', clientId: 'c2m_otp', mechanism: 'otp' },
      { ...base, id: 'key', name: 'Key', clientId: 'c2m_key', mechanism: 'assertion' },
    ]);
    await engine.ready;
    await engine.setClientSecret('p1', secret);
    await engine.setPrivateKey('key', pem);
    for (const id of ['p1', 'otp', 'key']) {
      await engine.issueLongTermToken(id);
      await collect(engine, id);
    }
    await engine.refreshShortTermToken('p1');
    tokens.push((await engine.getShortTermToken('p1')).value);
    await engine.rotateLongTermToken('p1');
    await collect(engine, 'p1');

    // Failures whose bodies, headers and codes echo back what the server could have seen (the private key never
    // leaves this machine, so it is not echoed; a damaged key pasted by the user is the local path it could leak by).
    const long = tokens.at(-2)!;
    const echo = `secret=${secret} otp=${otp} bearer=${long} ${secret} ${long}`;
    await attempt(engine.setPrivateKey('key', pem.replace(pemBody, `${pemBody.slice(0, 20)}!!${pemBody.slice(20)}`)));
    await attempt(engine.setPrivateKey('key', pemBody));
    const faults: [string, number, Record<string, string>][] = [
      [LONG_ROUTE, 400, {}],
      [LONG_ROUTE, 401, {}],
      [SHORT_ROUTE, 400, {}],
      [SHORT_ROUTE, 401, {}],
      [SHORT_ROUTE, 500, {}],
      [SHORT_ROUTE, 429, { 'Retry-After': secret }],
      [SHORT_ROUTE, 302, { Location: `http://127.0.0.1:1/${long}` }],
      [SHORT_ROUTE, 201, { 'Content-Type': `text/${secret}` }],
    ];
    const n = note(
      'S1',
      `3 mechanisms, refresh, rotate, ${faults.length} echoing failures, revoke, sign-out, LSP open/hover/diagnostics; trace-level log`,
    );
    for (const [route, status, headers] of faults) {
      rig.sandbox.faults.forceStatus({
        route,
        status,
        times: 3,
        headers,
        body: { code: status === 400 ? secret : 'invalid_request', message: echo, details: { echo } },
      });
      await attempt(route === LONG_ROUTE ? engine.rotateLongTermToken('p1') : engine.refreshShortTermToken('p1'));
      rig.sandbox.faults.reset();
      n.fault();
    }
    await engine.revoke('p1', 'short');
    await engine.signOut('otp');
    await engine.idle();

    // The language server gets the tokens' metadata and a file with two of them; all its traffic is kept.
    const lsp = TestClient.spawnBundle();
    try {
      await lsp.initialize();
      await lsp.connection.sendNotification('$/setTrace', { value: 'verbose' });
      const metas: TokenSummary[] = engine
        .tokens()
        .map((t) => ({ ...t, profileName: t.profileId, issuedAt: t.issuedAt ?? 0 }) as unknown as TokenSummary);
      await lsp.tokenState({
        tokens: metas,
        profiles: [{ id: 'p1', name: 'P1', active: true, usable: true }],
        refreshMarginMs: 60_000,
        now: Date.now(),
      });
      const uri = 'file:///ws/canary.http';
      await lsp.open(
        uri,
        'http',
        `GET http://x\nAuthorization: Bearer ${tokens.at(-1)}\n\n###\nGET http://y\nAuthorization: Bearer ${tokens[0]}\n`,
      );
      await lsp.diagnostics(uri);
      await lsp.connection.sendRequest('textDocument/hover', {
        textDocument: { uri },
        position: { line: 1, character: 30 },
      });
      await lsp.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } });
      assert.ok(
        metas.some((m) => m.fingerprint === tokenFingerprint(tokens.at(-1)!)),
        'the server knew the token by fingerprint',
      );

      const surfaces = {
        log: rig.logs.join('\n'),
        events: inspect(rig.failures, { depth: 10, showHidden: true }),
        errors: caught
          .map((e) => `${String(e)}\n${(e as Error).stack ?? ''}\n${inspect(e, { depth: 10, showHidden: true })}`)
          .join('\n'),
        metadata: JSON.stringify(engine.tokens()) + JSON.stringify(engine.profiles()) + JSON.stringify(audits),
        lsp: lsp.traffic(),
      };
      const needles = [secret, otp, pemBody, ...new Set(tokens)];
      const found = Object.entries(surfaces).flatMap(([where, text]) =>
        needles.filter((s) => holdsAny(text, [s])).map((s) => `${where}: ${s.slice(0, 14)}…`),
      );
      n.badInput(faults.length).secretsFound(found.length).done();
      assert.ok(caught.length >= faults.length - 1, `the failures failed (${caught.length})`);
      assert.ok(rig.logs.length > 20 && surfaces.lsp.length > 0, 'there was something to search');
      assert.deepEqual(found, []);
    } finally {
      lsp.dispose();
    }
  });
});
