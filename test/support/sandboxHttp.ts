// Shared by the sandbox tests: plain fetch over 127.0.0.1, a settable clock, and the few calls every test needs.
// In a viaContract() suite the calls go through `prism proxy` of the contract (test/support/prism/proxy.ts); `direct` reaches the
// sandbox itself, for what the contract does not cover or forbids on purpose.
import { strict as assert } from 'node:assert';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET } from '../../sandbox/src/demo';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/src/server';
import { activeContractProxy, assertRefused, type ContractRoute, type PrismAnswer } from './prism/proxy';

export { loadJose, type Jose } from './jose';

export const T0 = Date.parse('2030-01-01T00:00:00Z');

/** A clock the test moves by hand; the sandbox reads it through `now`. */
export class ManualClock {
  constructor(public ms = T0) {}
  readonly now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

export interface Reply {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the raw text when the body is not JSON, or undefined when empty. */
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- assertions read arbitrary response fields
  text: string;
}

export async function call(
  url: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string>; bearer?: string } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.bearer !== undefined) headers.Authorization = `Bearer ${init.bearer}`;
  let body: string | undefined;
  if (typeof init.body === 'string') body = init.body;
  else if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['Content-Type'] ??= 'application/json';
  }
  const response = await fetch(url, {
    method: init.method ?? 'POST',
    headers,
    ...(body !== undefined ? { body } : {}),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, headers: response.headers, json, text };
}

export const secretGrant = (extra: Record<string, unknown> = {}) => ({
  grant_type: 'client_credentials',
  client_id: DEMO_CLIENT_ID,
  client_secret: DEMO_CLIENT_SECRET,
  ...extra,
});

/** The sandbox plus shorthands for its three token operations. */
export class SandboxHarness {
  private constructor(
    readonly sandbox: Sandbox,
    readonly clock: ManualClock,
    /** Through Prism while a viaContract() suite runs; undefined = straight to the sandbox. */
    readonly route: ContractRoute | undefined,
  ) {}

  static async start(options: Omit<SandboxOptions, 'now'> = {}, clock = new ManualClock()): Promise<SandboxHarness> {
    const sandbox = await startSandbox({ ...options, now: clock.now });
    const proxy = activeContractProxy();
    return new SandboxHarness(sandbox, clock, proxy ? await proxy.route(sandbox) : undefined);
  }

  /** The same sandbox without Prism in between: for requests outside the contract, or that it forbids on purpose. */
  get direct(): SandboxHarness {
    return this.route ? new SandboxHarness(this.sandbox, this.clock, undefined) : this;
  }

  /** The base URL requests go to: Prism's route, or the sandbox's own. */
  get baseUrl(): string {
    return this.route?.baseUrl ?? this.sandbox.baseUrl;
  }

  url(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  /** Asserts Prism refused exactly these requests since the last check (none when not through Prism). */
  refused(types: string[], why: string): PrismAnswer[] {
    return assertRefused(this.route, types, why);
  }

  /**
   * A request the contract forbids, sent on purpose: through Prism it must be refused with `prismType` (so it never
   * reaches the sandbox and has no effect there); then it goes to the sandbox directly, whose answer is returned.
   */
  async forbidden(prismType: string, send: (h: SandboxHarness) => Promise<Reply>): Promise<Reply> {
    if (this.route) {
      const refused = await send(this);
      assertRefused(this.route, [prismType], `the contract forbids this request (${refused.status} ${refused.text})`);
    }
    return send(this.direct);
  }

  /** Long-term issuance. X-Client-Id names the client as the contract's ClientKey scheme asks (the API client does too). */
  long(body: unknown, bearer?: string): Promise<Reply> {
    const clientId = (body as { client_id?: unknown } | null)?.client_id;
    const headers = typeof clientId === 'string' ? { 'X-Client-Id': clientId } : undefined;
    return call(this.url('/auth/tokens/long'), {
      body,
      ...(headers ? { headers } : {}),
      ...(bearer !== undefined ? { bearer } : {}),
    });
  }

  short(bearer: string | undefined, body?: unknown): Promise<Reply> {
    return call(this.url('/auth/tokens/short'), {
      ...(bearer !== undefined ? { bearer } : {}),
      ...(body !== undefined ? { body } : {}),
    });
  }

  revoke(tokenId: string, bearer?: string): Promise<Reply> {
    return call(this.url(`/auth/tokens/${encodeURIComponent(tokenId)}/revoke`), bearer !== undefined ? { bearer } : {});
  }

  /** The echoing protected resource: outside the contract, so always the sandbox itself. */
  resource(bearer?: string, path = '/jobs'): Promise<Reply> {
    return call(`${this.sandbox.baseUrl}${path}`, { method: 'GET', ...(bearer !== undefined ? { bearer } : {}) });
  }

  /** A long-term token by client secret (demo client unless `extra` says otherwise); asserts the 201. */
  async issueLong(extra: Record<string, unknown> = {}): Promise<{ token: string; id: string; scopes: string[] }> {
    const reply = await this.long(secretGrant(extra));
    assert.equal(reply.status, 201, reply.text);
    return { token: reply.json.access_token, id: reply.json.token_id, scopes: reply.json.scopes };
  }

  async issueShort(longToken: string, scopes?: string[]): Promise<{ token: string; id: string; scopes: string[] }> {
    const reply = await this.short(longToken, scopes ? { scopes } : undefined);
    assert.equal(reply.status, 201, reply.text);
    return { token: reply.json.access_token, id: reply.json.token_id, scopes: reply.json.scopes };
  }

  /** Stops the sandbox; rejects when Prism saw an answer outside the contract or refused a request no test expected. */
  async stop(): Promise<void> {
    try {
      await this.route?.close();
    } finally {
      await this.sandbox.stop();
    }
  }
}

/** Waits (without sleeping) until the sandbox has received `count` requests on `route`, e.g. 'POST /auth/tokens/short'. */
export async function received(sandbox: Sandbox, route: string, count: number): Promise<void> {
  while ((sandbox.stats().byRoute[route] ?? 0) < count) await new Promise((resolve) => setImmediate(resolve));
}

/** Asserts the contract's AuthError shape and the status and code. */
export function assertError(reply: Reply, status: number, code: string): void {
  assert.equal(reply.status, status, reply.text);
  assert.equal(reply.json?.code, code, reply.text);
  assert.equal(typeof reply.json?.message, 'string');
  if (status === 401)
    assert.equal(
      reply.headers.get('www-authenticate'),
      code === 'invalid_client' ? INVALID_CLIENT_CHALLENGE : 'Bearer error="invalid_token"',
    );
}

/** The challenge of a failed client authentication (README: the sandbox's failure table). */
export const INVALID_CLIENT_CHALLENGE = 'Bearer realm="c2m", scope="tokens:write"';
