import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { baseConfig, connectClient, redisOrReason, startGateway, tempDir } from './helpers.js';
import type { GatewayServer } from '../../src/gateway/http/server.js';

const probe = await redisOrReason();
if (probe.reason) console.warn(`SKIP gateway Redis tests: ${probe.reason}`);

/** Sends one tools/call (echo) inside an existing session and returns the status and problem code. */
async function rawCall(url: string, key: string, sessionId: string, id: number): Promise<{ status: number; code?: string; retryAfter: string | null }> {
  const r = await fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-session-id': sessionId,
      'mcp-protocol-version': '2025-11-25',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'echo', arguments: { message: `m${id}` } } }),
  });
  const text = await r.text();
  const code = r.headers.get('content-type')?.includes('problem') ? (JSON.parse(text) as { code: string }).code : undefined;
  return { status: r.status, ...(code ? { code } : {}), retryAfter: r.headers.get('retry-after') };
}

describe.skipIf(!probe.redis)('gateway e2e: two instances sharing Redis', () => {
  const t = tempDir();
  const prefix = `warden:test:${randomUUID()}:`;
  let a: GatewayServer;
  let b: GatewayServer;
  const redis = probe.redis as Redis;

  beforeAll(async () => {
    const over = {
      redis: { url: 'redis://127.0.0.1:6379', keyPrefix: prefix },
      rateLimits: { perKey: { points: 8, durationSec: 2 } },
      anomaly: { blockSec: 30, deniedBurst: { count: 4, windowSec: 30, action: 'block' } },
    };
    // Same state folder (shared API keys and pins), separate audit files, one Redis.
    a = await startGateway(baseConfig(t.dir, { ...over, audit: { file: `${t.dir}/audit-a.log` } }));
    b = await startGateway(baseConfig(t.dir, { ...over, audit: { file: `${t.dir}/audit-b.log` } }));
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    t.cleanup();
  });

  it('a flood gets 429 with Retry-After, then a block that the other instance enforces too', async () => {
    const { key } = a.gateway.auth.apiKeys!.create({ principal: 'flooder' });
    const { key: other } = a.gateway.auth.apiKeys!.create({ principal: 'bystander' });
    const client = await connectClient(`${a.url}/mcp/everything`, key);
    const sid = (client.transport as { sessionId?: string }).sessionId!;
    const results = [];
    for (let i = 0; i < 20; i++) results.push(await rawCall(`${a.url}/mcp/everything`, key, sid, 100 + i));
    const statuses = results.map((r) => r.code ?? String(r.status));
    // The session's own initialize/notifications used some points; the rest of the flood:
    expect(statuses.filter((s) => s === '200').length).toBeGreaterThan(0);
    const limited = results.filter((r) => r.code === 'WARDEN_E_GW_RATE_LIMITED');
    expect(limited.length).toBe(4);
    expect(limited.every((r) => r.status === 429 && Number(r.retryAfter) >= 1)).toBe(true);
    // After 4 refusals the denied-burst detector blocks the key; later requests are blocked.
    const last = results[results.length - 1]!;
    expect(last).toMatchObject({ status: 403, code: 'WARDEN_E_GW_BLOCKED' });
    expect(Number(last.retryAfter)).toBeGreaterThan(20);
    // Instance B refuses the key too, even a fresh session, though its own limiter saw nothing.
    await new Promise((r) => setTimeout(r, 2100)); // the 2-second rate window has passed
    const onB = await fetch(`${b.url}/mcp/everything`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '1' } } }),
    });
    expect(onB.status).toBe(403);
    expect(((await onB.json()) as { code: string }).code).toBe('WARDEN_E_GW_BLOCKED');
    // Another key is unaffected on B.
    const c2 = await connectClient(`${b.url}/mcp/everything`, other);
    expect((await c2.callTool({ name: 'echo', arguments: { message: 'fine' } })).content).toEqual([{ type: 'text', text: 'Echo: fine' }]);
    await c2.close();
    await client.close().catch(() => {});
  });
});

describe('gateway rate limits without Redis', () => {
  it('keeps limiting with the in-memory insurance limiter when Redis is unreachable', async () => {
    const t = tempDir();
    const gw = await startGateway(baseConfig(t.dir, { redis: { url: 'redis://127.0.0.1:1', keyPrefix: 'x:' }, rateLimits: { perKey: { points: 6, durationSec: 60 } } }));
    try {
      const { key } = gw.gateway.auth.apiKeys!.create({ principal: 'p' });
      const client = await connectClient(`${gw.url}/mcp/everything`, key);
      const sid = (client.transport as { sessionId?: string }).sessionId!;
      const codes = [];
      for (let i = 0; i < 8; i++) codes.push((await rawCall(`${gw.url}/mcp/everything`, key, sid, i)).status);
      expect(codes).toContain(200);
      expect(codes).toContain(429);
      await client.close().catch(() => {});
    } finally {
      await gw.close();
      t.cleanup();
    }
  });
});
