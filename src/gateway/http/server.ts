import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';
import { errorCodes, type WardenErrorCode } from '../../core/errors.js';
import { constantTimeEqual } from '../../core/secure-compare.js';
import type { Principal } from '../auth/principal.js';
import { Gateway, RPC_FORBIDDEN, type Refusal } from '../gateway.js';
import type { Session } from '../session.js';

/**
 * The gateway's HTTP front on fastify: the MCP Streamable HTTP endpoint `/mcp/<server>` (POST,
 * GET, DELETE; the SDK's server transport handles sessions, SSE, Last-Event-ID and protocol
 * versions after the gateway's checks pass), RFC 9728 protected-resource metadata, /metrics and
 * /healthz. fastify gives body limits, JSON parsing with prototype-poisoning protection, TLS
 * options and `inject()` for tests; the MCP route hijacks the reply and hands the raw socket to
 * the SDK transport so SSE streams flow unbuffered.
 *
 * Order of checks for an MCP request: server exists → Origin → credential only in the header →
 * authentication → block → session ownership → message shape → rate limits → policy and pins.
 */

type Msg = Record<string, unknown> & { id?: string | number; method?: string; params?: Record<string, unknown> };

function problem(reply: FastifyReply, code: WardenErrorCode, detail: string, headers: Record<string, string> = {}, statusOverride?: number): FastifyReply {
  const status = statusOverride ?? (errorCodes[code] as { http?: number }).http ?? 400;
  for (const [k, v] of Object.entries(headers)) reply.header(k, v);
  return reply
    .code(status)
    .type('application/problem+json')
    .send({ type: `urn:warden:error:${code}`, title: errorCodes[code].summary.split('.')[0], status, detail, code });
}

function quote(s: string): string {
  return '"' + s.replace(/["\\]/g, '') + '"';
}

export interface GatewayServer {
  app: FastifyInstance;
  gateway: Gateway;
  /** Base URL the server actually listens on (http(s)://host:port). */
  url: string;
  close(): Promise<void>;
}

export function buildApp(gw: Gateway): FastifyInstance {
  const cfg = gw.cfg;
  const tls = cfg.tls
    ? { key: readFileSync(cfg.tls.key), cert: readFileSync(cfg.tls.cert), ...(cfg.tls.ca ? { ca: readFileSync(cfg.tls.ca) } : {}), minVersion: 'TLSv1.3' as const, maxVersion: 'TLSv1.3' as const }
    : undefined;
  const app = Fastify({
    logger: false,
    bodyLimit: cfg.limits.maxBodyBytes,
    ...(tls ? { https: tls } : {}),
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
    forceCloseConnections: true,
  }) as unknown as FastifyInstance;

  const metadataUrl = (server: string): string => `${cfg.publicUrl}/.well-known/oauth-protected-resource/mcp/${server}`;
  const prm = (resource: string, name: string) => ({
    resource,
    authorization_servers: cfg.auth.authorizationServers,
    bearer_methods_supported: ['header'],
    scopes_supported: cfg.auth.jwt?.requiredScopes ?? [],
    resource_name: name,
  });
  app.get('/.well-known/oauth-protected-resource', async () => prm(cfg.publicUrl, 'Warden MCP gateway'));
  app.get<{ Params: { server: string } }>('/.well-known/oauth-protected-resource/mcp/:server', async (req, reply) => {
    if (!cfg.servers[req.params.server]) return problem(reply, 'WARDEN_E_GW_UNKNOWN_SERVER', `No server ${req.params.server}.`);
    return prm(gw.auth.resourceUrl(req.params.server), `Warden MCP gateway: ${req.params.server}`);
  });
  app.get('/healthz', async () => ({ ok: true, sessions: gw.sessions.size }));
  if (cfg.metrics.enabled) {
    app.get('/metrics', async (req, reply) => {
      if (cfg.metrics.token && !constantTimeEqual(req.headers.authorization ?? '', `Bearer ${cfg.metrics.token}`)) {
        return problem(reply, 'WARDEN_E_GW_UNAUTHENTICATED', 'The metrics endpoint needs its bearer token.');
      }
      reply.type(gw.metrics.registry.contentType);
      return gw.metrics.registry.metrics();
    });
  }

  const challenge = (server: string, error?: string, description?: string): string => {
    let v = `Bearer realm="warden", resource_metadata=${quote(metadataUrl(server))}`;
    if (error) v += `, error=${quote(error)}`;
    if (description) v += `, error_description=${quote(description)}`;
    if (error === 'insufficient_scope' && cfg.auth.jwt?.requiredScopes.length) v += `, scope=${quote(cfg.auth.jwt.requiredScopes.join(' '))}`;
    return v;
  };

  const refuseInSession = (reply: FastifyReply, s: Session | undefined, p: Principal, server: string, msg: Msg, r: Refusal, bytes: number): FastifyReply => {
    const tool = msg.method === 'tools/call' && typeof msg.params?.name === 'string' ? msg.params.name : undefined;
    gw.record({
      principal: p.id,
      key: p.key,
      tenant: p.tenant,
      server,
      method: String(msg.method ?? ''),
      ...(tool ? { tool } : {}),
      decision: 'deny',
      reason: r.reason,
      code: r.code,
      requestBytes: bytes,
      ...(s?.id ? { session: s.id } : {}),
      ...(gw.audit.includePayloads && tool ? { arguments: msg.params?.arguments } : {}),
    });
    if (tool) gw.metrics.calls.inc({ server, tool, decision: 'deny' });
    void gw.observe(p, 'denied');
    return reply.code(200).type('application/json').send({ jsonrpc: '2.0', id: msg.id ?? null, error: { code: RPC_FORBIDDEN, message: `${r.code}: ${r.reason}`, data: { code: r.code } } });
  };

  const handle = async (req: FastifyRequest<{ Params: { server: string } }>, reply: FastifyReply): Promise<unknown> => {
    const server = req.params.server;
    if (!Object.hasOwn(cfg.servers, server)) return problem(reply, 'WARDEN_E_GW_UNKNOWN_SERVER', `No server named ${server} is configured.`);
    const origin = req.headers.origin;
    if (origin !== undefined && !cfg.allowedOrigins.includes(origin)) return problem(reply, 'WARDEN_E_GW_ORIGIN', `Origin ${origin} is not allowed.`);
    if (/[?&]access_token=/.test(req.url)) {
      gw.metrics.authFailures.inc({ reason: 'token in query' });
      return problem(reply, 'WARDEN_E_GW_UNAUTHENTICATED', 'Tokens are accepted only in the Authorization header, never in the URL.', {
        'WWW-Authenticate': challenge(server, 'invalid_request', 'token in query string'),
      });
    }
    const a = await gw.auth.authenticate(req.headers.authorization, server);
    if (!a.ok) {
      gw.metrics.authFailures.inc({ reason: a.reason });
      const code: WardenErrorCode = a.status === 403 ? 'WARDEN_E_GW_FORBIDDEN' : a.error ? 'WARDEN_E_GW_TOKEN_INVALID' : 'WARDEN_E_GW_UNAUTHENTICATED';
      return problem(reply, code, `Authentication failed: ${a.reason}.`, { 'WWW-Authenticate': challenge(server, a.error, a.error ? a.reason : undefined) }, a.status);
    }
    const p = a.principal;
    const state = await gw.limits.state(p.key);
    if (state?.kind === 'block') {
      return problem(reply, 'WARDEN_E_GW_BLOCKED', `Key ${p.key} is blocked after anomalous use.`, { 'Retry-After': String(Math.max(1, Math.ceil(state.msLeft / 1000))) });
    }

    const sid = req.headers['mcp-session-id'];
    let session: Session | undefined;
    if (typeof sid === 'string') {
      session = gw.sessions.get(sid);
      // A session belongs to the credential that opened it: another key cannot ride on its id.
      if (!session || session.server !== server || session.principal.key !== p.key) return problem(reply, 'WARDEN_E_GW_SESSION', 'Unknown or expired session; send initialize again.');
    }

    if (req.method !== 'POST') {
      if (!session) return problem(reply, 'WARDEN_E_GW_SESSION', 'GET and DELETE need an Mcp-Session-Id.');
      const lim = await gw.limits.consume(p.key, p.tenant, undefined, state?.kind === 'throttle');
      if (!lim.ok) return limited(reply, p, lim.retryAfterMs, lim.scope);
      reply.hijack();
      await session.front.handleRequest(req.raw, reply.raw);
      return reply;
    }

    const body = req.body as unknown;
    if (Array.isArray(body)) return problem(reply, 'WARDEN_E_GW_BAD_MESSAGE', 'JSON-RPC batches are not accepted; send one message per POST.');
    if (body === null || typeof body !== 'object' || (body as Msg).jsonrpc !== '2.0') return problem(reply, 'WARDEN_E_GW_BAD_MESSAGE', 'The body must be one JSON-RPC 2.0 message.');
    const msg = body as Msg;
    const isRequest = typeof msg.method === 'string' && msg.id !== undefined && msg.id !== null;
    if (isRequest && typeof msg.id === 'string' && msg.id.startsWith('warden-')) return problem(reply, 'WARDEN_E_GW_BAD_MESSAGE', 'Request ids starting with "warden-" are reserved for the gateway.');
    const tool = isRequest && msg.method === 'tools/call' && typeof msg.params?.name === 'string' ? msg.params.name : undefined;
    const bytes = Number(req.headers['content-length'] ?? 0);

    const lim = await gw.limits.consume(p.key, p.tenant, tool, state?.kind === 'throttle');
    if (!lim.ok) {
      gw.record({ principal: p.id, key: p.key, tenant: p.tenant, server, method: String(msg.method ?? 'response'), ...(tool ? { tool } : {}), decision: 'deny', reason: `rate limit (${lim.scope})`, code: 'WARDEN_E_GW_RATE_LIMITED', requestBytes: bytes });
      void gw.observe(p, 'denied');
      return limited(reply, p, lim.retryAfterMs, lim.scope);
    }

    if (!session) {
      if (msg.method !== 'initialize' || !isRequest) return problem(reply, 'WARDEN_E_GW_SESSION', 'No Mcp-Session-Id: the first request must be initialize.');
      const d = gw.policy.server(p, server, gw.now());
      if (!d.allow) {
        gw.record({ principal: p.id, key: p.key, tenant: p.tenant, server, method: 'initialize', decision: 'deny', reason: d.reason, code: d.code, requestBytes: bytes });
        void gw.observe(p, 'denied');
        return problem(reply, d.code, d.reason);
      }
      try {
        session = await gw.openSession(server, p);
      } catch (err) {
        const e = err as { code?: WardenErrorCode; message: string };
        gw.log.error({ server, err: e.message }, 'cannot open upstream session');
        return problem(reply, e.code && e.code in errorCodes ? e.code : 'WARDEN_E_GW_UPSTREAM', e.message);
      }
      gw.record({ principal: p.id, key: p.key, tenant: p.tenant, server, method: 'initialize', decision: 'allow', requestBytes: bytes });
    } else if (isRequest) {
      let refusal: Refusal | undefined;
      try {
        refusal = await gw.decide(session, msg);
      } catch (err) {
        return reply.code(200).type('application/json').send({ jsonrpc: '2.0', id: msg.id, error: { code: -32603, message: (err as Error).message } });
      }
      if (refusal) return refuseInSession(reply, session, p, server, msg, refusal, bytes);
    }
    const call = isRequest ? { id: msg.id!, method: msg.method!, ...(tool ? { tool } : {}), args: tool ? msg.params?.arguments : msg.params, start: Date.now(), requestBytes: bytes } : undefined;
    if (call) void gw.observe(p, 'allowed', tool);

    // Fast path: inside an established session, a request that asked for no progress is answered
    // with one application/json response (allowed by the Streamable HTTP spec), and notifications
    // and responses with 202, without the SDK transport's per-request SSE stream. initialize and
    // requests with a progress token take the SDK path below.
    const progressToken = (msg.params?._meta as Record<string, unknown> | undefined)?.progressToken;
    if (msg.method !== 'initialize' && typeof sid === 'string' && progressToken === undefined) {
      const pv = req.headers['mcp-protocol-version'];
      if (typeof pv === 'string' && !SUPPORTED_PROTOCOL_VERSIONS.includes(pv)) {
        return problem(reply, 'WARDEN_E_GW_BAD_MESSAGE', `Unsupported MCP-Protocol-Version ${pv}.`);
      }
      const s = session;
      if (!call) {
        s.forward(msg);
        return reply.code(202).send();
      }
      return new Promise<FastifyReply>((resolve) => {
        s.expect({ ...call, respond: (out) => resolve(reply.code(200).type('application/json').send(out)) });
        s.forward(msg);
      });
    }
    if (call) session.expect(call);
    reply.hijack();
    await session.front.handleRequest(req.raw, reply.raw, msg);
    return reply;
  };

  const limited = (reply: FastifyReply, p: Principal, retryAfterMs: number, scope: string): FastifyReply => {
    gw.metrics.rateLimited.inc({ scope });
    return problem(reply, 'WARDEN_E_GW_RATE_LIMITED', `Rate limit (${scope}) exceeded for ${p.key}.`, { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) });
  };

  app.route<{ Params: { server: string } }>({ method: ['POST', 'GET', 'DELETE'], url: '/mcp/:server', handler: handle });
  app.addHook('onResponse', async (req, reply) => {
    gw.metrics.requests.inc({ method: req.method, status: String(reply.statusCode) });
  });
  return app;
}

/** Builds the gateway and its HTTP front and starts listening. */
export async function startGatewayServer(gw: Gateway): Promise<GatewayServer> {
  const app = buildApp(gw);
  await app.listen({ host: gw.cfg.listen.host, port: gw.cfg.listen.port });
  const addr = app.server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `${gw.cfg.tls ? 'https' : 'http'}://${host}:${addr.port}`;
  return {
    app,
    gateway: gw,
    url,
    async close() {
      await gw.close();
      await app.close();
    },
  };
}
