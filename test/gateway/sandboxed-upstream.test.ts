import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baseConfig, connectClient, startGateway, tempDir } from './helpers.js';
import type { GatewayServer } from '../../src/gateway/http/server.js';

const ECHO = new URL('../fixtures/modules/echo-raw/', import.meta.url).pathname;
const hasBwrap = spawnSync('bwrap', ['--version']).status === 0;
if (!hasBwrap) console.warn('gateway sandbox test skipped: bubblewrap (bwrap) is not installed; .ci/run installs it');

describe.skipIf(!hasBwrap)('gateway: stdio upstream launched in the sandbox', () => {
  const t = tempDir();
  // Not under /tmp: the sandbox gives the server a private /tmp of its own.
  const moduleDir = mkdtempSync(join(process.cwd(), '.tmp-gw-sandbox-'));
  let gw: GatewayServer;

  beforeAll(async () => {
    cpSync(ECHO, moduleDir, { recursive: true });
    const cfg = baseConfig(t.dir, {
      servers: { echo: { transport: 'stdio', command: 'node', args: ['server.mjs'], cwd: moduleDir, env: { ECHO_MODE: 'plain' }, sandbox: { profile: 'no-network' } } },
      policy: { rules: [{ id: 'echo', servers: ['echo'], allowTools: ['echo'] }] },
    });
    gw = await startGateway(cfg, { env: { PATH: process.env.PATH, GATEWAY_SECRET: 'never-in-the-sandbox' } });
  });
  afterAll(async () => {
    await gw?.close();
    t.cleanup();
    rmSync(moduleDir, { recursive: true, force: true });
  });

  it('serves tools from the sandboxed server through a real SDK client', async () => {
    const { key } = gw.gateway.auth.apiKeys!.create({ principal: 'alice' });
    const c = await connectClient(`${gw.url}/mcp/echo`, key);
    expect((await c.listTools()).tools.map((x) => x.name)).toEqual(['echo']);
    const r = await c.callTool({ name: 'echo', arguments: { text: 'sandboxed' } });
    expect(r.content).toEqual([{ type: 'text', text: 'sandboxed' }]);
    // It runs as the sandbox's unprivileged user with a private HOME and none of the gateway's env.
    const who = await c.callTool({ name: 'echo', arguments: { text: '__whoami__' } });
    expect(who.content).toEqual([{ type: 'text', text: 'sandbox:/home/sandbox:' }]);
    await c.close();
  });

  it('refuses a sandboxed server without a cwd to confine it to', async () => {
    const t2 = tempDir();
    const cfg = baseConfig(t2.dir, {
      servers: { echo: { transport: 'stdio', command: 'node', args: [join(moduleDir, 'server.mjs')], sandbox: { profile: 'no-network' } } },
      policy: { rules: [{ id: 'echo', servers: ['echo'], allowTools: ['echo'] }] },
    });
    const g2 = await startGateway(cfg, { env: { PATH: process.env.PATH } });
    try {
      const { key } = g2.gateway.auth.apiKeys!.create({ principal: 'alice' });
      await expect(connectClient(`${g2.url}/mcp/echo`, key)).rejects.toThrow();
    } finally {
      await g2.close();
      t2.cleanup();
    }
    expect(existsSync(tmpdir())).toBe(true);
  });
});
