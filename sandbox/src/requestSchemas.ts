// The contract's request bodies (LongTokenRequest, ShortTokenRequest), checked field by field:
// additionalProperties: false, exact types, nothing coerced. Failures are 400 invalid_request naming the field, never its value.
import type { LongTokenRequest as ContractLongTokenRequest, ShortTokenRequest } from '@shared/contract/wire';
import type { JsonObject } from './body';
import { invalidRequest } from './errors';

type FieldType = 'string' | 'integer' | 'string[]';
interface Schema {
  fields: Record<string, FieldType>;
  required: readonly string[];
}

/** Longest string field accepted (an RS256 assertion with a 4096-bit key is ~1 KB). */
const MAX_STRING = 16 * 1024;
const MAX_ARRAY = 100;

/** The contract's request, except that grant_type is any string, or absent, until mechanismOf() has judged it (400 invalid_grant). */
export type LongTokenRequest = Omit<ContractLongTokenRequest, 'grant_type'> & { grant_type?: string };
export type { ShortTokenRequest };

const LONG_TOKEN_REQUEST: Schema = {
  fields: {
    grant_type: 'string',
    client_id: 'string',
    client_secret: 'string',
    otp_code: 'string',
    assertion_type: 'string',
    assertion: 'string',
    scopes: 'string[]',
    ttl_seconds: 'integer',
  },
  // grant_type is required too, but its absence is answered as the contract's "grant type is not supported".
  required: ['client_id'],
};

const SHORT_TOKEN_REQUEST: Schema = {
  fields: { long_token: 'string', scopes: 'string[]' },
  required: [],
};

function shortName(field: string): string {
  return field.length > 64 ? `${field.slice(0, 64)}…` : field;
}

function checkField(field: string, type: FieldType, value: unknown): void {
  const fail = (expected: string) => invalidRequest(`Field "${field}" must be ${expected}.`, { field, expected });
  switch (type) {
    case 'string':
      if (typeof value !== 'string') throw fail('a string');
      if (value.length > MAX_STRING) throw fail(`at most ${MAX_STRING} characters`);
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw fail('an integer');
      return;
    case 'string[]':
      if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw fail('an array of strings');
      if (value.length > MAX_ARRAY) throw fail(`an array of at most ${MAX_ARRAY} strings`);
      return;
  }
}

function validate(body: JsonObject | undefined, schema: Schema): Record<string, unknown> {
  const object: JsonObject = body ?? (Object.create(null) as JsonObject);
  for (const key of Object.keys(object)) {
    const type = Object.prototype.hasOwnProperty.call(schema.fields, key) ? schema.fields[key] : undefined;
    if (type === undefined) {
      throw invalidRequest(`Unknown field "${shortName(key)}".`, { field: shortName(key) });
    }
    checkField(key, type, object[key]);
  }
  for (const key of schema.required) {
    if (!Object.prototype.hasOwnProperty.call(object, key)) {
      throw invalidRequest(`Field "${key}" is required.`, { field: key });
    }
  }
  return object;
}

export function parseLongTokenRequest(body: JsonObject | undefined): LongTokenRequest {
  if (body === undefined) throw invalidRequest('A JSON body with grant_type and client_id is required.');
  return validate(body, LONG_TOKEN_REQUEST) as unknown as LongTokenRequest;
}

export function parseShortTokenRequest(body: JsonObject | undefined): ShortTokenRequest {
  return validate(body, SHORT_TOKEN_REQUEST) as unknown as ShortTokenRequest;
}
