import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Redis } from 'ioredis';
import { parseGatewayConfig, type GatewayConfig } from '../../src/gateway/config.js';
import { Gateway, type GatewayOptions } from '../../src/gateway/gateway.js';
import { startGatewayServer, type GatewayServer } from '../../src/gateway/http/server.js';
import type { AuditKeyRing } from '../../src/gateway/audit/keyring.js';

const require = createRequire(import.meta.url);
/** The reference upstream: @modelcontextprotocol/server-everything (stdio | streamableHttp). */
export const EVERYTHING = require.resolve('@modelcontextprotocol/server-everything/dist/index.js');
export const CHANGING_SERVER = new URL('../fixtures/gateway/changing-server.mjs', import.meta.url).pathname;

export function tempDir(prefix = 'warden-gw-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export function testKeyRing(kid = 'k1'): AuditKeyRing {
  return { active: kid, keys: new Map([[kid, randomBytes(32)]]) };
}

/** A config with one stdio server-everything upstream and an allow-echo policy; override freely. */
export function baseConfig(stateDir: string, over: Record<string, unknown> = {}): GatewayConfig {
  return parseGatewayConfig(
    {
      listen: { host: '127.0.0.1', port: 0 },
      publicUrl: 'http://127.0.0.1:1',
      stateDir,
      auth: { apiKeys: true },
      servers: { everything: { transport: 'stdio', command: 'node', args: [EVERYTHING, 'stdio'] } },
      policy: { rules: [{ id: 'all-echo', servers: ['everything'], allowTools: ['echo', 'get-sum'] }] },
      log: { level: 'info', file: join(stateDir, 'gateway.log') },
      ...over,
    },
    stateDir,
  );
}

export async function startGateway(cfg: GatewayConfig, opts: GatewayOptions = {}): Promise<GatewayServer> {
  const gw = new Gateway(cfg, { keyRing: testKeyRing(), ...opts });
  return startGatewayServer(gw);
}

export async function connectClient(url: string, token: string | undefined): Promise<Client> {
  const client = new Client({ name: 'warden-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url), token ? { requestInit: { headers: { Authorization: `Bearer ${token}` } } } : {});
  await client.connect(transport);
  return client;
}

/** Starts server-everything's Streamable HTTP mode on a free port and waits until it listens. */
export async function startEverythingHttp(): Promise<{ url: string; child: ChildProcess; stop: () => Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, [EVERYTHING, 'streamableHttp'], { env: { PATH: process.env.PATH ?? '', PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('server-everything did not start')), 15_000);
    child.stderr!.on('data', (d: Buffer) => {
      if (d.toString().includes('listening')) {
        clearTimeout(t);
        resolve();
      }
    });
    child.once('exit', (c) => reject(new Error(`server-everything exited ${c}`)));
  });
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    child,
    stop: () =>
      new Promise((r) => {
        child.once('exit', () => r());
        child.kill('SIGKILL');
      }),
  };
}

/** Resolves to a connected Redis client, or undefined (with the reason) when 127.0.0.1:6379 does not answer. */
export async function redisOrReason(): Promise<{ redis?: Redis; reason?: string }> {
  const r = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, enableOfflineQueue: false });
  r.on('error', () => {});
  try {
    await r.connect();
    await r.ping();
    return { redis: r };
  } catch (e) {
    r.disconnect();
    return { reason: `Redis at 127.0.0.1:6379 does not answer (${(e as Error).message})` };
  }
}
