// Figure 8: the token engine against the loopback sandbox, on a fake clock both share (real HTTP on 127.0.0.1):
// 1,000 concurrent short-term token requests must cause exactly 1 exchange; and the time from the refresh point
// (the clock reaching it fires the engine's timer) to a fresh token stored and announced.
import { FakeClock } from '../support/fakeClock';
import { MemorySecretStore } from '../support/memorySecretStore';
import { TokenEngine } from '../../client/src/core/tokenEngine';
import type { TokenInfo } from '../../client/src/core/tokenService';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET } from '../../sandbox/src/demo';
import { startSandbox } from '../../sandbox/src/server';
import type { BenchContext } from './benchContext';
import type { Row } from './results';
import { median } from './stats';

const CONCURRENT = 1_000;
const SHORT_ROUTE = 'POST /auth/tokens/short';
const SHORT_TTL_S = 900;
/** With random() = 0.5 the engine refreshes at 80% of the lifetime minus half the 10% jitter. */
const REFRESH_AFTER_MS = SHORT_TTL_S * 1000 * (0.8 - 0.05);

export async function figure8(ctx: BenchContext): Promise<Row[]> {
  ctx.log('figure 8: token engine against the sandbox');
  const clock = new FakeClock(Date.UTC(2026, 2, 1, 9));
  const sandbox = await startSandbox({ now: () => clock.now(), shortTtlSeconds: SHORT_TTL_S });
  const engine = new TokenEngine({
    store: new MemorySecretStore(),
    profiles: [
      {
        id: 'bench',
        name: 'Bench',
        baseUrl: sandbox.baseUrl,
        clientId: DEMO_CLIENT_ID,
        mechanism: 'client_secret',
        scopes: ['jobs:*'],
      },
    ],
    activeProfileId: 'bench',
    clock,
    random: () => 0.5,
    sleep: () => Promise.resolve(),
    heartbeatMs: 0,
    prompts: { otpCode: () => Promise.resolve(undefined) },
  });
  try {
    await engine.ready;
    await engine.setClientSecret('bench', DEMO_CLIENT_SECRET);
    await engine.issueLongTermToken('bench');
    const exchanges = (): number => sandbox.stats().byRoute[SHORT_ROUTE] ?? 0;

    const before = exchanges();
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: CONCURRENT }, () => engine.getShortTermToken('bench')));
    const allMs = performance.now() - started;
    const count = exchanges() - before;
    const distinct = new Set(results.map((r) => r.info.tokenId)).size;

    const refreshes: number[] = [];
    for (let i = 0; i <= ctx.warmRuns * 2; i++) refreshes.push(await refreshOnce(engine, clock));
    const refreshMs = median(refreshes.slice(1));
    return [
      {
        figure: `8 ${CONCURRENT.toLocaleString('en')} concurrent getShortTermToken: exchanges`,
        unit: 'count',
        median: count,
        runs: 1,
        reference: `${distinct} distinct token(s) handed out`,
        goal: 'exactly 1',
        met: count === 1 && distinct === 1,
      },
      {
        figure: `8 ${CONCURRENT.toLocaleString('en')} concurrent getShortTermToken: all answered`,
        unit: 'ms',
        median: allMs,
        runs: 1,
      },
      {
        figure: '8 refresh point -> fresh token stored',
        unit: 'ms',
        median: refreshMs,
        cold: refreshes[0],
        runs: refreshes.length - 1,
        note: 'fake clock moved to the refresh point; real HTTP to the sandbox on 127.0.0.1',
      },
    ];
  } finally {
    engine.dispose();
    await sandbox.stop();
  }
}

function shortOf(engine: TokenEngine): TokenInfo | undefined {
  return engine.tokens().find((t) => t.profileId === 'bench' && t.kind === 'short' && t.status !== 'revoked');
}

/** Moves the clock to the current short-term token's refresh point and times until a new one is stored. */
async function refreshOnce(engine: TokenEngine, clock: FakeClock): Promise<number> {
  // The engine arms its next timer after it stores a token; let that settle before moving the clock.
  await engine.idle();
  const current = shortOf(engine);
  if (!current) throw new Error('no short-term token to refresh');
  let sub: { dispose(): void } | undefined;
  let guard: NodeJS.Timeout | undefined;
  const stored = new Promise<void>((resolve, reject) => {
    sub = engine.onDidChange(() => {
      const next = shortOf(engine);
      if (next && next.tokenId !== current.tokenId && next.status === 'valid') resolve();
    });
    guard = setTimeout(() => reject(new Error('no fresh token within 10 s of the refresh point')), 10_000);
  });
  try {
    const started = performance.now();
    clock.advance(current.issuedAt + REFRESH_AFTER_MS - clock.now());
    await stored;
    return performance.now() - started;
  } finally {
    clearTimeout(guard);
    sub?.dispose();
  }
}
