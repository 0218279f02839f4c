import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseConfig, startGateway, tempDir } from './helpers.js';
import type { GatewayServer } from '../../src/gateway/http/server.js';

/** Reads SSE events from a fetch response until `stop` says so; returns them with their ids. */
async function readEvents(res: Response, stop: (events: Array<{ id?: string; data: string }>) => boolean) {
  const events: Array<{ id?: string; data: string }> = [];
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let buf = '';
  while (!stop(events)) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += dec.decode(value, { stream: true });
    let i: number;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const id = /^id: ?(.*)$/m.exec(block)?.[1];
      const data = [...block.matchAll(/^data: ?(.*)$/gm)].map((m) => m[1]).join('\n');
      events.push({ ...(id ? { id } : {}), data });
    }
  }
  await reader.cancel().catch(() => {});
  return events;
}

describe('gateway e2e: SSE resumption with Last-Event-ID', () => {
  const t = tempDir();
  let gw: GatewayServer;
  beforeAll(async () => {
    gw = await startGateway(baseConfig(t.dir, { policy: { rules: [{ id: 'r', servers: ['everything'], allowTools: ['trigger-long-running-operation'] }] } }));
  });
  afterAll(async () => {
    await gw?.close();
    t.cleanup();
  });

  it('a client that loses a call stream resumes it and receives the rest of the progress and the result', async () => {
    const { key } = gw.gateway.auth.apiKeys!.create({ principal: 'alice' });
    const url = `${gw.url}/mcp/everything`;
    const base = { authorization: `Bearer ${key}`, accept: 'application/json, text/event-stream' };
    const init = await fetch(url, {
      method: 'POST',
      headers: { ...base, 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }),
    });
    const sid = init.headers.get('mcp-session-id')!;
    await readEvents(init, (e) => e.some((x) => x.data.includes('"result"')));
    const headers = { ...base, 'content-type': 'application/json', 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' };
    await fetch(url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });

    const lose = new AbortController();
    const call = await fetch(url, {
      signal: lose.signal,
      method: 'POST',
      headers,
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'trigger-long-running-operation', arguments: { duration: 2, steps: 4 }, _meta: { progressToken: 'p1' } } }),
    });
    expect(call.headers.get('content-type')).toContain('text/event-stream');
    // Read until the first progress event, then drop the connection.
    const first = await readEvents(call, (e) => e.some((x) => x.data.includes('notifications/progress')));
    const lastId = [...first].reverse().find((x) => x.id)!.id!;
    expect(first.filter((x) => x.data.includes('notifications/progress')).length).toBe(1);
    lose.abort();
    await new Promise((r) => setTimeout(r, 300)); // the gateway notices the closed connection

    const resumed = await fetch(url, { method: 'GET', headers: { ...base, 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25', 'last-event-id': lastId } });
    expect(resumed.status).toBe(200);
    const rest = await readEvents(resumed, (e) => e.some((x) => x.data.includes('"id":2')));
    const progress = rest.filter((x) => x.data.includes('notifications/progress')).map((x) => (JSON.parse(x.data) as { params: { progress: number } }).params.progress);
    expect(progress).toEqual([2, 3, 4]);
    const result = JSON.parse(rest.find((x) => x.data.includes('"id":2'))!.data) as { result: { content: Array<{ text: string }> } };
    expect(result.result.content[0]!.text).toContain('Long running operation completed');
  });
});
