import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { WardenError } from '../../core/errors.js';

/**
 * Audit encryption keys: 32-byte AES-256 keys with ids. New records use the active key; older keys
 * stay in the ring so earlier records remain readable after rotation. File form (mode 0600):
 * `{"active": "k2", "keys": {"k1": "<base64>", "k2": "<base64>"}}`; env form (WARDEN_AUDIT_KEYS):
 * `k1:<base64>,k2:<base64>` with the last entry active.
 */
export interface AuditKeyRing {
  active: string;
  keys: Map<string, Buffer>;
}

const KID = /^[A-Za-z0-9._-]{1,64}$/;

function decodeKey(kid: string, b64: string, where: string): Buffer {
  if (!KID.test(kid)) throw new WardenError('WARDEN_E_AUDIT_KEY', `Audit key id "${kid}" must be 1-64 of [A-Za-z0-9._-].`, { where });
  const key = Buffer.from(b64, 'base64');
  if (key.length !== 32) throw new WardenError('WARDEN_E_AUDIT_KEY', `Audit key "${kid}" must be 32 bytes in base64 (got ${key.length}).`, { where });
  return key;
}

export function parseKeyRingJson(text: string, where: string): AuditKeyRing {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    throw new WardenError('WARDEN_E_AUDIT_KEY', `The audit key ring ${where} is not JSON.`, { where, cause });
  }
  const d = doc as { active?: unknown; keys?: unknown };
  if (typeof d?.active !== 'string' || typeof d.keys !== 'object' || d.keys === null) {
    throw new WardenError('WARDEN_E_AUDIT_KEY', `The audit key ring ${where} needs {"active": id, "keys": {id: base64}}.`, { where });
  }
  const keys = new Map<string, Buffer>();
  for (const [kid, v] of Object.entries(d.keys as Record<string, unknown>)) {
    if (typeof v !== 'string') throw new WardenError('WARDEN_E_AUDIT_KEY', `Audit key "${kid}" must be a base64 string.`, { where });
    keys.set(kid, decodeKey(kid, v, where));
  }
  if (!keys.has(d.active)) throw new WardenError('WARDEN_E_AUDIT_KEY', `The active audit key "${d.active}" is not in the ring.`, { where });
  return { active: d.active, keys };
}

export function parseKeyRingEnv(value: string): AuditKeyRing {
  const keys = new Map<string, Buffer>();
  let active = '';
  for (const part of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    const i = part.indexOf(':');
    if (i <= 0) throw new WardenError('WARDEN_E_AUDIT_KEY', 'WARDEN_AUDIT_KEYS must be `kid:base64[,kid:base64...]`.', { where: 'WARDEN_AUDIT_KEYS' });
    const kid = part.slice(0, i);
    keys.set(kid, decodeKey(kid, part.slice(i + 1), 'WARDEN_AUDIT_KEYS'));
    active = kid;
  }
  if (!active) throw new WardenError('WARDEN_E_AUDIT_KEY', 'WARDEN_AUDIT_KEYS is empty.', { where: 'WARDEN_AUDIT_KEYS' });
  return { active, keys };
}

/** Loads the ring from a file when given, else from WARDEN_AUDIT_KEYS. */
export function loadKeyRing(file: string | undefined, env: NodeJS.ProcessEnv = process.env): AuditKeyRing {
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (cause) {
      throw new WardenError('WARDEN_E_AUDIT_KEY', `Cannot read the audit key ring ${file}: ${(cause as NodeJS.ErrnoException).code ?? cause}.`, { where: file, cause });
    }
    return parseKeyRingJson(text, file);
  }
  const v = env.WARDEN_AUDIT_KEYS;
  if (!v) throw new WardenError('WARDEN_E_AUDIT_KEY', 'No audit key: set audit.keysFile in the config, pass --keys, or set WARDEN_AUDIT_KEYS.');
  return parseKeyRingEnv(v);
}

export function serializeKeyRing(ring: AuditKeyRing): string {
  const keys: Record<string, string> = {};
  for (const [kid, k] of ring.keys) keys[kid] = k.toString('base64');
  return JSON.stringify({ active: ring.active, keys }, null, 2) + '\n';
}

/** Adds a fresh random key and makes it active (creating the ring when absent); writes 0600 atomically. */
export function rotateKeyRingFile(file: string, kid?: string): { active: string; count: number } {
  const ring: AuditKeyRing = existsSync(file) ? parseKeyRingJson(readFileSync(file, 'utf8'), file) : { active: '', keys: new Map() };
  const id = kid ?? `k${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${randomBytes(3).toString('hex')}`;
  if (!KID.test(id)) throw new WardenError('WARDEN_E_AUDIT_KEY', `Audit key id "${id}" must be 1-64 of [A-Za-z0-9._-].`);
  if (ring.keys.has(id)) throw new WardenError('WARDEN_E_AUDIT_KEY', `The key ring already holds "${id}".`, { where: file });
  ring.keys.set(id, randomBytes(32));
  ring.active = id;
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, serializeKeyRing(ring), { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
  return { active: id, count: ring.keys.size };
}
