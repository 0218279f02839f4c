// scanIsolated: the scanner in a child process, so that a package built to crash the native parser
// (oxc-parser segfaults on expressions nested tens of thousands deep, with no JS exception) costs
// only the file that crashed it (reported as unanalysed code), not the market or the CLI.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
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

  it('a parser bomb kills only the child; the file it was parsing is skipped and reported, and the rest is scanned', async () => {
    const r = await scanIsolated({ files: [{ path: 'bomb.js', text: BOMB }, { path: 'server.js', text: SERVER }], label: 'bomb' });
    expect(r.files.parseErrors).toEqual([{ file: 'bomb.js', message: expect.stringContaining('crashed the parser') }]);
    expect(r.findings.filter((f) => f.file === 'bomb.js').map((f) => [f.ruleId, f.severity])).toEqual([['unanalysed-code', 'critical']]);
    expect(r.findings.some((f) => f.file === 'server.js' && f.ruleId === 'process-spawn')).toBe(true);
    expect(r.tools.map((t) => t.name)).toEqual(['run']);
    // Errors of the scan itself come back with their own code.
    await expect(scanIsolated({ files: [] }, { disable: ['mcp-tool-no-such-check'] })).rejects.toMatchObject({ code: 'WARDEN_E_SCAN_RULE_UNKNOWN' });
  });

  it('the crashing file is found whatever its name holds (a newline)', async () => {
    const r = await scanIsolated({ files: [{ path: 'lib/x\nbomb.js', text: BOMB }] });
    expect(r.findings.map((f) => [f.file, f.ruleId])).toEqual([['lib/x\nbomb.js', 'unanalysed-code']]);
  });

  it('a scan past its time limit is stopped with WARDEN_E_SCAN_TIMEOUT, its temporary folder removed', async () => {
    const saved = process.env.TMPDIR;
    const own = mkdtempSync(join(tmpdir(), 'warden-iso-timeout-'));
    process.env.TMPDIR = own; // this test file runs in its own process
    try {
      await expect(scanIsolated({ files: [{ path: 'server.js', text: SERVER }], label: 'slow' }, { timeoutMs: 1 })).rejects.toMatchObject({ code: 'WARDEN_E_SCAN_TIMEOUT', where: 'slow' });
      expect(readdirSync(own)).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });

  it('a package of parser bombs ends with WARDEN_E_SCAN_CRASHED after a bounded number of attempts', async () => {
    const files = Array.from({ length: 6 }, (_, i) => ({ path: `bomb${i}.js`, text: BOMB }));
    await expect(scanIsolated({ files, label: 'bombs' })).rejects.toMatchObject({ code: 'WARDEN_E_SCAN_CRASHED', where: 'bombs: bomb5.js' });
  });

  it('the market scans an artifact with a parser bomb to the end (rating F) and a clean one as usual', async () => {
    const step = await ScanStep.load();
    const bad = await step.run(await tgz({ 'package.json': '{"name":"x","version":"1.0.0"}', 'bomb.js': BOMB }), 'x@1.0.0');
    expect(bad.status).toBe('ran');
    expect(bad.status === 'ran' && [bad.report.rating, bad.report.topFindings[0]?.ruleId]).toEqual(['F', 'unanalysed-code']);
    const good = await step.run(await tgz({ 'package.json': '{"name":"y","version":"1.0.0"}', 'server.js': SERVER }), 'y@1.0.0');
    expect(good.status).toBe('ran');
    expect(good.status === 'ran' && good.report.capabilities).toContain('spawnsProcesses');
  });

  it('warden scan reports the bomb as unanalysed code and fails the scan, instead of a segmentation fault', () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-iso-cli-'));
    writeFileSync(join(dir, 'bomb.js'), BOMB);
    const r = warden(['scan', dir]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('unanalysed-code');
  });

  it('the market runs at most one scanner process per core, however many publishes arrive at once', async () => {
    let running = 0;
    let most = 0;
    const step = ScanStep.using(async () => {
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, 20));
      running--;
      return { findings: [], capabilities: {}, score: 0, rating: 'A', summary: {} };
    });
    const artifact = await tgz({ 'index.js': 'export {};\n' });
    const results = await Promise.all(Array.from({ length: 12 }, () => step.run(artifact)));
    expect(results.every((r) => r.status === 'ran')).toBe(true);
    expect(most).toBe(Math.min(12, Math.max(1, availableParallelism())));
  });

  it('leaves no temporary folder behind, even when the child crashes while scanning an unpacked .tgz', async () => {
    const archive = join(mkdtempSync(join(tmpdir(), 'warden-iso-tgz-')), 'bombs.tgz');
    writeFileSync(archive, await tgz({ 'package.json': '{"name":"b","version":"1.0.0"}', 'bomb.js': BOMB }));
    const saved = process.env.TMPDIR;
    const own = mkdtempSync(join(tmpdir(), 'warden-iso-own-'));
    process.env.TMPDIR = own; // this test file runs in its own process
    try {
      const r = await scanIsolated(archive);
      expect(r.findings.some((f) => f.ruleId === 'unanalysed-code')).toBe(true);
      expect(readdirSync(own)).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });
});
