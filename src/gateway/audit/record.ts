import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { WardenError } from '../../core/errors.js';
import type { AuditKeyRing } from './keyring.js';

/**
 * One audit line: the event encrypted with AES-256-GCM under the named key, chained to the
 * previous line by hash. The chain is over the ciphertext, so `verify` can check order and
 * completeness without the key; the GCM tag (with seq, kid and prev as associated data) proves
 * each record was written by a holder of the key and not altered.
 */
export interface AuditLine {
  v: 1;
  seq: number;
  kid: string;
  iv: string;
  ct: string;
  tag: string;
  prev: string;
  hash: string;
}

export const GENESIS = '0'.repeat(64);

function aad(seq: number, kid: string, prev: string): Buffer {
  return Buffer.from(`warden-audit-v1|${seq}|${kid}|${prev}`, 'utf8');
}

export function lineHash(l: Omit<AuditLine, 'hash' | 'v'>): string {
  return createHash('sha256').update(`${l.seq}|${l.kid}|${l.iv}|${l.ct}|${l.tag}|${l.prev}`).digest('hex');
}

export function sealRecord(event: unknown, seq: number, prev: string, ring: AuditKeyRing): AuditLine {
  const key = ring.keys.get(ring.active)!;
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(aad(seq, ring.active, prev));
  const ct = Buffer.concat([c.update(JSON.stringify(event), 'utf8'), c.final()]);
  const body = { seq, kid: ring.active, iv: iv.toString('base64'), ct: ct.toString('base64'), tag: c.getAuthTag().toString('base64'), prev };
  return { v: 1, ...body, hash: lineHash(body) };
}

export function openRecord(line: AuditLine, ring: AuditKeyRing, where: string): unknown {
  const key = ring.keys.get(line.kid);
  if (!key) throw new WardenError('WARDEN_E_AUDIT_KEY', `Record ${line.seq} is encrypted with key "${line.kid}", which is not in the ring.`, { where });
  try {
    const d = createDecipheriv('aes-256-gcm', key, Buffer.from(line.iv, 'base64'));
    d.setAAD(aad(line.seq, line.kid, line.prev));
    d.setAuthTag(Buffer.from(line.tag, 'base64'));
    const pt = Buffer.concat([d.update(Buffer.from(line.ct, 'base64')), d.final()]);
    return JSON.parse(pt.toString('utf8'));
  } catch (cause) {
    throw new WardenError('WARDEN_E_AUDIT_TAMPERED', `Record ${line.seq} does not authenticate with key "${line.kid}": altered, or the wrong key.`, { where, cause });
  }
}

/** Parses one line strictly; any deviation is tampering. */
export function parseLine(text: string, where: string): AuditLine {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (cause) {
    throw new WardenError('WARDEN_E_AUDIT_TAMPERED', 'An audit line is not JSON.', { where, cause });
  }
  const l = v as Record<string, unknown>;
  const ok =
    l !== null &&
    typeof l === 'object' &&
    l.v === 1 &&
    Number.isSafeInteger(l.seq) &&
    typeof l.kid === 'string' &&
    typeof l.iv === 'string' &&
    typeof l.ct === 'string' &&
    typeof l.tag === 'string' &&
    typeof l.prev === 'string' &&
    typeof l.hash === 'string' &&
    Object.keys(l).length === 8;
  if (!ok) throw new WardenError('WARDEN_E_AUDIT_TAMPERED', 'An audit line lacks fields or has extra ones.', { where });
  return l as unknown as AuditLine;
}
