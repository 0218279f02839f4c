import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { WardenError } from '../../core/errors.js';
import type { MarketContext } from '../context.js';
import { authenticate } from '../auth.js';
import type { Principal } from '../pipeline/types.js';
import { installProblemHandlers, sendProblem } from './problem.js';
import { registerReadRoutes } from './routes-read.js';
import { registerAdminRoutes } from './routes-admin.js';
import { registerPublishRoutes } from './routes-publish.js';

export interface MarketHttpOptions {
  /** Largest artifact accepted by publish, in bytes (default 10 MiB). */
  maxArtifactBytes?: number;
  /** Requests per second per client address: reads (GET) and writes (everything else). 0 = off. */
  rateLimit?: { readPerSecond: number; writePerSecond: number };
  logger?: boolean | Record<string, unknown>;
}

import { DEFAULT_HTTP_OPTIONS } from './defaults.js';
export { DEFAULT_HTTP_OPTIONS };

/** Non-publish bodies are small JSON documents (keys, org names, status reasons). */
const SMALL_BODY_LIMIT = 64 * 1024;

declare module 'fastify' {
  interface FastifyRequest {
    wardenPrincipal?: Principal;
  }
}

/** Resolves the request's bearer token (only the Authorization header is read). */
export async function principalOf(ctx: MarketContext, req: FastifyRequest): Promise<Principal> {
  const h = req.headers.authorization;
  const m = typeof h === 'string' ? /^Bearer ([^\s]{1,200})$/.exec(h) : null;
  return authenticate(ctx, m?.[1]);
}

function limiter(perSecond: number): RateLimiterMemory | undefined {
  return perSecond > 0 ? new RateLimiterMemory({ points: perSecond, duration: 1 }) : undefined;
}

export async function buildMarketApp(ctx: MarketContext, options: MarketHttpOptions = {}): Promise<FastifyInstance> {
  const maxArtifactBytes = options.maxArtifactBytes ?? DEFAULT_HTTP_OPTIONS.maxArtifactBytes;
  const rate = options.rateLimit ?? DEFAULT_HTTP_OPTIONS.rateLimit;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: SMALL_BODY_LIMIT,
    routerOptions: { maxParamLength: 300 },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  });
  installProblemHandlers(app);
  const readLimiter = limiter(rate.readPerSecond);
  const writeLimiter = limiter(rate.writePerSecond);
  app.addHook('onRequest', async (req, reply) => {
    const l = req.method === 'GET' || req.method === 'HEAD' ? readLimiter : writeLimiter;
    if (!l) return;
    try {
      await l.consume(req.ip);
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) throw res;
      reply.header('Retry-After', String(Math.max(1, Math.ceil(res.msBeforeNext / 1000))));
      return sendProblem(reply, new WardenError('WARDEN_E_MARKET_RATE_LIMITED', `Too many requests from ${req.ip}; retry after ${Math.ceil(res.msBeforeNext / 1000)} s.`));
    }
  });
  app.get('/healthz', { schema: { response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] } } } }, async () => ({ ok: true }));
  registerReadRoutes(app, ctx);
  registerAdminRoutes(app, ctx);
  registerPublishRoutes(app, ctx, { maxArtifactBytes });
  return app;
}
