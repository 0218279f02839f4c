import type { FastifyInstance } from 'fastify';
import { parseModuleId, validateVersion } from '../../core/ref.js';
import type { MarketContext } from '../context.js';
import { createToken, revokeToken, MAX_TOKEN_DAYS } from '../auth.js';
import { addOrgKey, createOrg, listOrgKeys, revokeOrgKey } from '../orgs.js';
import { decideHeld, listHeld, setStatus, SETTABLE_STATUSES, type SettableStatus } from '../status.js';
import { ROLES, type Role } from '../trust/tokens.js';
import { principalOf } from './app.js';
import { serverResponse } from './registry-view.js';
import { getServer } from '../store/repo.js';
import { S, looseObject } from './schemas.js';

function refOf(serverName: string, version: string) {
  const id = parseModuleId(serverName, 'serverName');
  validateVersion(version, 'version');
  return { ...id, version };
}

export function registerAdminRoutes(app: FastifyInstance, ctx: MarketContext): void {
  app.post<{ Body: { name: string; allowSimilar?: boolean } }>(
    '/warden/v1/orgs',
    { schema: { body: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: S.org, allowSimilar: { type: 'boolean' } } }, response: { 201: looseObject } } },
    async (req, reply) => {
      const p = await principalOf(ctx, req);
      const r = await createOrg(ctx, p, req.body.name, { allowSimilar: req.body.allowSimilar ?? false });
      return reply.code(201).send({ ok: true, org: r.name, naming: r.naming });
    },
  );

  app.get<{ Params: { org: string } }>(
    '/warden/v1/orgs/:org/keys',
    { schema: { params: { type: 'object', properties: { org: S.org } }, response: { 200: looseObject } } },
    async (req) => ({ org: req.params.org, keys: await listOrgKeys(ctx, req.params.org) }),
  );

  app.post<{ Params: { org: string }; Body: { publicKeyPem: string } }>(
    '/warden/v1/orgs/:org/keys',
    { schema: { params: { type: 'object', properties: { org: S.org } }, body: { type: 'object', required: ['publicKeyPem'], additionalProperties: false, properties: { publicKeyPem: { type: 'string', minLength: 1, maxLength: 4096 } } }, response: { 201: looseObject } } },
    async (req, reply) => {
      const p = await principalOf(ctx, req);
      const r = await addOrgKey(ctx, p, req.params.org, req.body.publicKeyPem);
      return reply.code(201).send({ ok: true, org: req.params.org, keyid: r.keyid });
    },
  );

  app.post<{ Params: { org: string; keyid: string } }>(
    '/warden/v1/orgs/:org/keys/:keyid/revoke',
    { schema: { params: { type: 'object', properties: { org: S.org, keyid: S.keyid } }, response: { 200: looseObject } } },
    async (req) => {
      const p = await principalOf(ctx, req);
      await revokeOrgKey(ctx, p, req.params.org, req.params.keyid);
      return { ok: true, org: req.params.org, keyid: req.params.keyid, revoked: true };
    },
  );

  app.post<{ Body: { role: Role; org?: string; expiresInDays?: number; description?: string } }>(
    '/warden/v1/tokens',
    {
      schema: {
        body: {
          type: 'object',
          required: ['role'],
          additionalProperties: false,
          properties: { role: { type: 'string', enum: [...ROLES] }, org: S.org, expiresInDays: { type: 'integer', minimum: 0, maximum: MAX_TOKEN_DAYS }, description: { type: 'string', maxLength: 200 } },
        },
        response: { 201: looseObject },
      },
    },
    async (req, reply) => {
      const p = await principalOf(ctx, req);
      const t = await createToken(ctx, p, { role: req.body.role, org: req.body.org, description: req.body.description, expiresInDays: req.body.expiresInDays ?? 90 });
      return reply.code(201).header('Cache-Control', 'no-store').send({ ok: true, ...t });
    },
  );

  app.post<{ Params: { id: string } }>(
    '/warden/v1/tokens/:id/revoke',
    { schema: { params: { type: 'object', properties: { id: S.tokenId } }, response: { 200: looseObject } } },
    async (req) => {
      const p = await principalOf(ctx, req);
      await revokeToken(ctx, p, req.params.id);
      return { ok: true, id: req.params.id, revoked: true };
    },
  );

  app.post<{ Params: { serverName: string; version: string }; Body: { status: SettableStatus; reason: string } }>(
    '/warden/v1/servers/:serverName/versions/:version/status',
    {
      schema: {
        params: { type: 'object', properties: { serverName: S.serverName, version: S.version } },
        body: { type: 'object', required: ['status', 'reason'], additionalProperties: false, properties: { status: { type: 'string', enum: [...SETTABLE_STATUSES] }, reason: S.reason } },
        response: { 200: looseObject },
      },
    },
    async (req) => {
      const p = await principalOf(ctx, req);
      const row = await setStatus(ctx, p, refOf(req.params.serverName, req.params.version), req.body.status, req.body.reason);
      const server = await getServer(ctx.store.db, row.server_name);
      return serverResponse(row, server?.latest_version ?? null, ctx.marketKey.keyid);
    },
  );

  app.get('/warden/v1/review', { schema: { response: { 200: looseObject } } }, async (req) => ({ held: await listHeld(ctx, await principalOf(ctx, req)) }));

  app.post<{ Params: { serverName: string; version: string }; Body: { decision: 'approve' | 'reject'; reason: string } }>(
    '/warden/v1/review/:serverName/:version',
    {
      schema: {
        params: { type: 'object', properties: { serverName: S.serverName, version: S.version } },
        body: { type: 'object', required: ['decision', 'reason'], additionalProperties: false, properties: { decision: { type: 'string', enum: ['approve', 'reject'] }, reason: S.reason } },
        response: { 200: looseObject },
      },
    },
    async (req) => {
      const p = await principalOf(ctx, req);
      const row = await decideHeld(ctx, p, refOf(req.params.serverName, req.params.version), req.body.decision, req.body.reason);
      return { ok: true, ref: `${row.server_name}@${row.version}`, status: row.status };
    },
  );
}
