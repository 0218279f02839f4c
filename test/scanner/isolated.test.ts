// scanIsolated: the scanner in a child process, so that a package built to crash the native parser
// (oxc-parser segfaults on expressions nested tens of thousands deep, with no JS exception) ends
// its own scan, not the market or the CLI that asked for it.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create } from 'tar';
import { describe, expect, it } from 'vitest';
import { scan, scanIsolated } from '../../src/scanner/index.js';
import { ScanStep } from '../../src/market/pipeline/scan-step.js';
import { warden } from '../helpers/cli.js';

// An assignment chain has no brackets, so it passes the nesting guard and reaches the parser.
const BOMB = `const x = ${'a='.repeat(200_000)}1;\n`;
const SERVER = `import { execSync } from 'node:child_process';\nserver.tool('run', 'Run a command.', {}, async (a) => execSync(a.cmd));\n`;

async function tgz(files: Record<string, string>): Promise<Uint8Array> {
  const dir = mkdtempSync(join(tmpdir(), 'warden-iso-'));
  mkdirSync(join(dir, 'package'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'package', name), text);
  const out = join(dir, 'a.tgz');
  await create({ gzip: true, cwd: dir, file: out, portable: true }, ['package']);
  return new Uint8Array(readFileSync(out));
}

describe('scanIsolated', () => {
  it('reports what scan() reports, with progress relayed from the child', async () => {
    const target = { files: [{ path: 'server.js', text: SERVER }], label: 'x' };
    const progress: number[] = [];
    const isolated = await scanIsolated(target, { onProgress: (p) => progress.push(p.filesDone) });
    const direct = await scan(target);
    expect(isolated.findings.map((f) => f.fingerprint)).toEqual(direct.findings.map((f) => f.fingerprint));
    expect(isolated.tools.map((t) => t.name)).toEqual(['run']);
    expect(progress).toEqual([1]);
  });

  it('a parser bomb kills only the child: WARDEN_E_SCAN_CRASHED, and this process goes on', async () => {
    await expect(scanIsolated({ files: [{ path: 'bomb.js', text: BOMB }, { path: 'server.js', text: SERVER }], label: 'bomb' })).rejects.toMatchObject({
      code: 'WARDEN_E_SCAN_CRASHED',
      where: 'bomb',
    });
    // Errors of the scan itself come back with their own code.
    await expect(scanIsolated({ files: [] }, { disable: ['mcp-tool-no-such-check'] })).rejects.toMatchObject({ code: 'WARDEN_E_SCAN_RULE_UNKNOWN' });
  });

  it('the market records a crashed scan as failed and keeps serving; a clean artifact still scans', async () => {
    const step = await ScanStep.load();
    const bad = await step.run(await tgz({ 'package.json': '{"name":"x","version":"1.0.0"}', 'bomb.js': BOMB }), 'x@1.0.0');
    expect(bad).toMatchObject({ status: 'failed' });
    expect(bad.status === 'failed' && bad.reason).toMatch(/WARDEN_E_SCAN_CRASHED|died/);
    const good = await step.run(await tgz({ 'package.json': '{"name":"y","version":"1.0.0"}', 'server.js': SERVER }), 'y@1.0.0');
    expect(good.status).toBe('ran');
    expect(good.status === 'ran' && good.report.capabilities).toContain('spawnsProcesses');
  });

  it('warden scan exits 2 with the code and a plain message, not a segmentation fault', () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-iso-cli-'));
    writeFileSync(join(dir, 'bomb.js'), BOMB);
    const r = warden(['scan', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('WARDEN_E_SCAN_CRASHED');
  });
});
