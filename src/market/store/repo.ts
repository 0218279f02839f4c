import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { MarketDB, ReleasesTable } from './schema.js';
import type { Dialect, StoreHandle } from './db.js';
import { linkEntry, type AuditRecord } from '../trust/audit-chain.js';
import { pickLatest } from './semver.js';

export type Db = Kysely<MarketDB> | Transaction<MarketDB>;
export type ReleaseRow = Selectable<ReleasesTable>;

/** Release states. `held` and `rejected` are invisible to the read API. */
export type ReleaseStatus = 'active' | 'deprecated' | 'yanked' | 'taken-down' | 'held' | 'rejected';
export const LISTED_STATUSES: ReleaseStatus[] = ['active', 'deprecated'];
export const DELETED_STATUSES: ReleaseStatus[] = ['yanked', 'taken-down'];

/**
 * Appends one audit entry inside the caller's transaction. The head row is locked first
 * (FOR UPDATE on PostgreSQL; SQLite transactions already run one at a time), so concurrent
 * writers form one linear chain and the entry commits or vanishes with the change it records.
 */
export async function appendAudit(trx: Transaction<MarketDB>, dialect: Dialect, fields: { time: string; actor: string; action: string; payload: unknown }): Promise<AuditRecord> {
  const head = await lockHead(trx, dialect);
  const rec = linkEntry(head, fields);
  await writeAudit(trx, rec);
  return rec;
}

export async function lockHead(trx: Transaction<MarketDB>, dialect: Dialect): Promise<{ seq: number; hash: string }> {
  let q = trx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1);
  if (dialect === 'postgres') q = q.forUpdate();
  const head = await q.executeTakeFirstOrThrow();
  return { seq: Number(head.seq), hash: head.hash };
}

export async function writeAudit(trx: Transaction<MarketDB>, rec: AuditRecord): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({ seq: rec.seq, prev_hash: rec.prev, time: rec.time, actor: rec.actor, action: rec.action, payload_json: JSON.stringify(rec.payload), payload_digest: rec.payloadDigest, hash: rec.hash })
    .execute();
  await trx.updateTable('audit_head').set({ seq: rec.seq, hash: rec.hash }).where('id', '=', 1).execute();
}

export async function readAudit(db: Db, afterSeq: number, limit: number): Promise<AuditRecord[]> {
  const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>', afterSeq).orderBy('seq', 'asc').limit(limit).execute();
  return rows.map((r) => ({ seq: Number(r.seq), prev: r.prev_hash, time: r.time, actor: r.actor, action: r.action, payloadDigest: r.payload_digest, hash: r.hash, payload: JSON.parse(r.payload_json) }));
}

export async function auditHead(db: Db): Promise<{ seq: number; hash: string }> {
  const h = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
  return { seq: Number(h.seq), hash: h.hash };
}

export async function getRelease(db: Db, serverName: string, version: string): Promise<ReleaseRow | undefined> {
  return db.selectFrom('releases').selectAll().where('server_name', '=', serverName).where('version', '=', version).executeTakeFirst();
}

/** Recomputes the server's `latest` after a publish or status change (inside the same transaction). */
export async function refreshLatest(trx: Db, serverName: string, now: string): Promise<void> {
  const rows = await trx.selectFrom('releases').select(['version', 'status']).where('server_name', '=', serverName).where('status', 'in', LISTED_STATUSES).execute();
  const active = rows.filter((r) => r.status === 'active').map((r) => r.version);
  const latest = pickLatest(active.length > 0 ? active : rows.map((r) => r.version));
  await trx.updateTable('servers').set({ latest_version: latest, updated_at: now }).where('name', '=', serverName).execute();
}

export async function ensureServer(trx: Db, serverName: string, org: string, now: string): Promise<void> {
  const existing = await trx.selectFrom('servers').select('name').where('name', '=', serverName).executeTakeFirst();
  if (!existing) await trx.insertInto('servers').values({ name: serverName, org, latest_version: null, created_at: now, updated_at: now }).execute();
}

export interface ListQuery {
  afterId: number;
  limit: number;
  search?: string;
  updatedSince?: string;
  version?: string;
  includeDeleted: boolean;
}

/** The read API's list, in insertion order (id) so the opaque cursor is just the last id seen. */
export async function listReleases(db: Db, q: ListQuery): Promise<Array<ReleaseRow & { latest_version: string | null }>> {
  let query = db
    .selectFrom('releases')
    .innerJoin('servers', 'servers.name', 'releases.server_name')
    .selectAll('releases')
    .select('servers.latest_version')
    .where('releases.id', '>', q.afterId)
    .where('releases.status', 'in', q.includeDeleted || q.updatedSince ? [...LISTED_STATUSES, ...DELETED_STATUSES] : LISTED_STATUSES);
  if (q.search) {
    const pattern = `%${q.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where(sql<boolean>`lower(releases.server_name) like ${pattern.toLowerCase()} escape '\\'`);
  }
  if (q.updatedSince) query = query.where('releases.updated_at', '>=', q.updatedSince);
  if (q.version === 'latest') query = query.whereRef('releases.version', '=', 'servers.latest_version');
  else if (q.version) query = query.where('releases.version', '=', q.version);
  return query.orderBy('releases.id', 'asc').limit(q.limit).execute();
}

export async function listVersions(db: Db, serverName: string, includeDeleted: boolean): Promise<Array<ReleaseRow & { latest_version: string | null }>> {
  return db
    .selectFrom('releases')
    .innerJoin('servers', 'servers.name', 'releases.server_name')
    .selectAll('releases')
    .select('servers.latest_version')
    .where('releases.server_name', '=', serverName)
    .where('releases.status', 'in', includeDeleted ? [...LISTED_STATUSES, ...DELETED_STATUSES] : LISTED_STATUSES)
    .orderBy('releases.id', 'desc')
    .limit(1000)
    .execute();
}

export async function getServer(db: Db, serverName: string) {
  return db.selectFrom('servers').selectAll().where('name', '=', serverName).executeTakeFirst();
}

const RELEASE_BY_VERSION = 'select r.*, s.latest_version from releases r join servers s on s.name = r.server_name where r.server_name = $1 and r.version = $2';
const RELEASE_LATEST = 'select r.*, s.latest_version from servers s join releases r on r.server_name = s.name and r.version = s.latest_version where s.name = $1';

/** The read API's hot path: one release and its server's latest version, in one prepared query. */
export async function readRelease(store: StoreHandle, serverName: string, version: string): Promise<(ReleaseRow & { latest_version: string | null }) | undefined> {
  return version === 'latest' ? store.readOne(RELEASE_LATEST, [serverName]) : store.readOne(RELEASE_BY_VERSION, [serverName, version]);
}
