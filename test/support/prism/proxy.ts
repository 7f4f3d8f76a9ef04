// The contract as a referee: `prism proxy <contract> <upstream> --errors` in front of the real sandbox, so every
// request a suite sends and every answer the sandbox gives is validated against test/fixtures/contract. With --errors
// Prism answers a request outside the contract itself (422, or 401 for a missing credential) and turns an answer
// outside it into a 500; either way the test sees it, and the route's close() fails with what Prism said.
//
//   client -> route (one per sandbox: counts, classifies) -> prism proxy --errors -> upstream switch -> that sandbox
//
// Prism starts once per mocha run (it takes seconds), its upstream fixed at start; sandboxes come and go per test, so
// Prism's upstream is a switch that sends each request to the sandbox its route named in a header, and marks the
// sandbox's answers. An answer without the mark is Prism's own: a refusal of the request, or a violation report.
// A suite opts in with viaContract(); C2M_PRISM_PROXY=off runs such suites straight against the sandbox.
import { strict as assert } from 'node:assert';
import {
  Agent,
  createServer,
  request,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { BASE_PATH, type Sandbox } from '../../../sandbox/src/server';
import { CONTRACT, startPrism, type Prism } from './mock';

/** Names the sandbox a request is for, from the route through Prism (which forwards every header) to the switch. */
const ROUTE_HEADER = 'x-c2m-contract-route';
/** Set by the switch on every answer that came from a sandbox; removed before the client sees it. */
const SANDBOX_MARK = 'x-c2m-contract-sandbox';
const PRISM_ERRORS = 'https://stoplight.io/prism/errors#';
/** Prism's own answers are small problem+json documents; anything longer is cut (it is only ever reported). */
const MAX_OWN_ANSWER_BYTES = 256 * 1024;

/** One answer of Prism's own: why the request never reached the sandbox, or why the sandbox's answer was replaced. */
export interface PrismAnswer {
  method: string;
  path: string;
  status: number;
  /** The problem type after '#', e.g. UNPROCESSABLE_ENTITY, UNAUTHORIZED, VIOLATIONS, NO_PATH_MATCHED_ERROR. */
  type: string;
  /** Prism's validation messages, e.g. "body: Request body must NOT have additional properties; found 'x'". */
  messages: string[];
}

export interface ContractTotals {
  /** Routes opened (counted ones): none means no viaContract() test ran, and there is nothing to report. */
  routes: number;
  /** Exchanges the sandbox answered and Prism validated both ways without an error. */
  validated: number;
  /** Answers of the sandbox that Prism found outside the contract (VIOLATIONS): sandbox bugs. */
  violations: PrismAnswer[];
  /** Requests Prism refused (they never reached the sandbox), asserted by the test that sent them. */
  refusedAsserted: number;
  /** Requests Prism refused that no test asserted: the test sent something outside the contract unknowingly. */
  refusedUnasserted: PrismAnswer[];
  /** Warnings Prism attached to validated exchanges (an undocumented status, say), counted per message. */
  warnings: Map<string, number>;
}

const totals: ContractTotals = {
  routes: 0,
  validated: 0,
  violations: [],
  refusedAsserted: 0,
  refusedUnasserted: [],
  warnings: new Map(),
};

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function readCapped(stream: IncomingMessage, cap: number): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      if (size < cap) chunks.push(chunk);
      size += chunk.length;
    });
    stream.once('end', () => resolve(Buffer.concat(chunks).toString('utf8').slice(0, cap)));
    stream.once('error', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** Prism's answer, read from its problem+json (or the bare JSON error of its body parser). */
function prismAnswer(method: string, path: string, status: number, text: string): PrismAnswer {
  let problem: { type?: unknown; title?: unknown; detail?: unknown; validation?: unknown; error?: { code?: unknown } } =
    {};
  try {
    problem = JSON.parse(text) as typeof problem;
  } catch {
    // not JSON: reported by status alone
  }
  const type =
    typeof problem.type === 'string'
      ? problem.type.replace(PRISM_ERRORS, '')
      : typeof problem.error?.code === 'string'
        ? problem.error.code
        : 'UNKNOWN';
  const messages = Array.isArray(problem.validation)
    ? (problem.validation as { location?: string[]; message?: string }[]).map(
        (v) => `${(v.location ?? []).join('.')}: ${v.message ?? ''}`,
      )
    : [
        typeof problem.detail === 'string'
          ? problem.detail
          : typeof problem.title === 'string'
            ? problem.title
            : text.slice(0, 200),
      ];
  return { method, path, status, type, messages };
}

function describeAnswer(a: PrismAnswer): string {
  return `${a.method} ${a.path} -> ${a.status} ${a.type}: ${a.messages.join('; ')}`;
}

/** The operation of a path, so warnings group by operation rather than by token id. */
const operationOf = (path: string) =>
  path.replace(/\?.*$/, '').replace(/^\/auth\/tokens\/[^/]+\/revoke$/, '/auth/tokens/{tokenId}/revoke');

function recordWarnings(method: string, path: string, status: number, headers: IncomingHttpHeaders): void {
  const raw = headerValue(headers, 'sl-violations');
  if (!raw) return;
  let list: { location?: string[]; severity?: string; message?: string }[] = [];
  try {
    list = JSON.parse(raw) as typeof list;
  } catch {
    list = [{ message: raw }];
  }
  for (const v of list) {
    const key = `${method} ${operationOf(path)} ${status}: ${(v.location ?? []).join('.')} ${v.message ?? ''}`;
    totals.warnings.set(key, (totals.warnings.get(key) ?? 0) + 1);
  }
}

/** The sandbox one route reaches through Prism. */
export interface ContractRoute {
  /** Where clients send contract requests: the contract's paths sit at its root (it names no server). */
  readonly baseUrl: string;
  /** Requests Prism refused since the last call; taking them is how a test asserts them. */
  takeRefusals(): PrismAnswer[];
  /** Stops the route; rejects with every violation and every refusal no test took. */
  close(): Promise<void>;
}

/** `prism proxy --errors` of the contract, shared by every sandbox of the run. */
export class ContractProxy {
  private next = 0;
  /** Routes not closed yet: the end of the run closes them, so what they saw is still reported. */
  private readonly open = new Set<ContractRoute>();
  /** Keep-alive to Prism: it stays up for the whole run. */
  private readonly agent = new Agent({ keepAlive: true });

  private constructor(
    private readonly prism: Prism,
    private readonly upstream: Server,
    /** Route id -> the sandbox's base URL, read by the upstream switch. */
    private readonly targets: Map<string, URL>,
  ) {}

  static async start(signal?: AbortSignal): Promise<ContractProxy> {
    const targets = new Map<string, URL>();
    const upstream = createServer((req, res) => {
      const route = headerValue(req.headers, ROUTE_HEADER);
      const target = route === undefined ? undefined : targets.get(route);
      if (!target) {
        res.writeHead(502, { 'content-type': 'text/plain' }).end('No sandbox for this route.');
        return;
      }
      const headers: OutgoingHttpHeaders = { ...req.headers, host: target.host };
      delete headers[ROUTE_HEADER];
      // A fresh connection per request: a stopped sandbox destroys its sockets, and none is reused by the next one.
      const out = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent: false },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, { ...answer.headers, [SANDBOX_MARK]: '1' });
          answer.pipe(res);
        },
      );
      // The sandbox dropped the connection (a fault hook) or is gone: Prism sees its upstream fail.
      out.once('error', () => res.destroy());
      req.pipe(out);
    });
    await listen(upstream);
    const port = (upstream.address() as AddressInfo).port;
    let prism: Prism;
    try {
      prism = await startPrism(['proxy', CONTRACT, `http://127.0.0.1:${port}${BASE_PATH}`, '--errors'], signal);
    } catch (error) {
      await close(upstream);
      throw error;
    }
    return new ContractProxy(prism, upstream, targets);
  }

  /**
   * A route to `sandbox` through Prism, until close(). `uncounted`: what it finds is left out of the run's totals
   * (the proxy's own test provokes violations on purpose).
   */
  async route(sandbox: Sandbox, { uncounted = false } = {}): Promise<ContractRoute> {
    const id = String(++this.next);
    this.targets.set(id, new URL(sandbox.baseUrl));
    if (!uncounted) totals.routes++;
    let refusals: PrismAnswer[] = [];
    const violations: PrismAnswer[] = [];
    const server = createServer((req, res) => {
      const method = req.method ?? 'GET';
      const path = req.url ?? '/';
      const out = request(
        {
          host: '127.0.0.1',
          port: this.prism.port,
          method,
          path,
          headers: { ...req.headers, [ROUTE_HEADER]: id },
          agent: this.agent,
        },
        (answer) => {
          const status = answer.statusCode ?? 502;
          const headers = { ...answer.headers };
          if (headers[SANDBOX_MARK] !== undefined) {
            delete headers[SANDBOX_MARK];
            if (!uncounted) {
              totals.validated++;
              recordWarnings(method, path, status, headers);
            }
            res.writeHead(status, headers);
            answer.pipe(res);
            return;
          }
          void readCapped(answer, MAX_OWN_ANSWER_BYTES).then((text) => {
            const own = prismAnswer(method, path, status, text);
            if (own.type === 'VIOLATIONS') {
              violations.push(own);
              if (!uncounted) totals.violations.push(own);
            } else {
              refusals.push(own);
            }
            delete headers['content-length'];
            res.writeHead(status, headers).end(text);
          });
        },
      );
      out.once('error', () => res.destroy());
      req.pipe(out);
    });
    await listen(server);
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    let closing: Promise<void> | undefined;
    const route: ContractRoute = {
      baseUrl,
      takeRefusals: () => {
        const taken = refusals;
        refusals = [];
        if (!uncounted) totals.refusedAsserted += taken.length;
        return taken;
      },
      close: () =>
        (closing ??= (async () => {
          this.open.delete(route);
          await close(server);
          this.targets.delete(id);
          const unasserted = refusals.splice(0);
          if (!uncounted) totals.refusedUnasserted.push(...unasserted);
          const problems = [
            ...violations.map((v) => `the sandbox answered outside the contract: ${describeAnswer(v)}`),
            ...unasserted.map((r) => `Prism refused a request no test expected it to refuse: ${describeAnswer(r)}`),
          ];
          if (problems.length) throw new Error(`prism proxy (${CONTRACT}):\n  ${problems.join('\n  ')}`);
        })()),
    };
    this.open.add(route);
    return route;
  }

  /** Closes what is still open, stops Prism; rejects with what the routes left open had seen. */
  async stop(): Promise<void> {
    const left = await Promise.allSettled([...this.open].map((r) => r.close()));
    this.agent.destroy();
    await this.prism.stop();
    await close(this.upstream);
    const errors = left.flatMap((r) =>
      r.status === 'rejected' ? [String((r.reason as Error).message ?? r.reason)] : [],
    );
    if (errors.length) throw new Error(`routes left open at the end of the run:\n${errors.join('\n')}`);
  }
}

/** Asserts that Prism refused exactly these requests (problem types in order) since the last check, and takes them. */
export function assertRefused(route: ContractRoute | undefined, types: string[], why: string): PrismAnswer[] {
  if (!route) return [];
  const taken = route.takeRefusals();
  assert.deepEqual(
    taken.map((r) => r.type),
    types,
    `${why}: ${taken.map(describeAnswer).join('\n') || 'nothing refused'}`,
  );
  return taken;
}

let shared: Promise<ContractProxy> | undefined;
/** Ends a start no test used (a run whose viaContract() suites were all filtered out) instead of waiting it out. */
let startAbort: AbortController | undefined;
let users = 0;

const enabled = () => process.env.C2M_PRISM_PROXY !== 'off';

/** The proxy while a viaContract() suite runs, else undefined: the sandboxes started then are reached through it. */
let active: ContractProxy | undefined;

export function activeContractProxy(): ContractProxy | undefined {
  return active;
}

const GREPPING = process.argv.some((arg) => /^(-g|-f|--grep|--fgrep)(=|$)/.test(arg));

function startShared(): Promise<ContractProxy> {
  if (!shared) {
    startAbort = new AbortController();
    shared = ContractProxy.start(startAbort.signal);
    shared.catch(() => undefined); // reported by the before hook that awaits it, not as an unhandled rejection
  }
  return shared;
}

/**
 * Call inside a describe: its sandboxes (SandboxHarness, the core world, the reliability rig) are reached through
 * Prism. Prism starts when the first such describe is defined (so its seconds of start-up overlap the suites that run
 * before), or, in a --grep run, when the first such suite runs; it stops at the end of the run (stopSharedContractProxy).
 */
export function viaContract(): void {
  if (!enabled()) return;
  // A --grep run may select none of these suites: there Prism starts only when one of them runs.
  if (!GREPPING) void startShared();
  before(async function () {
    this.timeout(60_000); // Prism takes seconds to start, longer on a busy machine
    active = await startShared();
    users++;
  });
  after(() => {
    if (--users === 0) active = undefined;
  });
}

/** The end of the run: stops Prism and, when a route was used, says what it checked. */
export async function stopSharedContractProxy(): Promise<void> {
  if (!shared) return;
  if (totals.routes === 0) startAbort?.abort();
  const proxy = await shared.catch(() => undefined);
  shared = undefined;
  active = undefined;
  try {
    await proxy?.stop();
  } finally {
    if (totals.routes > 0) console.log(`\n${summary()}`);
  }
}

export function summary(): string {
  const { validated, violations, refusedAsserted, refusedUnasserted, warnings } = totals;
  const bad = violations.length + refusedUnasserted.length;
  const lines = [
    `prism proxy: ${validated} exchanges validated, ${bad} violations` +
      ` (${violations.length} answers outside the contract, ${refusedUnasserted.length} unexpected refusals;` +
      ` ${refusedAsserted} deliberate requests refused as their tests assert)`,
  ];
  for (const v of [...violations, ...refusedUnasserted]) lines.push(`  violation: ${describeAnswer(v)}`);
  for (const [message, count] of [...warnings].sort((a, b) => b[1] - a[1]))
    lines.push(`  warning x${count}: ${message}`);
  return lines.join('\n');
}
