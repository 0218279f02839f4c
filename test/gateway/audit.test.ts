import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/gateway/audit/audit-log.js';
import { AuditWriter, readAuditFile, verifyAuditFile } from '../../src/gateway/audit/audit-file.js';
import { loadKeyRing, parseKeyRingEnv, rotateKeyRingFile } from '../../src/gateway/audit/keyring.js';
import { Redactor } from '../../src/gateway/redact/redactor.js';
import { tempDir, testKeyRing } from './helpers.js';

const t = tempDir('warden-audit-');
afterAll(() => t.cleanup());

async function collect(file: string, ring: ReturnType<typeof testKeyRing>) {
  const out = [];
  for await (const r of readAuditFile(file, ring)) out.push(r);
  return out;
}

describe('audit file', () => {
  it('encrypts records (no plaintext on disk) and reads them back with the key', async () => {
    const file = join(t.dir, 'a.log');
    const ring = testKeyRing();
    const w = AuditWriter.open(file, ring);
    for (let i = 0; i < 5; i++) w.append({ principal: 'alice', tool: 'echo', n: i });
    await w.close();
    const raw = readFileSync(file, 'utf8');
    expect(raw).not.toContain('alice');
    expect(raw).not.toContain('echo');
    const recs = await collect(file, ring);
    expect(recs.map((r) => (r.event as { n: number }).n)).toEqual([0, 1, 2, 3, 4]);
    expect((await verifyAuditFile(file, ring)).ok).toBe(true);
  });

  it('cannot be read with another key', async () => {
    const file = join(t.dir, 'b.log');
    const ring = testKeyRing('k1');
    const w = AuditWriter.open(file, ring);
    w.append({ secret: 'x' });
    await w.close();
    await expect(collect(file, testKeyRing('k1'))).rejects.toMatchObject({ code: 'WARDEN_E_AUDIT_TAMPERED' });
    await expect(collect(file, testKeyRing('other'))).rejects.toMatchObject({ code: 'WARDEN_E_AUDIT_KEY' });
  });

  it('detects a flipped byte anywhere in the file, and a dropped record', async () => {
    const file = join(t.dir, 'c.log');
    const ring = testKeyRing();
    const w = AuditWriter.open(file, ring);
    for (let i = 0; i < 4; i++) w.append({ i });
    await w.close();
    const good = readFileSync(file);
    // Flip one byte at several positions (ciphertext, tag, iv, hash, structure); every one is caught.
    for (const pos of [20, Math.floor(good.length / 3), Math.floor(good.length / 2), good.length - 10]) {
      const bad = Buffer.from(good);
      bad[pos] = bad[pos]! ^ 0x01;
      writeFileSync(file, bad);
      const withKey = await verifyAuditFile(file, ring);
      expect(withKey.ok, `flip at ${pos}`).toBe(false);
    }
    const lines = good.toString('utf8').trimEnd().split('\n');
    writeFileSync(file, [lines[0], lines[2], lines[3]].join('\n') + '\n');
    const dropped = await verifyAuditFile(file);
    expect(dropped.ok).toBe(false);
    expect(dropped.error?.line).toBe(2);
    writeFileSync(file, good);
    expect((await verifyAuditFile(file)).ok).toBe(true);
  });

  it('continues the chain across restarts and key rotation; old records stay readable', async () => {
    const file = join(t.dir, 'd.log');
    const ringFile = join(t.dir, 'keys.json');
    rotateKeyRingFile(ringFile, 'k1');
    let ring = loadKeyRing(ringFile);
    let w = AuditWriter.open(file, ring);
    w.append({ phase: 1 });
    await w.close();
    expect(rotateKeyRingFile(ringFile, 'k2')).toEqual({ active: 'k2', count: 2 });
    ring = loadKeyRing(ringFile);
    w = AuditWriter.open(file, ring);
    w.append({ phase: 2 });
    await w.close();
    const recs = await collect(file, ring);
    expect(recs.map((r) => [r.kid, (r.event as { phase: number }).phase])).toEqual([['k1', 1], ['k2', 2]]);
    const v = await verifyAuditFile(file, ring);
    expect(v).toMatchObject({ ok: true, records: 2, keyIds: ['k1', 'k2'] });
    expect(() => parseKeyRingEnv('k1:short')).toThrow(/32 bytes/);
  });

  it('redacts events before sealing them', async () => {
    const file = join(t.dir, 'e.log');
    const ring = testKeyRing();
    const log = new AuditLog(file, ring, new Redactor(), { includePayloads: true, payloadMaxChars: 2000 });
    log.record({ ts: 'now', principal: 'bob@example.com', key: 'k', tenant: undefined, server: 's', method: 'tools/call', decision: 'allow', result: { text: 'id 11010519491231002X' } });
    await log.close();
    const [rec] = await collect(file, ring);
    const text = JSON.stringify(rec!.event);
    expect(text).not.toContain('bob@example.com');
    expect(text).not.toContain('11010519491231002X');
    expect(text).toContain('[REDACTED:cn-resident-id]');
  });
});
