import type { ErrorObject } from 'ajv';
// The official schema compiled ahead of time (scripts/gen-schema-validator.mjs): no Ajv import
// or schema compilation on the install path.
import validateServerSchema from './schemas/server.validate.2025-12-11.mjs';
import { WardenError } from './errors.js';
import { parseModuleId, validateVersion, type ModuleRef } from './ref.js';

/** A `server.json` as published to the official MCP registry (schema 2025-12-11), validated. */
export interface ServerManifest {
  $schema?: string;
  name: string;
  description: string;
  version: string;
  title?: string;
  packages?: Array<Record<string, unknown> & { registryType: string; identifier: string; version?: string }>;
  remotes?: Array<Record<string, unknown>>;
  repository?: Record<string, unknown>;
  _meta?: Record<string, unknown>;
  [key: string]: unknown;
}

export const MANIFEST_FILE = 'server.json';
export const MANIFEST_MAX_BYTES = 256 * 1024;
export const SERVER_SCHEMA_ID = 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json';


function describeSchemaError(e: ErrorObject): string {
  const at = e.instancePath || '/';
  if (e.keyword === 'required') return `${at}: missing required field "${(e.params as { missingProperty: string }).missingProperty}"`;
  if (e.keyword === 'additionalProperties') return `${at}: unknown field "${(e.params as { additionalProperty: string }).additionalProperty}"`;
  return `${at}: ${e.message ?? e.keyword}`;
}

function invalid(message: string, where: string, details?: Record<string, unknown>): WardenError {
  return new WardenError('WARDEN_E_MANIFEST_INVALID', message, { where, ...(details ? { details } : {}) });
}

/**
 * Validates manifest text: JSON, the official registry schema, then Warden's stricter rules
 * (name is a valid `org/name`, version strict semver, a `warden` package entry names this module).
 */
export function parseManifest(text: string | Uint8Array, where = MANIFEST_FILE): ServerManifest {
  const size = typeof text === 'string' ? Buffer.byteLength(text) : text.length;
  if (size === 0) throw invalid('server.json is empty; it must describe the server (see docs/formats.md).', where);
  if (size > MANIFEST_MAX_BYTES) throw new WardenError('WARDEN_E_INPUT_TOO_LARGE', `server.json is larger than ${MANIFEST_MAX_BYTES} bytes.`, { where });
  let doc: unknown;
  try {
    doc = JSON.parse(typeof text === 'string' ? text : Buffer.from(text).toString('utf8'));
  } catch (cause) {
    throw invalid(`server.json is not valid JSON: ${(cause as Error).message}.`, where);
  }
  if (!validateServerSchema(doc)) {
    const problems = (validateServerSchema.errors ?? []).map(describeSchemaError);
    throw invalid(`server.json breaks the MCP registry schema: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? ` (+${problems.length - 3} more)` : ''}.`, where, { problems });
  }
  const manifest = doc as ServerManifest;
  try {
    parseModuleId(manifest.name, `${where}#/name`);
    validateVersion(manifest.version, `${where}#/version`);
  } catch (err) {
    if (err instanceof WardenError) throw invalid(`server.json: ${err.message}`, err.where ?? where, { code: err.code });
    throw err;
  }
  (manifest.packages ?? []).forEach((pkg, i) => {
    if (pkg.registryType !== 'warden') return;
    if (pkg.identifier !== manifest.name) throw invalid(`server.json: packages[${i}] (registryType "warden") has identifier "${pkg.identifier}", but the server is "${manifest.name}".`, `${where}#/packages/${i}/identifier`);
    if (pkg.version !== undefined && pkg.version !== manifest.version) throw invalid(`server.json: packages[${i}] has version "${pkg.version}", but the server version is "${manifest.version}".`, `${where}#/packages/${i}/version`);
  });
  return manifest;
}

export function manifestRef(manifest: ServerManifest): ModuleRef {
  const { org, name } = parseModuleId(manifest.name);
  return { org, name, version: manifest.version };
}
