import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rotateKeyRingFile } from '../../src/gateway/audit/keyring.js';
import { connectClient, EVERYTHING, tempDir } from './helpers.js';

const CLI = new URL('../../dist/cli/index.js', import.meta.url).pathname;
const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

describe('warden gateway CLI (built dist)', () => {
  const t = tempDir();
  afterAll(() => t.cleanup());
  const cfgFile = join(t.dir, 'gateway.yaml');
  writeFileSync(cfgFile, readFileSync(new URL('../fixtures/gateway/gateway.example.yaml', import.meta.url), 'utf8').replace('${EVERYTHING}', EVERYTHING));

  it('serves with keys from `keys create`, then audit verify passes and catches a flipped byte', async () => {
    rotateKeyRingFile(join(t.dir, 'audit-keys.json'), 'k1');
    const created = run(['--json', 'gateway', 'keys', 'create', '--config', cfgFile, '--principal', 'ci-bot', '--group', 'ci']);
    expect(created.status).toBe(0);
    const { key, record } = JSON.parse(created.stdout) as { key: string; record: { id: string } };
    expect(readFileSync(join(t.dir, 'state', 'api-keys.json'), 'utf8')).not.toContain(key);

    const child = spawn(process.execPath, [CLI, 'gateway', '--config', cfgFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    const url = await new Promise<string>((resolve, reject) => {
      let err = '';
      child.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /listening on (\S+)/.exec(err);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (c) => reject(new Error(`gateway exited ${c}: ${err}`)));
    });
    try {
      const c = await connectClient(`${url}/mcp/everything`, key);
      expect((await c.listTools()).tools.map((x) => x.name)).toEqual(['echo']);
      expect((await c.callTool({ name: 'echo', arguments: { message: 'cli' } })).content).toEqual([{ type: 'text', text: 'Echo: cli' }]);
      await expect(c.callTool({ name: 'echo', arguments: { message: 'x'.repeat(300) } })).rejects.toThrow(/maxLength|more than 200/);
      await c.close();
    } finally {
      await new Promise<void>((r) => {
        child.once('exit', () => r());
        child.kill('SIGTERM');
      });
    }
    const ok = run(['--json', 'gateway', 'audit', 'verify', '--config', cfgFile]);
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true });
    const read = run(['--json', 'gateway', 'audit', 'read', '--config', cfgFile]);
    const records = (JSON.parse(read.stdout) as { records: Array<{ decision: string; tool?: string }> }).records;
    expect(records.filter((r) => r.tool === 'echo').map((r) => r.decision)).toEqual(['allow', 'deny']);
    expect(records.every((r) => (r as { key?: string }).key === `key:${record.id}`)).toBe(true);

    const auditPath = join(t.dir, 'state', 'audit.log');
    const bytes = readFileSync(auditPath);
    bytes[Math.floor(bytes.length / 2)] ^= 0x04;
    writeFileSync(auditPath, bytes);
    expect(run(['gateway', 'audit', 'verify', '--config', cfgFile]).status).toBe(1);
  }, 120_000);

  it('rejects a config with an unknown field (exit 2, names the field)', () => {
    const bad = join(t.dir, 'bad.yaml');
    writeFileSync(bad, 'publicUrl: https://x.example\nauth: { apiKeys: true }\nservers: { s: { transport: stdio, command: x } }\nratelimits: {}\n');
    const r = run(['gateway', 'keys', 'list', '--config', bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('WARDEN_E_GW_CONFIG');
    expect(r.stderr).toContain('ratelimits');
  }, 30_000);
});
