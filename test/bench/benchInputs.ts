// Deterministic bench inputs: .http request files and .env files, generated into the run folder (never the repo).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRng, type Rng } from '../support/prng';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
const RESOURCES = ['orders', 'customers', 'invoices', 'shipments', 'products', 'tokens'] as const;
const SCOPES = ['orders:read', 'orders:write', 'customers:read', 'admin', 'billing:read'] as const;
/** Fixed "now" so issued/expiry claims (and thus the classification: valid/expired) do not depend on the day the bench runs. */
const EPOCH_S = 1_790_000_000;
/** The clock every side of the bench classifies tokens against. */
export const BENCH_NOW_MS = EPOCH_S * 1000;

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function randomChars(rng: Rng, length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[rng.int(alphabet.length)];
  return out;
}

/** A structurally real JWT (header.payload.signature, base64url JSON) with a fake signature. */
export function makeJwt(rng: Rng): string {
  const header = { alg: 'HS256', typ: 'JWT' };
  const iat = EPOCH_S - rng.int(86_400);
  const payload = {
    sub: `client-${rng.int(10_000)}`,
    iss: 'https://auth.example.test',
    scope: [rng.pick(SCOPES), rng.pick(SCOPES)].join(' '),
    jti: randomChars(rng, 16),
    token_type: rng.next() < 0.5 ? 'short' : 'long',
    iat,
    exp: iat + (rng.next() < 0.3 ? 900 : 86_400 * 30),
  };
  return `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}.${randomChars(rng, 43)}`;
}

function jsonBody(rng: Rng): string {
  const lines = ['{', `  "id": "${randomChars(rng, 12)}",`, `  "quantity": ${rng.int(100)},`];
  lines.push(`  "note": "${randomChars(rng, 20 + rng.int(40))}",`, `  "active": ${rng.next() < 0.5}`, '}');
  return lines.join('\n');
}

/** `count` requests separated by `###`, each with headers and a bearer JWT; about half carry a JSON body. */
export function requestFile(count: number, seed = 7): string {
  const rng = createRng(seed + count);
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    const method = rng.pick(METHODS);
    const hasBody = method !== 'GET' && method !== 'DELETE' ? rng.next() < 0.8 : false;
    const lines = [
      `### request ${i}`,
      `${method} https://api.example.test/v1/${rng.pick(RESOURCES)}/${rng.int(100_000)}?page=${rng.int(50)}`,
      'Accept: application/json',
      `X-Request-Id: ${randomChars(rng, 24)}`,
      `Authorization: Bearer ${makeJwt(rng)}`,
    ];
    if (hasBody) lines.push('Content-Type: application/json', '', jsonBody(rng));
    parts.push(lines.join('\n'));
  }
  return `${parts.join('\n\n')}\n`;
}

/** `count` KEY=value lines, about 10% of them holding a JWT. */
export function envFile(count: number, seed = 11): string {
  const rng = createRng(seed + count);
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const key = `VAR_${i}`;
    if (rng.next() < 0.1) lines.push(`TOKEN_${i}=${makeJwt(rng)}`);
    else if (rng.next() < 0.05) lines.push(`# comment ${randomChars(rng, 20)}`);
    else lines.push(`${key}=${randomChars(rng, 8 + rng.int(32))}`);
  }
  return `${lines.join('\n')}\n`;
}

export interface InputSet {
  dir: string;
  requests: Map<number, { file: string; text: string }>;
  envs: Map<number, { file: string; text: string }>;
}

/** Writes every input once into `dir` and keeps the texts in memory for the in-process figures. */
export function writeInputs(dir: string, requestSizes: readonly number[], envSizes: readonly number[]): InputSet {
  mkdirSync(dir, { recursive: true });
  const set: InputSet = { dir, requests: new Map(), envs: new Map() };
  for (const n of requestSizes) {
    const file = path.join(dir, `requests-${n}.http`);
    const text = requestFile(n);
    writeFileSync(file, text);
    set.requests.set(n, { file, text });
  }
  for (const n of envSizes) {
    const file = path.join(dir, `env-${n}.env`);
    const text = envFile(n);
    writeFileSync(file, text);
    set.envs.set(n, { file, text });
  }
  return set;
}
