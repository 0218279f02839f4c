import type { FastifyInstance } from 'fastify';
import { WardenError } from '../../core/errors.js';
import { ENVELOPE_LIMITS } from '../../core/dsse.js';
import type { MarketContext } from '../context.js';
import { publish } from '../publish.js';
import { getServer } from '../store/repo.js';
import { principalOf } from './app.js';
import { rejectionProblem } from './problem.js';
import { serverResponse } from './registry-view.js';
import { looseObject } from './schemas.js';

const BASE64 = '^[A-Za-z0-9+/]*={0,2}$';

/**
 * `POST /warden/v1/publish` with JSON `{artifact: <base64 .tgz>, envelope: <DSSE object>}`.
 * JSON keeps the request one self-describing document (no multipart parser); the base64 cost
 * (4/3) is covered by the body limit, which is derived from the artifact limit.
 */
export function registerPublishRoutes(app: FastifyInstance, ctx: MarketContext, opts: { maxArtifactBytes: number }): void {
  const maxB64 = Math.ceil(opts.maxArtifactBytes / 3) * 4;
  app.post<{ Body: { artifact: string; envelope: Record<string, unknown> } }>(
    '/warden/v1/publish',
    {
      bodyLimit: maxB64 + ENVELOPE_LIMITS.maxBytes + 1024,
      schema: {
        body: {
          type: 'object',
          required: ['artifact', 'envelope'],
          additionalProperties: false,
          properties: { artifact: { type: 'string', minLength: 1, maxLength: maxB64, pattern: BASE64 }, envelope: { type: 'object' } },
        },
        response: { 200: looseObject, 201: looseObject, 202: looseObject },
      },
    },
    async (req, reply) => {
      const principal = await principalOf(ctx, req);
      const artifact = Buffer.from(req.body.artifact, 'base64');
      if (artifact.length > opts.maxArtifactBytes) throw new WardenError('WARDEN_E_INPUT_TOO_LARGE', `The artifact is ${artifact.length} bytes; this market accepts at most ${opts.maxArtifactBytes}.`, { where: 'artifact' });
      const out = await publish(ctx, principal, { artifact, envelope: req.body.envelope });
      if (out.decision === 'rejected') throw rejectionProblem(out.ref, out.reasons, out.steps);
      const row = out.release!;
      const body = { ok: true, decision: out.decision, ref: out.ref, reasons: out.reasons, steps: out.steps };
      if (out.decision === 'held' || row.status === 'held') return reply.code(202).send({ ...body, status: 'held' });
      const server = await getServer(ctx.store.db, row.server_name);
      return reply.code(out.decision === 'accepted' ? 201 : 200).send({ ...body, release: serverResponse(row, server?.latest_version ?? null, ctx.marketKey.keyid) });
    },
  );
}
