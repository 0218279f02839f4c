import type { FastifyInstance, FastifyReply } from 'fastify';
import { WardenError } from '../../core/errors.js';
import { formatModuleId, parseModuleId, validateVersion } from '../../core/ref.js';
import { signReleaseState } from '../../core/release-state.js';
import type { MarketContext } from '../context.js';
import { auditHead, listReleases, listVersions, readAudit, readRelease, LISTED_STATUSES, DELETED_STATUSES, type ReleaseRow } from '../store/repo.js';
import { checkName } from '../orgs.js';
import { serverResponse } from './registry-view.js';
import { principalOf } from './app.js';
import { S, looseObject } from './schemas.js';

const includeDeleted = { type: 'boolean', default: false } as const;

function notFound(what: string): WardenError {
  return new WardenError('WARDEN_E_MARKET_NOT_FOUND', `${what} not found in this market.`);
}

function visible(row: ReleaseRow | undefined, withDeleted: boolean): row is ReleaseRow {
  if (!row) return false;
  return (LISTED_STATUSES as string[]).includes(row.status) || (withDeleted && (DELETED_STATUSES as string[]).includes(row.status));
}

function encodeCursor(id: number): string {
  return Buffer.from(`r:${id}`).toString('base64url');
}

function decodeCursor(cursor: string | undefined): number {
  if (!cursor) return 0;
  const m = /^r:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw new WardenError('WARDEN_E_USAGE', 'The cursor is not one this market issued; use metadata.nextCursor as given.', { where: 'cursor' });
  return Number(m[1]);
}

function serverNameOf(params: { serverName?: string; org?: string; name?: string }): string {
  const raw = params.serverName ?? `${params.org}/${params.name}`;
  try {
    return formatModuleId(parseModuleId(raw, 'serverName'));
  } catch {
    throw notFound(`Server "${raw.slice(0, 130)}"`);
  }
}

export function registerReadRoutes(app: FastifyInstance, ctx: MarketContext): void {
  const marketKeyid = ctx.marketKey.keyid;

  app.get<{ Querystring: { cursor?: string; limit: number; search?: string; updated_since?: string; version?: string; include_deleted: boolean } }>(
    '/v0.1/servers',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            cursor: { type: 'string', maxLength: 64 },
            limit: { type: 'integer', minimum: 1, maximum: 100, default: 30 },
            search: { type: 'string', maxLength: 130 },
            updated_since: { type: 'string', format: 'date-time', maxLength: 40 },
            version: S.version,
            include_deleted: includeDeleted,
          },
        },
        response: { 200: looseObject },
      },
    },
    async (req) => {
      const q = req.query;
      const updatedSince = q.updated_since ? new Date(q.updated_since).toISOString() : undefined;
      const rows = await listReleases(ctx.store.db, { afterId: decodeCursor(q.cursor), limit: q.limit, search: q.search, updatedSince, version: q.version, includeDeleted: q.include_deleted });
      const metadata: Record<string, unknown> = { count: rows.length };
      if (rows.length === q.limit) metadata.nextCursor = encodeCursor(Number(rows[rows.length - 1]!.id));
      return { servers: rows.map((r) => serverResponse(r, r.latest_version, marketKeyid)), metadata };
    },
  );

  const versionsHandler = async (req: { params: { serverName?: string; org?: string; name?: string }; query: { include_deleted: boolean } }) => {
    const name = serverNameOf(req.params);
    const rows = await listVersions(ctx.store.db, name, req.query.include_deleted);
    if (rows.length === 0) throw notFound(`Server "${name}"`);
    return { servers: rows.map((r) => serverResponse(r, r.latest_version, marketKeyid)), metadata: { count: rows.length } };
  };
  const qsDeleted = { type: 'object', additionalProperties: false, properties: { include_deleted: includeDeleted } } as const;
  app.get('/v0.1/servers/:serverName/versions', { schema: { params: { type: 'object', properties: { serverName: S.serverName } }, querystring: qsDeleted, response: { 200: looseObject } } }, versionsHandler as never);
  app.get('/v0.1/servers/:org/:name/versions', { schema: { params: { type: 'object', properties: { org: S.org, name: S.name } }, querystring: qsDeleted, response: { 200: looseObject } } }, versionsHandler as never);

  /** One release by name and version (`latest` resolves through the server row). */
  async function findRelease(params: { serverName?: string; org?: string; name?: string; version: string }, withDeleted: boolean) {
    const name = serverNameOf(params);
    const version = params.version;
    if (version !== 'latest') {
      try {
        validateVersion(version);
      } catch {
        throw notFound(`Version "${version.slice(0, 128)}" of ${name}`);
      }
    }
    const row = await readRelease(ctx.store, name, version);
    if (!visible(row, withDeleted)) throw notFound(`${name}@${version}`);
    return row as ReleaseRow & { latest_version: string | null };
  }

  // Serialized responses keyed by everything they depend on (row id, its update time, the
  // server's latest version): a hit skips JSON parse/serialize, a change makes a new key.
  const rendered = new Map<string, string>();
  const versionHandler = async (req: { params: { serverName?: string; org?: string; name?: string; version: string }; query: { include_deleted: boolean } }, reply: FastifyReply) => {
    const row = await findRelease(req.params, req.query.include_deleted);
    const key = `${row.id}|${row.updated_at}|${row.latest_version}`;
    let body = rendered.get(key);
    if (body === undefined) {
      body = JSON.stringify(serverResponse(row, row.latest_version, marketKeyid));
      if (rendered.size >= 5000) rendered.clear();
      rendered.set(key, body);
    }
    return reply.type('application/json; charset=utf-8').send(body);
  };
  app.get('/v0.1/servers/:serverName/versions/:version', { schema: { params: { type: 'object', properties: { serverName: S.serverName, version: S.version } }, querystring: qsDeleted, response: { 200: looseObject } } }, versionHandler as never);
  app.get('/v0.1/servers/:org/:name/versions/:version', { schema: { params: { type: 'object', properties: { org: S.org, name: S.name, version: S.version } }, querystring: qsDeleted, response: { 200: looseObject } } }, versionHandler as never);

  app.get('/warden/v1/market-key', { schema: { response: { 200: { type: 'object', required: ['keyid', 'publicKeyPem'], properties: { keyid: { type: 'string' }, publicKeyPem: { type: 'string' } } } } } }, async () => ({
    keyid: ctx.marketKey.keyid,
    publicKeyPem: ctx.marketKey.publicKey.pem,
  }));

  /** Envelopes of a release; yanked ones stay readable (pinned installs), taken-down ones do not. */
  const envelopeRoute = (kind: 'envelope' | 'countersignature') =>
    app.get<{ Params: { serverName: string; version: string } }>(
      `/warden/v1/servers/:serverName/versions/:version/${kind}`,
      { schema: { params: { type: 'object', properties: { serverName: S.serverName, version: S.version } }, response: { 200: looseObject } } },
      async (req, reply) => {
        const row = await findRelease(req.params, true);
        if (row.status === 'taken-down') throw new WardenError('WARDEN_E_MARKET_TAKEN_DOWN', `${row.server_name}@${row.version} was taken down: ${row.status_reason ?? ''}`);
        const json = kind === 'envelope' ? row.envelope_json : row.countersig_json;
        if (!json) throw notFound(`Countersignature of ${row.server_name}@${row.version}`);
        return reply.type('application/json').send(json);
      },
    );
  envelopeRoute('envelope');
  envelopeRoute('countersignature');

  /**
   * The release's mutable state, signed now with the market key (core/release-state.ts): status,
   * latest version and revoked publisher keys. Served for taken-down releases too, so an
   * installer behind a lying mirror still learns the truth. Never cached: its date is the point.
   */
  app.get<{ Params: { serverName: string; version: string } }>(
    '/warden/v1/servers/:serverName/versions/:version/state',
    { schema: { params: { type: 'object', properties: { serverName: S.serverName, version: S.version } }, response: { 200: looseObject } } },
    async (req, reply) => {
      const row = await findRelease(req.params, true);
      const { org } = parseModuleId(row.server_name, 'serverName');
      const revoked = await ctx.store.db.selectFrom('org_keys').select('keyid').where('org', '=', org).where('revoked_at', 'is not', null).execute();
      const envelope = signReleaseState(
        { ref: `${row.server_name}@${row.version}`, status: row.status, latestVersion: row.latest_version, revokedKeyids: revoked.map((k) => k.keyid).sort(), issuedAt: new Date().toISOString() },
        ctx.marketKey,
      );
      return reply.type('application/json').header('Cache-Control', 'no-store').send(JSON.stringify(envelope));
    },
  );

  app.get<{ Params: { digest: string } }>(
    '/warden/v1/artifacts/sha256/:digest',
    { schema: { params: { type: 'object', properties: { digest: S.sha256 } } } },
    async (req, reply: FastifyReply) => {
      const rows = await ctx.store.db.selectFrom('releases').select(['status', 'server_name', 'version']).where('sha256', '=', req.params.digest).execute();
      const served = rows.filter((r) => r.status !== 'held' && r.status !== 'rejected' && r.status !== 'taken-down');
      if (served.length === 0) {
        if (rows.some((r) => r.status === 'taken-down')) throw new WardenError('WARDEN_E_MARKET_TAKEN_DOWN', 'This artifact was taken down and is no longer served.');
        // Held artifacts are readable by reviewers, who have to look at them.
        const held = rows.some((r) => r.status === 'held');
        if (!held || !req.headers.authorization) throw notFound(`Artifact sha256:${req.params.digest.slice(0, 16)}…`);
        const p = await principalOf(ctx, req);
        if (p.role !== 'admin' && p.role !== 'reviewer') throw notFound(`Artifact sha256:${req.params.digest.slice(0, 16)}…`);
      }
      const bytes = await ctx.blobs.get(req.params.digest);
      if (!bytes) throw new WardenError('WARDEN_E_MARKET_STORE', 'The artifact row exists but its blob is missing; run `warden market audit verify`.');
      return reply.type('application/gzip').header('Cache-Control', 'public, max-age=31536000, immutable').header('ETag', `"sha256:${req.params.digest}"`).send(bytes);
    },
  );

  /** `warden name check --market`: the naming verdict for a would-be `org/name` (owner defaults to its org). */
  app.get<{ Querystring: { name: string; owner?: string } }>(
    '/warden/v1/names/check',
    { schema: { querystring: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: S.serverName, owner: S.org } }, response: { 200: looseObject } } },
    async (req) => {
      const id = parseModuleId(req.query.name, 'name');
      const r = await checkName(ctx, formatModuleId(id), req.query.owner ?? id.org);
      if (r.status !== 'ran') throw new WardenError('WARDEN_E_MARKET_STEP_UNAVAILABLE', `The naming engine did not run: ${r.reason}.`);
      const reasons = [...new Set(r.matches.flatMap((m) => ((m as { reasons?: string[] }).reasons ?? [])))];
      return { name: formatModuleId(id), verdict: r.verdict, matches: r.matches, reasons, explanation: r.explanation };
    },
  );

  app.get<{ Querystring: { after: number; limit: number } }>(
    '/warden/v1/audit',
    { schema: { querystring: { type: 'object', additionalProperties: false, properties: { after: { type: 'integer', minimum: 0, default: 0 }, limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } } }, response: { 200: looseObject } } },
    async (req) => ({ entries: await readAudit(ctx.store.db, req.query.after, req.query.limit), head: await auditHead(ctx.store.db) }),
  );
  app.get('/warden/v1/audit/head', { schema: { response: { 200: { type: 'object', properties: { seq: { type: 'integer' }, hash: { type: 'string' } } } } } }, async () => auditHead(ctx.store.db));
}
