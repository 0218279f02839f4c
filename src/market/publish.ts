import { WardenError, isWardenError } from '../core/errors.js';
import { digestBytes, sha256Hex } from '../core/digest.js';
import { parseEnvelope } from '../core/dsse.js';
import { readArtifactManifest } from '../core/artifact-manifest.js';
import { manifestRef } from '../core/manifest.js';
import { formatModuleId, formatRef } from '../core/ref.js';
import type { MarketContext } from './context.js';
import type { Decision, Principal, PublishFacts, StepResult } from './pipeline/types.js';
import { runPublishPipeline } from './pipeline/run.js';
import { checkName } from './orgs.js';
import { actorOf } from './auth.js';
import { getRelease, lockHead, refreshLatest, writeAudit, type ReleaseRow } from './store/repo.js';
import { linkEntry } from './trust/audit-chain.js';
import { countersign, type ReleasePredicate } from '../core/countersignature.js';

export interface PublishInput {
  artifact: Buffer;
  /** The DSSE envelope as sent (object or JSON text). */
  envelope: unknown;
}

export interface PublishOutcome {
  decision: Decision;
  ref: string | undefined;
  steps: StepResult[];
  reasons: StepResult[];
  release: ReleaseRow | undefined;
}

function asWardenError(err: unknown, fallback: string): WardenError {
  return isWardenError(err) ? err : new WardenError('WARDEN_E_MANIFEST_INVALID', `${fallback}: ${(err as Error)?.message ?? String(err)}`, { cause: err });
}

/** Release payload recorded in the audit log; it binds the row, the blob and the countersignature. */
export function releaseAuditPayload(row: Pick<ReleaseRow, 'server_name' | 'version' | 'sha256' | 'sha512' | 'size' | 'publisher_keyid' | 'status' | 'rating' | 'envelope_json' | 'countersig_json'>) {
  return {
    ref: `${row.server_name}@${row.version}`,
    sha256: row.sha256,
    sha512: row.sha512,
    size: Number(row.size),
    publisherKeyid: row.publisher_keyid,
    status: row.status,
    rating: row.rating,
    envelopeSha256: sha256Hex(row.envelope_json),
    countersigSha256: row.countersig_json === null ? null : sha256Hex(row.countersig_json),
  };
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } };
  const code = e?.code ?? e?.cause?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * Publishes one artifact: gather facts → run the checks → (accepted or held) write the blob
 * durably, then in ONE transaction the server row, the release row, the countersignature (which
 * names its audit log index) and the audit entry. Rejections store nothing.
 */
export async function publish(ctx: MarketContext, principal: Principal, input: PublishInput): Promise<PublishOutcome> {
  const digests = digestBytes(input.artifact);
  let manifest: PublishFacts['manifest'];
  try {
    const m = await readArtifactManifest(input.artifact, 'artifact');
    manifest = { ok: true, manifest: m.manifest, ref: manifestRef(m.manifest), bytes: m.bytes };
  } catch (err) {
    manifest = { ok: false, error: asWardenError(err, 'The artifact cannot be read') };
  }
  let envelope: PublishFacts['envelope'];
  try {
    const text = typeof input.envelope === 'string' ? input.envelope : JSON.stringify(input.envelope ?? null);
    envelope = { ok: true, envelope: parseEnvelope(text, 'envelope') };
  } catch (err) {
    envelope = { ok: false, error: asWardenError(err, 'The envelope cannot be read') };
  }
  let orgExists = false;
  let existing: PublishFacts['existing'];
  let orgKeys: PublishFacts['orgKeys'] = [];
  let naming: PublishFacts['naming'] = { status: 'not-run', reason: 'no name to check' };
  if (manifest.ok) {
    const { ref } = manifest;
    const db = ctx.store.db;
    const [org, prior, keys] = await Promise.all([
      db.selectFrom('orgs').select('name').where('name', '=', ref.org).executeTakeFirst(),
      getRelease(db, formatModuleId(ref), ref.version),
      db.selectFrom('org_keys').select(['keyid', 'public_key_pem', 'revoked_at']).where('org', '=', ref.org).execute(),
    ]);
    orgExists = Boolean(org);
    existing = prior ? { sha256: prior.sha256, status: prior.status } : undefined;
    orgKeys = keys.map((k) => ({ keyid: k.keyid, pem: k.public_key_pem, revoked: k.revoked_at !== null }));
    naming = await checkName(ctx, formatModuleId(ref), ref.org);
  }
  const facts = { principal, digests, manifest, envelope, orgExists, existing, orgKeys, naming };
  const result = await runPublishPipeline(facts, ctx.policy, () => ctx.scanner.run(input.artifact, manifest.ok ? formatRef(manifest.ref) : 'artifact'));
  const ref = manifest.ok ? formatRef(manifest.ref) : undefined;
  const base = { ref, steps: result.steps, reasons: result.reasons };
  if (result.decision === 'rejected') return { ...base, decision: 'rejected', release: undefined };
  if (!manifest.ok || !envelope.ok || !result.verified) throw new WardenError('WARDEN_E_INTERNAL', 'pipeline accepted a release without a verified signature');
  const serverName = formatModuleId(manifest.ref);
  if (result.decision === 'idempotent') {
    return { ...base, decision: 'idempotent', release: await getRelease(ctx.store.db, serverName, manifest.ref.version) };
  }

  await ctx.blobs.put(digests.sha256, input.artifact);
  const held = result.decision === 'held';
  const scanReport = result.scan.status === 'ran' ? result.scan.report : undefined;
  const now = ctx.now().toISOString();
  const envelopeJson = JSON.stringify(envelope.envelope);
  try {
    const row = await ctx.store.db.transaction().execute(async (trx) => {
      await trx.insertInto('servers').values({ name: serverName, org: manifest.ref.org, latest_version: null, created_at: now, updated_at: now }).onConflict((oc) => oc.column('name').doNothing()).execute();
      const head = await lockHead(trx, ctx.store.dialect);
      const logIndex = head.seq + 1;
      const predicate: ReleasePredicate = {
        ref: ref!,
        publisherKeyid: result.verified!.keyid,
        scan: scanReport ? { status: 'ran', summary: scanReport.summary, findings: scanReport.findings } : { status: 'not-run' },
        naming: naming.status === 'ran' ? { status: 'ran', verdict: naming.verdict } : { status: 'not-run' },
        rating: scanReport?.rating ?? null,
        score: scanReport?.score ?? null,
        status: 'accepted',
        logIndex,
        time: now,
      };
      const countersigJson = held ? null : JSON.stringify(countersign(ref!, digests, predicate, ctx.marketKey));
      const values = {
        server_name: serverName,
        version: manifest.ref.version,
        org: manifest.ref.org,
        status: held ? 'held' : 'active',
        status_reason: held ? result.reasons.map((r) => r.code).join(', ').slice(0, 500) : null,
        status_changed_at: now,
        published_at: now,
        updated_at: now,
        sha256: digests.sha256,
        sha512: digests.sha512,
        size: digests.size,
        publisher_keyid: result.verified!.keyid,
        manifest_json: manifest.bytes.toString('utf8'),
        envelope_json: envelopeJson,
        countersig_json: countersigJson,
        pipeline_json: JSON.stringify(result.steps),
        rating: scanReport?.rating ?? null,
        score: scanReport?.score ?? null,
        log_index: logIndex,
      };
      const inserted = await trx.insertInto('releases').values(values).returningAll().executeTakeFirstOrThrow();
      const rec = linkEntry(head, { time: now, actor: actorOf(principal), action: held ? 'release.hold' : 'release.publish', payload: releaseAuditPayload(inserted) });
      await writeAudit(trx, rec);
      if (!held) await refreshLatest(trx, serverName, now);
      return inserted;
    });
    return { ...base, decision: result.decision, release: row };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    // A concurrent publish of the same version won the race: same bytes → idempotent, else refused.
    const winner = await getRelease(ctx.store.db, serverName, manifest.ref.version);
    if (winner && winner.sha256 === digests.sha256) return { ...base, decision: 'idempotent', release: winner };
    const reason: StepResult = { step: 'version-immutable', outcome: 'reject', code: 'WARDEN_E_MARKET_VERSION_EXISTS', message: `${ref} was published concurrently with different bytes; versions are immutable.` };
    return { ...base, steps: [...base.steps, reason], reasons: [reason], decision: 'rejected', release: undefined };
  }
}
