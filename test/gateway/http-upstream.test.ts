import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SseParser } from '../../src/gateway/upstream/http-transport.js';
import { baseConfig, connectClient, startEverythingHttp, startGateway, tempDir } from './helpers.js';
import type { GatewayServer } from '../../src/gateway/http/server.js';

describe('SSE parser', () => {
  it('splits events across chunk boundaries, joins multi-line data, skips empty priming events, keeps the last id', () => {
    const p = new SseParser();
    const got: string[] = [];
    p.push('id: e1\ndata: \n\nid: e2\nevent: message\ndata: {"a":', (d) => got.push(d));
    expect(got).toEqual([]);
    p.push('1}\n\ndata: line1\r\ndata: line2\r\n\r\n', (d) => got.push(d));
    expect(got).toEqual(['{"a":1}', 'line1\nline2']);
    expect(p.lastEventId).toBe('e2');
  });
});

describe('gateway e2e: Streamable HTTP upstream', () => {
  const t = tempDir();
  let up: Awaited<ReturnType<typeof startEverythingHttp>>;
  let gw: GatewayServer;
  beforeAll(async () => {
    up = await startEverythingHttp();
    gw = await startGateway(
      baseConfig(t.dir, {
        servers: { remote: { transport: 'streamable-http', url: up.url } },
        policy: { rules: [{ id: 'r', servers: ['remote'], allowTools: ['echo', 'trigger-long-running-operation', 'get-sum'] }] },
      }),
    );
  });
  afterAll(async () => {
    await gw?.close();
    await up?.stop();
    t.cleanup();
  });

  it('relays calls, listing (filtered), progress and concurrent calls over the upstream session', async () => {
    const { key } = gw.gateway.auth.apiKeys!.create({ principal: 'alice' });
    const c = await connectClient(`${gw.url}/mcp/remote`, key);
    expect((await c.listTools()).tools.map((x) => x.name).sort()).toEqual(['echo', 'get-sum', 'trigger-long-running-operation']);
    const progress: number[] = [];
    await c.callTool({ name: 'trigger-long-running-operation', arguments: { duration: 1, steps: 3 } }, undefined, { onprogress: (p) => progress.push(p.progress) });
    expect(progress).toEqual([1, 2, 3]);
    const sums = await Promise.all(Array.from({ length: 20 }, (_, i) => c.callTool({ name: 'get-sum', arguments: { a: i, b: 1 } })));
    expect(sums.map((r) => (r.content as Array<{ text: string }>)[0]!.text)).toEqual(Array.from({ length: 20 }, (_, i) => `The sum of ${i} and 1 is ${i + 1}.`));
    await c.close();
  });
});
