// Small purpose-built HTTP servers on 127.0.0.1 for the API client's edge cases (malformed 201s, redirects,
// Retry-After forms, stalls). Each records what it received, so tests can assert that nothing was sent.
import { strict as assert } from 'node:assert';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { C2mApiError } from '../../client/src/api/errors';

export interface StubRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type StubHandler = (req: StubRequest, res: ServerResponse) => void;

export interface Stub {
  /** http://127.0.0.1:PORT */
  origin: string;
  /** origin + '/v1', shaped like the contract's base URL. */
  baseUrl: string;
  requests: StubRequest[];
  close(): Promise<void>;
}

export async function startStub(handler: StubHandler): Promise<Stub> {
  const requests: StubRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry: StubRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(entry);
      handler(entry, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    baseUrl: `${origin}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Sends a JSON (or raw string) answer. */
export function reply(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}),
    ...headers,
  });
  res.end(text);
}

/** A well-formed 201 body; override fields to make it malformed. */
export function tokenBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    token_type: 'Bearer',
    access_token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl',
    expires_in: 900,
    expires_at: '2030-01-01T00:15:00Z',
    scopes: ['jobs:submit'],
    token_id: 'tok_st_1',
    ...overrides,
  };
}

/** Awaits a rejection and checks it is a C2mApiError with the expected fields. */
export async function rejectsWith(
  promise: Promise<unknown>,
  expected: Partial<Pick<C2mApiError, 'kind' | 'code' | 'status' | 'retryable' | 'retryAfterMs'>>,
): Promise<C2mApiError> {
  let result: unknown;
  try {
    result = await promise;
  } catch (error) {
    assert.ok(error instanceof C2mApiError, `expected C2mApiError, got ${String(error)}`);
    for (const [key, value] of Object.entries(expected)) {
      assert.deepEqual((error as unknown as Record<string, unknown>)[key], value, `${key} of "${error.message}"`);
    }
    return error;
  }
  assert.fail(`expected a rejection, got ${JSON.stringify(result)}`);
}

/** Fake sleep: records each requested delay and returns at once (no real waiting). */
export function fakeSleep(): { sleep: (ms: number, signal?: AbortSignal) => Promise<void>; delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    sleep: (ms, signal) => {
      delays.push(ms);
      return signal?.aborted ? Promise.reject(new Error('aborted')) : Promise.resolve();
    },
  };
}

export interface SuiteStub {
  /** Valid inside hooks and tests. */
  readonly stub: Stub;
  /** How the stub answers; swap it per test. */
  answer: (res: ServerResponse, req: StubRequest) => void;
}

/** One stub per describe(): started before, closed after, its request log cleared before each test. */
export function stubForSuite(): SuiteStub {
  let stub: Stub | undefined;
  const suite: SuiteStub = {
    get stub(): Stub {
      assert.ok(stub, 'the stub starts in before()');
      return stub;
    },
    answer: (res) => reply(res, 500),
  };
  before(async () => {
    stub = await startStub((req, res) => suite.answer(res, req));
  });
  after(() => stub?.close());
  beforeEach(() => {
    if (stub) stub.requests.length = 0;
  });
  return suite;
}
