import { digestBytes } from '../core/digest.js';
import { parseEnvelope } from '../core/dsse.js';
import { isWardenError } from '../core/errors.js';
import type { PublicKeyInfo } from '../core/keys.js';
import { parseRef } from '../core/ref.js';
import type { StoreHandle } from './store/db.js';
import type { BlobStore } from './store/blobs.js';
import { auditHead, readAudit } from './store/repo.js';
import { verifyChainSegment, type ChainProblem } from './trust/audit-chain.js';
import { GENESIS_HASH } from './store/migrations.js';
import { releaseAuditPayload } from './publish.js';
import { verifyCountersignature } from '../core/countersignature.js';

export interface AuditReport {
  ok: boolean;
  entries: number;
  head: { seq: number; hash: string };
  releases: number;
  problems: Array<ChainProblem | { ref: string; problem: string }>;
}

const PAGE = 1000;
const RELEASE_ACTIONS = new Set(['release.publish', 'release.hold', 'release.approve', 'release.reject']);
const BOUND_FIELDS = ['ref', 'sha256', 'sha512', 'size', 'publisherKeyid', 'envelopeSha256', 'countersigSha256'] as const;

/**
 * Verifies the whole store: the hash chain from genesis to the head row; then every release
 * against the audit entry at its log index (same bytes, keys, envelope and countersignature),
 * its countersignature against the market key, and (with `blobs`) its artifact bytes on disk.
 */
export async function verifyAudit(store: StoreHandle, opts: { marketKey: PublicKeyInfo; blobs?: BlobStore }): Promise<AuditReport> {
  const problems: AuditReport['problems'] = [];
  let cur = { seq: 0, hash: GENESIS_HASH };
  let entries = 0;
  const releaseEntries = new Map<number, Record<string, unknown>>();
  const publishedRefs = new Set<string>();
  for (;;) {
    const page = await readAudit(store.db, cur.seq, PAGE);
    if (page.length === 0) break;
    const seg = verifyChainSegment(cur, page);
    problems.push(...seg.problems);
    for (const r of page) {
      if (RELEASE_ACTIONS.has(r.action)) {
        releaseEntries.set(r.seq, r.payload as Record<string, unknown>);
        publishedRefs.add(String((r.payload as { ref?: unknown }).ref));
      }
    }
    entries += page.length;
    cur = seg.end;
    if (page.length < PAGE) break;
  }
  const head = await auditHead(store.db);
  if (head.seq !== cur.seq || head.hash !== cur.hash) problems.push({ seq: head.seq, problem: `head row (seq ${head.seq}) does not match the last entry (seq ${cur.seq}): entries were removed or added outside the log` });

  const rows = await store.db.selectFrom('releases').selectAll().orderBy('id').execute();
  const rowRefs = new Set<string>();
  for (const row of rows) {
    const ref = `${row.server_name}@${row.version}`;
    rowRefs.add(ref);
    const entry = releaseEntries.get(Number(row.log_index));
    if (!entry) {
      problems.push({ ref, problem: `no release audit entry at log index ${row.log_index}` });
      continue;
    }
    const expected = releaseAuditPayload(row) as Record<string, unknown>;
    for (const f of BOUND_FIELDS) {
      if (JSON.stringify(entry[f]) !== JSON.stringify(expected[f])) problems.push({ ref, problem: `field ${f} differs from the audit entry at ${row.log_index}` });
    }
    const vouched = row.status !== 'held' && row.status !== 'rejected';
    if (vouched) {
      try {
        if (row.countersig_json === null) throw new Error('accepted release without countersignature');
        const v = verifyCountersignature(parseEnvelope(row.countersig_json), { sha256: row.sha256, sha512: row.sha512 }, { marketKey: opts.marketKey, expectedRef: parseRef(ref), publisherKeyid: row.publisher_keyid });
        if (v.predicate.logIndex !== Number(row.log_index)) throw new Error(`countersignature names log index ${v.predicate.logIndex}, row says ${row.log_index}`);
      } catch (err) {
        problems.push({ ref, problem: `countersignature: ${isWardenError(err) ? err.message : (err as Error).message}` });
      }
    }
    if (opts.blobs && row.status !== 'rejected') {
      const bytes = await opts.blobs.get(row.sha256);
      if (!bytes) problems.push({ ref, problem: 'artifact blob is missing' });
      else if (digestBytes(bytes).sha256 !== row.sha256) problems.push({ ref, problem: 'artifact blob does not match its sha256' });
    }
  }
  for (const ref of publishedRefs) if (!rowRefs.has(ref)) problems.push({ ref, problem: 'audit log records a release that has no row' });
  return { ok: problems.length === 0, entries, head, releases: rows.length, problems };
}
