import { WardenError } from '../core/errors.js';
import { formatModuleId, formatRef, type ModuleRef } from '../core/ref.js';
import type { MarketContext } from './context.js';
import type { Principal } from './pipeline/types.js';
import { actorOf, requireRole } from './auth.js';
import { getRelease, lockHead, refreshLatest, writeAudit, type ReleaseRow } from './store/repo.js';
import { linkEntry } from './trust/audit-chain.js';
import { countersign, type ReleasePredicate } from '../core/countersignature.js';
import { releaseAuditPayload } from './publish.js';
import type { StepResult } from './pipeline/types.js';

export type SettableStatus = 'active' | 'deprecated' | 'yanked' | 'taken-down';
export const SETTABLE_STATUSES: SettableStatus[] = ['active', 'deprecated', 'yanked', 'taken-down'];

/**
 * Allowed moves. taken-down is final (the artifact stops being served); held releases leave that
 * state only through review.
 */
function allowed(from: string, to: SettableStatus): boolean {
  if (from === 'taken-down' || from === 'held' || from === 'rejected') return false;
  return from !== to;
}

export async function setStatus(ctx: MarketContext, by: Principal, ref: ModuleRef, to: SettableStatus, reason: string): Promise<ReleaseRow> {
  requireRole(by, ['admin', 'reviewer'], 'change release status');
  if (!SETTABLE_STATUSES.includes(to)) throw new WardenError('WARDEN_E_USAGE', `status must be one of ${SETTABLE_STATUSES.join(', ')}.`, { where: 'status' });
  const now = ctx.now().toISOString();
  const serverName = formatModuleId(ref);
  return ctx.store.db.transaction().execute(async (trx) => {
    const row = await getRelease(trx, serverName, ref.version);
    if (!row) throw new WardenError('WARDEN_E_MARKET_NOT_FOUND', `${formatRef(ref)} is not in this market.`, { where: 'ref' });
    if (!allowed(row.status, to)) throw new WardenError('WARDEN_E_MARKET_STATUS', `${formatRef(ref)} is ${row.status}; it cannot become ${to}.`, { where: 'status' });
    const head = await lockHead(trx, ctx.store.dialect);
    await trx.updateTable('releases').set({ status: to, status_reason: reason, status_changed_at: now, updated_at: now }).where('id', '=', row.id).execute();
    await writeAudit(trx, linkEntry(head, { time: now, actor: actorOf(by), action: 'release.status', payload: { ref: formatRef(ref), from: row.status, to, reason } }));
    await refreshLatest(trx, serverName, now);
    return { ...row, status: to, status_reason: reason, status_changed_at: now, updated_at: now };
  });
}

/** A reviewer decides a held release: approve countersigns and publishes it, reject hides it for good. */
export async function decideHeld(ctx: MarketContext, by: Principal, ref: ModuleRef, decision: 'approve' | 'reject', reason: string): Promise<ReleaseRow> {
  requireRole(by, ['admin', 'reviewer'], 'review releases');
  const now = ctx.now().toISOString();
  const serverName = formatModuleId(ref);
  return ctx.store.db.transaction().execute(async (trx) => {
    const row = await getRelease(trx, serverName, ref.version);
    if (!row) throw new WardenError('WARDEN_E_MARKET_NOT_FOUND', `${formatRef(ref)} is not in this market.`, { where: 'ref' });
    if (row.status !== 'held') throw new WardenError('WARDEN_E_MARKET_STATUS', `${formatRef(ref)} is ${row.status}, not held for review.`, { where: 'ref' });
    const head = await lockHead(trx, ctx.store.dialect);
    const logIndex = head.seq + 1;
    let updated: ReleaseRow;
    if (decision === 'approve') {
      const steps = JSON.parse(row.pipeline_json) as StepResult[];
      const scan = steps.find((s) => s.step === 'scan');
      const naming = steps.find((s) => s.step === 'name-policy');
      const predicate: ReleasePredicate = {
        ref: formatRef(ref),
        publisherKeyid: row.publisher_keyid,
        scan: scan?.outcome === 'pass' ? { status: 'ran', summary: (scan.details?.summary ?? {}) as Record<string, number> } : { status: 'not-run' },
        naming: naming && naming.outcome !== 'not-run' ? { status: 'ran', verdict: String((naming.details as { verdict?: string } | undefined)?.verdict ?? 'review') } : { status: 'not-run' },
        rating: row.rating,
        score: row.score,
        status: 'accepted',
        logIndex,
        time: now,
      };
      const countersigJson = JSON.stringify(countersign(formatRef(ref), { sha256: row.sha256, sha512: row.sha512 }, predicate, ctx.marketKey));
      updated = { ...row, status: 'active', status_reason: `approved: ${reason}`.slice(0, 500), status_changed_at: now, updated_at: now, countersig_json: countersigJson, log_index: logIndex };
      await trx.updateTable('releases').set({ status: updated.status, status_reason: updated.status_reason, status_changed_at: now, updated_at: now, countersig_json: countersigJson, log_index: logIndex }).where('id', '=', row.id).execute();
    } else {
      updated = { ...row, status: 'rejected', status_reason: `rejected: ${reason}`.slice(0, 500), status_changed_at: now, updated_at: now, log_index: logIndex };
      await trx.updateTable('releases').set({ status: 'rejected', status_reason: updated.status_reason, status_changed_at: now, updated_at: now, log_index: logIndex }).where('id', '=', row.id).execute();
    }
    await writeAudit(trx, linkEntry(head, { time: now, actor: actorOf(by), action: decision === 'approve' ? 'release.approve' : 'release.reject', payload: { ...releaseAuditPayload(updated), reason } }));
    await refreshLatest(trx, serverName, now);
    return updated;
  });
}

export async function listHeld(ctx: MarketContext, by: Principal) {
  requireRole(by, ['admin', 'reviewer'], 'list held releases');
  const rows = await ctx.store.db.selectFrom('releases').selectAll().where('status', '=', 'held').orderBy('id').limit(500).execute();
  return rows.map((r) => ({ ref: `${r.server_name}@${r.version}`, sha256: r.sha256, heldAt: r.published_at, reasons: r.status_reason, steps: JSON.parse(r.pipeline_json) as StepResult[] }));
}
