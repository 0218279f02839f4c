import { sha256Hex } from '../../core/digest.js';
import { constantTimeEqual } from '../../core/secure-compare.js';
import { canonicalJson } from '../../core/canonical-json.js';

/** One link of the append-only audit log. `hash` covers every other field, `prev` chains it. */
export interface AuditEntry {
  seq: number;
  prev: string;
  time: string;
  actor: string;
  action: string;
  payloadDigest: string;
  hash: string;
}

export interface AuditRecord extends AuditEntry {
  payload: unknown;
}

export function payloadDigest(payload: unknown): string {
  return sha256Hex(canonicalJson(payload));
}

export function entryHash(e: Omit<AuditEntry, 'hash'>): string {
  return sha256Hex(canonicalJson({ seq: e.seq, prev: e.prev, time: e.time, actor: e.actor, action: e.action, payloadDigest: e.payloadDigest }));
}

export function linkEntry(prev: { seq: number; hash: string }, fields: { time: string; actor: string; action: string; payload: unknown }): AuditRecord {
  const base = { seq: prev.seq + 1, prev: prev.hash, time: fields.time, actor: fields.actor, action: fields.action, payloadDigest: payloadDigest(fields.payload) };
  return { ...base, hash: entryHash(base), payload: fields.payload };
}

export interface ChainProblem {
  seq: number;
  problem: string;
}

/**
 * Checks a run of entries (ascending seq) continues from `start`: consecutive numbers, each
 * `prev` the previous hash, each hash and payload digest recomputed. Pure; the caller pages.
 */
export function verifyChainSegment(start: { seq: number; hash: string }, records: AuditRecord[]): { end: { seq: number; hash: string }; problems: ChainProblem[] } {
  const problems: ChainProblem[] = [];
  let cur = start;
  for (const r of records) {
    if (r.seq !== cur.seq + 1) problems.push({ seq: r.seq, problem: `sequence gap: expected ${cur.seq + 1}` });
    if (!constantTimeEqual(r.prev, cur.hash)) problems.push({ seq: r.seq, problem: 'prev does not equal the previous entry\'s hash' });
    if (!constantTimeEqual(payloadDigest(r.payload), r.payloadDigest)) problems.push({ seq: r.seq, problem: 'payload does not match its digest' });
    if (!constantTimeEqual(entryHash(r), r.hash)) problems.push({ seq: r.seq, problem: 'entry hash does not match its fields' });
    cur = { seq: r.seq, hash: r.hash };
  }
  return { end: cur, problems };
}
