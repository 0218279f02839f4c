import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

/** Validators built from the official registry's OpenAPI and server.json schema copies. */
// Copies kept in the repository, so CI needs nothing beside the clone.
const OPENAPI = new URL('../fixtures/market/registry/openapi.yaml', import.meta.url);
const SERVER_SCHEMA = new URL('../../src/core/schemas/server.schema.2025-12-11.json', import.meta.url);
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: unknown) => void;

const openapi = parse(readFileSync(OPENAPI, 'utf8'));
const ajv2020 = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv2020);
ajv2020.addSchema({ $id: 'openapi', components: openapi.components });

const ajv7 = new Ajv({ strict: false, allErrors: true });
addFormats(ajv7);
const serverSchema = ajv7.compile(JSON.parse(readFileSync(SERVER_SCHEMA, 'utf8')));

function component(name: string): ValidateFunction {
  return ajv2020.compile({ $ref: `openapi#/components/schemas/${name}` });
}

const serverResponse = component('ServerResponse');
const serverList = component('ServerList');

function errors(v: ValidateFunction, doc: unknown): string[] {
  return v(doc) ? [] : (v.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/** Problems of one `ServerResponse` (OpenAPI) including its `server` against server.schema.json. */
export function serverResponseProblems(doc: any): string[] {
  return [...errors(serverResponse, doc), ...errors(serverSchema, doc?.server).map((e) => `server.json: ${e}`)];
}

export function serverListProblems(doc: any): string[] {
  return [...errors(serverList, doc), ...(doc?.servers ?? []).flatMap((s: any) => errors(serverSchema, s.server).map((e) => `server.json: ${e}`))];
}
