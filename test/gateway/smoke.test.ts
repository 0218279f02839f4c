import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseConfig, connectClient, startGateway, tempDir } from './helpers.js';
import type { GatewayServer } from '../../src/gateway/http/server.js';

describe('smoke', () => {
  const t = tempDir();
  let gw: GatewayServer;
  beforeAll(async () => {
    gw = await startGateway(baseConfig(t.dir));
  });
  afterAll(async () => {
    await gw?.close();
    t.cleanup();
  });
  it('echo', async () => {
    const { key } = gw.gateway.auth.apiKeys!.create({ principal: 'alice' });
    const c = await connectClient(`${gw.url}/mcp/everything`, key);
    const tools = await c.listTools();
    console.log(tools.tools.map((x) => x.name));
    const r = await c.callTool({ name: 'echo', arguments: { message: 'hi' } });
    console.log(JSON.stringify(r));
    await expect(c.callTool({ name: 'get-env', arguments: {} })).rejects.toThrow(/FORBIDDEN/);
    await c.close();
  });
});
