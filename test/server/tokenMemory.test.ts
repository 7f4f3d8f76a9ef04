// What the server knows of tokens the client no longer holds, end to end: the client's c2m/tokenState (built by
// tokenStateOf from an engine's lists, remembering earlier tokens) over a real connection to the server in-process,
// then lenses, diagnostics and hovers. And the lens countdown: minute texts, refreshed at each minute boundary.
import assert from 'node:assert/strict';
import {
  CodeLensRequest,
  HoverRequest,
  ShutdownRequest,
  type MarkupContent,
} from 'vscode-languageserver-protocol/node';
import { rememberTokens, tokenStateOf, TokenMemory } from '../../client/src/lsp/tokenStateSync';
import { MAX_KNOWN_TOKENS, TokenStateStore } from '../../server/src/tokenStateStore';
import type { Disposable, ProfileSummary, TokenInfo, TokenService } from '../../client/src/core/tokenService';
import { DEFAULT_EXPIRY_RULES, expiringMarginMs } from '@shared/judgement';
import { ClientCommands } from '@shared/protocol/clientCommands';
import { DiagnosticCodes } from '@shared/protocol/diagnosticCodes';
import type { TokenStateParams } from '@shared/protocol/tokenState';
import { tokenFingerprint } from '@shared/tokens/fingerprint';
import { FakeTimers } from './fakeTimers';
import { makeJwt, makeLongTerm } from '../support/jwt';
import { fullCapabilities, TestClient } from '../support/lsp/testClient';
import { NOW, state, tokens as scenarioTokens } from '../support/lsp/tokenScenario';

const MIN = 60_000;
const s = (ms: number): number => Math.floor(ms / 1000);
const long = makeLongTerm('memory-long-1');
const long2 = makeLongTerm('memory-long-2');
const shortA = makeJwt({ sub: 'client-dev', jti: 'tok_st_a', iat: s(NOW - MIN), exp: s(NOW + 14 * MIN) });
const shortB = makeJwt({ sub: 'client-dev', jti: 'tok_st_b', iat: s(NOW), exp: s(NOW + 15 * MIN) });
const shortC = makeJwt({ sub: 'client-dev', jti: 'tok_st_c', iat: s(NOW + MIN), exp: s(NOW + 16 * MIN) });

/** Engine metadata for one token value (issued/expiry on the client's clock, like the engine's local times). */
function info(
  value: string,
  kind: 'long' | 'short',
  tokenId: string,
  issuedAt: number,
  expiresAt: number,
  status: TokenInfo['status'] = 'valid',
): TokenInfo {
  return {
    profileId: 'dev',
    kind,
    tokenId,
    fingerprint: tokenFingerprint(value),
    scopes: ['jobs:submit'],
    issuedAt,
    expiresAt,
    status,
  };
}

const L = info(long, 'long', 'tok_lt_1', NOW - 60 * MIN, NOW + 30 * 24 * 60 * MIN);
const L2 = info(long2, 'long', 'tok_lt_2', NOW + MIN, NOW + 30 * 24 * 60 * MIN);
const A = info(shortA, 'short', 'tok_st_a', NOW - MIN, NOW + 14 * MIN + 500);
const B = info(shortB, 'short', 'tok_st_b', NOW, NOW + 15 * MIN + 500);
const C = info(shortC, 'short', 'tok_st_c', NOW + MIN, NOW + 16 * MIN + 500);

/** The engine as the language features see it: lists of metadata that change, and a change event. */
class FakeEngine implements TokenService {
  held: TokenInfo[] = [];
  profileList: ProfileSummary[] = [
    { id: 'dev', name: 'Dev', baseUrl: 'http://127.0.0.1', clientId: 'c', active: true },
  ];
  private listeners: (() => void)[] = [];

  profiles(): ProfileSummary[] {
    return this.profileList;
  }
  tokens(): TokenInfo[] {
    return this.held.map((t) => ({ ...t, scopes: [...t.scopes] }));
  }
  onDidChange(listener: () => void): Disposable {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
  }
  getShortTermToken(): Promise<{ value: string; info: TokenInfo }> {
    return Promise.reject(new Error('not in this test'));
  }
  revokeByFingerprint(): Promise<void> {
    return Promise.reject(new Error('not in this test'));
  }
  /** The engine's state moved on: what it holds now, and the change event. */
  set(held: TokenInfo[]): void {
    this.held = held;
    for (const l of this.listeners) l();
  }
}

const DOC = 'file:///ws/demo.http';
const text = [
  'GET http://127.0.0.1/jobs/a',
  `Authorization: Bearer ${shortA}`,
  '',
  '###',
  'GET http://127.0.0.1/jobs/b',
  `Authorization: Bearer ${shortB}`,
  '',
  '###',
  'GET http://127.0.0.1/templates',
  `X-Key: ${long}`,
  '',
].join('\n');
const LINE = { a: 1, b: 5, long: 9 };

describe('token state the client no longer holds (client memory, trusted by the server, in-process)', () => {
  let timers: FakeTimers;
  let client: TestClient;
  let engine: FakeEngine;
  let remembering: Disposable;

  beforeEach(async () => {
    timers = new FakeTimers();
    client = TestClient.inProcess({ now: () => timers.now, timers });
    engine = new FakeEngine();
    remembering = rememberTokens(engine);
    await client.initialize();
    await client.open(DOC, 'http', text);
  });
  afterEach(() => {
    remembering.dispose();
    client.dispose();
  });

  /** Sends the state the extension would send now, and waits until the server asked for a fresh pull. */
  async function push(): Promise<void> {
    const refreshed = client.nextRefresh();
    await client.tokenState(tokenStateOf(engine, timers.now));
    await refreshed;
  }

  /** Each token line's lens title (lenses sit on the request line, one above the token's). */
  async function lensAt(tokenLine: number): Promise<string | undefined> {
    const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: DOC } })) ?? [];
    return lenses.find(
      (l) => l.range.start.line === tokenLine - 1 && l.command?.command === ClientCommands.replaceToken,
    )?.command?.title;
  }

  async function codesAt(line: number): Promise<unknown[]> {
    return (await client.diagnostics(DOC)).filter((d) => d.range.start.line === line).map((d) => d.code);
  }

  async function hoverAt(line: number): Promise<string> {
    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: DOC },
      position: { line, character: 25 },
    });
    return (hover!.contents as MarkupContent).value;
  }

  it('keeps a revoked token revoked after a newer token replaced it (lens, diagnostic, hover)', async () => {
    engine.set([L, A]);
    await push();
    assert.equal(await lensAt(LINE.a), 'expires in 14 min · Refresh');
    engine.set([L, { ...A, status: 'revoked' }]); // revoked: the engine still shows it, revoked
    engine.set([L, B]); // then a replace elsewhere issued a new one: the engine only holds the new one
    await push();
    assert.equal(await lensAt(LINE.a), 'revoked · Replace');
    assert.deepEqual(await codesAt(LINE.a), [DiagnosticCodes.revoked]);
    assert.match(await hoverAt(LINE.a), /Status: revoked/);
    assert.equal(await lensAt(LINE.b), 'expires in 15 min · Refresh', 'the new token is valid');
  });

  it('marks every token revoked after sign-out, which revokes them all at the server', async () => {
    engine.set([L, A]);
    engine.set([L, B]); // A superseded, still valid
    await push();
    engine.set([]); // signed out: the engine holds nothing for the profile
    await push();
    assert.equal(await lensAt(LINE.a), 'revoked · Replace');
    assert.equal(await lensAt(LINE.b), 'revoked · Replace');
    assert.equal(await lensAt(LINE.long), 'revoked · Replace');
    assert.deepEqual(await codesAt(LINE.a), [DiagnosticCodes.revoked]);
    const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: DOC } })) ?? [];
    assert.ok(!lenses.some((l) => /expires in/.test(l.command?.title ?? '')), 'no countdown left after sign-out');
  });

  it('a profile that leaves the engine without a sign-out (its settings entry edited, removed, or with a problem) keeps its live tokens live', async () => {
    // Nothing is revoked: the engine forgets the profile while it is not in the settings (a settings problem keeps a
    // profile from the engine too) and reads its stored tokens again when it is back. Shown revoked, the user would
    // take a live long-term token left in a file for a dead one, and the Leak Scan would offer no Revoke.
    const kept: TokenInfo[][] = [];
    const store = { read: () => [], write: (revoked: readonly TokenInfo[]) => void kept.push([...revoked]) };
    const withStore = rememberTokens(engine, store, () => timers.now);
    try {
      engine.set([L, A]);
      await push();
      const dev = engine.profileList;
      engine.profileList = [];
      engine.set([]);
      await push();
      engine.profileList = dev;
      engine.set([L, A]);
      await push();
      assert.deepEqual(
        {
          short: await lensAt(LINE.a),
          longRevoked: /revoked/.test((await lensAt(LINE.long)) ?? ''),
          codes: await codesAt(LINE.a),
          keptRevoked: kept.flat().map((t) => t.tokenId),
        },
        { short: 'expires in 14 min · Refresh', longRevoked: false, codes: [], keptRevoked: [] },
      );
    } finally {
      withStore.dispose();
    }
  });

  it('keeps a token a refresh replaced valid until it expires, and says it was replaced', async () => {
    engine.set([L, A]);
    engine.set([L, B]);
    await push();
    assert.equal(await lensAt(LINE.a), 'expires in 14 min · Refresh');
    assert.deepEqual(await codesAt(LINE.a), []);
    assert.match(await hoverAt(LINE.a), /Status: valid \(replaced by a newer token; works until it expires\)/);
    // It expires on its own time: the server's crossing timer turns it into an expired diagnostic.
    const refreshed = client.nextRefresh();
    timers.advanceTo(A.expiresAt);
    await refreshed;
    assert.deepEqual(await codesAt(LINE.a), [DiagnosticCodes.expired]);
  });

  it('revokes the short-term tokens issued under a revoked long-term token, also the ones no longer held', async () => {
    engine.set([L, A]);
    engine.set([L, B]); // A superseded
    engine.set([
      { ...L, status: 'revoked' },
      { ...B, status: 'revoked' },
    ]); // long-term revoked: the engine marks B
    engine.set([L2, C]); // a new long-term token and a short one from it
    await push();
    assert.equal(await lensAt(LINE.a), 'revoked · Replace', 'A was issued under the revoked long-term token');
    assert.equal(await lensAt(LINE.b), 'revoked · Replace');
    assert.equal(await lensAt(LINE.long), 'revoked · Replace');
  });

  /** Sends exactly `params` (what a client judged), and waits until the server asked for a fresh pull. */
  async function send(params: TokenStateParams): Promise<void> {
    const refreshed = client.nextRefresh();
    await client.tokenState(params);
    await refreshed;
  }

  it('after a reload (a new window: new engine, new memory) a revoked token replaced since is still revoked, from the store', async () => {
    /** What the extension keeps in its global state across the reload (host/revokedTokens.ts). */
    let kept: readonly TokenInfo[] = [];
    const store = { read: () => kept, write: (revoked: readonly TokenInfo[]) => void (kept = revoked) };
    const before = new FakeEngine();
    const first = rememberTokens(before, store, () => timers.now);
    before.set([L, A]);
    before.set([L, { ...A, status: 'revoked' }]);
    before.set([L, B]); // the next use replaced it: only the new one is in the records now
    first.dispose();
    assert.deepEqual(
      kept.map((t) => [t.tokenId, t.status]),
      [['tok_st_a', 'revoked']],
    );
    // The reloaded window: its engine reads the records (L and B), and nothing of A is in them.
    const after = new FakeEngine();
    after.held = [L, B];
    const second = rememberTokens(after, store, () => timers.now);
    try {
      await send(tokenStateOf(after, timers.now));
      assert.equal(await lensAt(LINE.a), 'revoked · Replace');
      assert.deepEqual(await codesAt(LINE.a), [DiagnosticCodes.revoked]);
      assert.match(await hoverAt(LINE.a), /Status: revoked/);
      assert.equal(await lensAt(LINE.b), 'expires in 15 min · Refresh', 'the new token is valid');
    } finally {
      second.dispose();
    }
  });

  it("keeps only revoked tokens across a reload, until they expire (a replaced one is the engine's to judge)", () => {
    const memory = new TokenMemory();
    memory.observe([L, A], ['dev']);
    memory.observe([L, B], ['dev']); // A superseded: still valid at the server
    assert.deepEqual(memory.revoked(NOW), []);
    memory.observe([{ ...L, status: 'revoked' }], ['dev']);
    assert.deepEqual(
      memory
        .revoked(NOW)
        .map((t) => t.tokenId)
        .sort(),
      ['tok_lt_1', 'tok_st_a', 'tok_st_b'],
      'the long-term token revoked, and the short-term ones made from it',
    );
    assert.deepEqual(
      memory
        .revoked(A.expiresAt)
        .map((t) => t.tokenId)
        .sort(),
      ['tok_lt_1', 'tok_st_b'],
      'an expired one is not kept',
    );
    const reloaded = new TokenMemory();
    reloaded.recall([
      { ...A, status: 'revoked' },
      { ...B, status: 'valid' },
    ]);
    const sent = reloaded.observe([L2, C], ['dev']);
    assert.deepEqual(
      sent.map((t) => [t.tokenId, t.status]),
      [
        ['tok_lt_2', 'valid'],
        ['tok_st_c', 'valid'],
        ['tok_st_a', 'revoked'],
      ],
      'only a revoked token is recalled',
    );
  });

  it('takes each status as the client sent it: a token sent revoked, then valid, is valid (the client judges)', async () => {
    engine.set([L, { ...A, status: 'revoked' }]);
    await send(tokenStateOf(engine, timers.now));
    assert.equal(await lensAt(LINE.a), 'revoked · Replace');
    // A state that says A is valid (the client's memory would not send it: see the next test) is taken as it is.
    const stateNow = tokenStateOf(engine, timers.now);
    await send({
      ...stateNow,
      tokens: stateNow.tokens.map((t) => (t.fingerprint === A.fingerprint ? { ...t, status: 'valid' } : t)),
    });
    assert.equal(await lensAt(LINE.a), 'expires in 14 min · Refresh');
    assert.deepEqual(await codesAt(LINE.a), []);
  });

  it('the client keeps a revoked token revoked when the engine lists it otherwise again (revocation is final)', async () => {
    engine.set([L, { ...A, status: 'revoked' }]);
    engine.set([L, A]); // e.g. a window whose copy is behind shows the older record
    assert.equal(
      tokenStateOf(engine, timers.now).tokens.find((t) => t.fingerprint === A.fingerprint)?.status,
      'revoked',
    );
    await send(tokenStateOf(engine, timers.now));
    assert.equal(await lensAt(LINE.a), 'revoked · Replace');
    assert.deepEqual(await codesAt(LINE.a), [DiagnosticCodes.revoked]);
  });

  it('keeps only the tokens the client sent: one it no longer sends is not kept as replaced', async () => {
    engine.set([L, A, B]);
    await send(tokenStateOf(engine, timers.now));
    assert.equal(await lensAt(LINE.a), 'expires in 14 min · Refresh');
    // A client that forgot A (its memory is bounded) sends only L and B: the server keeps no rule of its own for A.
    const stateNow = tokenStateOf(engine, timers.now);
    await send({ ...stateNow, tokens: stateNow.tokens.filter((t) => t.fingerprint !== A.fingerprint) });
    assert.doesNotMatch(await hoverAt(LINE.a), /replaced by a newer token/);
    assert.doesNotMatch((await lensAt(LINE.a)) ?? '', /expires in/);
    assert.equal(await lensAt(LINE.b), 'expires in 15 min · Refresh');
  });

  it('the client memory is bounded and never drops a token the engine holds', () => {
    const memory = new TokenMemory(3);
    const many = Array.from({ length: 6 }, (_, i) => ({ ...A, fingerprint: `fp${i}`, issuedAt: NOW + i }));
    for (const t of many) memory.observe([L, t], ['dev']);
    const sent = memory.observe([L, many[5]!], ['dev']);
    assert.deepEqual(
      sent.map((t) => t.fingerprint),
      [L.fingerprint, 'fp5', 'fp4'],
    );
    assert.equal(sent[2]!.superseded, true);
  });

  it('the server keeps at most MAX_KNOWN_TOKENS of a state, the first ones sent (the tokens the client holds)', () => {
    const store = new TokenStateStore(() => NOW);
    const sent = Array.from({ length: MAX_KNOWN_TOKENS + 5 }, (_, i) => ({
      ...A,
      profileName: 'Dev',
      fingerprint: `fp${i}`,
    }));
    store.update({ tokens: sent, profiles: [], refreshMarginMs: MIN, now: NOW });
    assert.equal(store.snapshot.byFingerprint.size, MAX_KNOWN_TOKENS);
    assert.ok(store.snapshot.byFingerprint.has('fp0') && !store.snapshot.byFingerprint.has(`fp${MAX_KNOWN_TOKENS}`));
    store.update({ tokens: [sent[3]!], profiles: [], refreshMarginMs: MIN, now: NOW });
    assert.deepEqual([...store.snapshot.byFingerprint.keys()], ['fp3'], 'nothing kept from the earlier state');
  });
});

describe('code lens countdown (in-process, fake timers)', () => {
  let timers: FakeTimers;
  let client: TestClient;
  const uri = 'file:///ws/countdown.http';

  beforeEach(() => {
    timers = new FakeTimers();
    client = TestClient.inProcess({ now: () => timers.now, timers });
  });
  afterEach(() => client.dispose());

  /** Only the valid token is known: its crossings (margin, expiry) are the only other timers. */
  const onlyValid = (): TokenStateParams => ({ ...state(), tokens: [state().tokens[0]!] });
  const expiresAt = state().tokens[0]!.expiresAt;

  async function title(): Promise<string | undefined> {
    const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) ?? [];
    return lenses.find((l) => l.command?.command === ClientCommands.replaceToken)?.command?.title;
  }

  it('asks for fresh lenses at each minute boundary of a shown token, and only the lenses', async () => {
    await client.initialize();
    await client.tokenState(onlyValid()); // it expires at NOW + 12:04.5
    await client.open(uri, 'http', `GET http://127.0.0.1/jobs\nAuthorization: Bearer ${scenarioTokens.valid}\n`);
    assert.equal(await title(), 'expires in 12 min · Refresh');
    assert.equal(timers.nextAt, NOW + 4_501, 'just past the next whole minute left');
    const diagnosticRefreshes = client.refreshes;
    const lensRefreshes = client.codeLensRefreshes;
    const refreshed = client.nextCodeLensRefresh();
    timers.advanceTo(NOW + 4_501);
    await refreshed;
    assert.equal(client.codeLensRefreshes, lensRefreshes + 1);
    assert.equal(client.refreshes, diagnosticRefreshes, 'a minute passing changes no diagnostic');
    assert.equal(await title(), 'expires in 11 min · Refresh');
    assert.equal(timers.nextAt, NOW + 4_501 + MIN);

    // Near the end and after it: "<1 min", then minutes since expiry.
    timers.advanceTo(expiresAt - 30_000);
    assert.equal(await title(), 'expires in <1 min · Refresh');
    timers.advanceTo(expiresAt);
    assert.equal(await title(), 'expired <1 min ago · Replace');
    assert.equal(timers.nextAt, expiresAt + MIN);
    const again = client.nextCodeLensRefresh();
    timers.advanceTo(expiresAt + MIN);
    await again;
    assert.equal(await title(), 'expired 1 min ago · Replace');

    // Closed: no more lens ticks for it.
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await client.diagnostics(uri); // a round trip: the close was handled
    assert.ok(
      timers.nextAt === undefined || timers.nextAt > expiresAt + 2 * MIN,
      'no minute tick for a closed document',
    );
  });

  it('sends no lens refresh to a client without refreshSupport, and drops the timer on shutdown', async () => {
    await client.initialize({ ...fullCapabilities, workspace: { diagnostics: { refreshSupport: true } } });
    await client.tokenState(onlyValid());
    await client.open(uri, 'http', `GET http://127.0.0.1/jobs\nAuthorization: Bearer ${scenarioTokens.valid}\n`);
    assert.equal(await title(), 'expires in 12 min · Refresh');
    // Only the token's own crossing (entering the refresh margin) is scheduled, no minute tick.
    assert.equal(
      timers.nextAt,
      expiresAt - expiringMarginMs(state().tokens[0]!, DEFAULT_EXPIRY_RULES),
      'the earliest crossing of the known token',
    );
    timers.advanceTo(NOW + 4_501);
    assert.equal(client.codeLensRefreshes, 0);
    await client.connection.sendRequest(ShutdownRequest.type);
    assert.equal(timers.nextAt, undefined, 'no timer left after shutdown');
  });
});
