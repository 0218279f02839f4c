import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { WardenError } from '../../core/errors.js';
import { constantTimeEqual } from '../../core/secure-compare.js';
import { JsonStateFile } from '../state-file.js';
import type { Principal } from './principal.js';

/**
 * Gateway-issued API keys: `wk_<id>_<secret>`. Only the sha256 of the whole key is stored (keys
 * are 256-bit random, so a fast hash is enough); presented keys are compared in constant time.
 */
export interface ApiKeyRecord {
  id: string;
  sha256: string;
  principal: string;
  groups: string[];
  tenant?: string;
  servers?: string[];
  description?: string;
  createdAt: string;
  revokedAt?: string;
}

interface KeysDoc {
  keys: ApiKeyRecord[];
}

const KEY_FORMAT = /^wk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export function looksLikeApiKey(token: string): boolean {
  return token.startsWith('wk_');
}

function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export class ApiKeyStore {
  readonly #file: JsonStateFile<KeysDoc>;

  constructor(stateDir: string) {
    this.#file = new JsonStateFile<KeysDoc>(join(stateDir, 'api-keys.json'), () => ({ keys: [] }));
  }

  create(input: { principal: string; groups?: string[]; tenant?: string; servers?: string[]; description?: string }): { key: string; record: ApiKeyRecord } {
    if (!/^[A-Za-z0-9._@:-]{1,128}$/.test(input.principal)) {
      throw new WardenError('WARDEN_E_USAGE', 'The principal must be 1-128 of [A-Za-z0-9._@:-].', { where: 'principal' });
    }
    const id = randomBytes(8).toString('hex');
    const key = `wk_${id}_${randomBytes(32).toString('base64url')}`;
    const record: ApiKeyRecord = {
      id,
      sha256: hashKey(key),
      principal: input.principal,
      groups: input.groups ?? [],
      ...(input.tenant ? { tenant: input.tenant } : {}),
      ...(input.servers && input.servers.length > 0 ? { servers: input.servers } : {}),
      ...(input.description ? { description: input.description } : {}),
      createdAt: new Date().toISOString(),
    };
    this.#file.update((d) => d.keys.push(record));
    return { key, record };
  }

  revoke(id: string): ApiKeyRecord {
    let found: ApiKeyRecord | undefined;
    this.#file.update((d) => {
      found = d.keys.find((k) => k.id === id);
      if (found && !found.revokedAt) found.revokedAt = new Date().toISOString();
    });
    if (!found) throw new WardenError('WARDEN_E_GW_KEY_UNKNOWN', `No API key with id ${id}.`, { where: id });
    return found;
  }

  list(): ApiKeyRecord[] {
    return this.#file.get(Date.now() + 10_000).keys;
  }

  /** Returns the principal for a presented key, or a reason it was refused. */
  verify(presented: string): { principal: Principal } | { reason: string } {
    const m = KEY_FORMAT.exec(presented);
    if (!m) return { reason: 'malformed API key' };
    const rec = this.#file.get().keys.find((k) => k.id === m[1]);
    // Hash and compare even when the id is unknown, so timing does not reveal valid ids.
    const ok = constantTimeEqual(hashKey(presented), rec?.sha256 ?? '0'.repeat(64));
    if (!rec || !ok) return { reason: 'unknown API key' };
    if (rec.revokedAt) return { reason: 'API key revoked' };
    return {
      principal: {
        id: rec.principal,
        key: `key:${rec.id}`,
        groups: rec.groups,
        tenant: rec.tenant,
        method: 'api-key',
        ...(rec.servers ? { servers: rec.servers } : {}),
        scopes: [],
      },
    };
  }
}
