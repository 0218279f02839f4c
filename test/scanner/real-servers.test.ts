// Real, benign MCP servers from npm (installed as devDependencies): no critical finding, and a
// capability summary that matches what the servers actually do.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/scanner/index.js';

const NM = join(process.cwd(), 'node_modules', '@modelcontextprotocol');

describe('real benign MCP servers', () => {
  it('server-filesystem: no critical; writes files; tools extracted; no process spawning', async () => {
    const r = await scan(join(NM, 'server-filesystem'));
    expect(r.findings.filter((f) => f.severity === 'critical')).toEqual([]);
    expect(r.capabilities.fsWrites.present).toBe(true);
    expect(r.capabilities.spawnsProcesses.present).toBe(false);
    expect(r.capabilities.installScripts.present).toBe(false);
    const names = r.tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['read_text_file', 'write_file', 'edit_file', 'list_directory']));
    const write = r.tools.find((t) => t.name === 'write_file')!;
    expect(write.handlerCapabilities).toContain('fsWrites');
    console.log(r.score, r.rating, r.findings.map((f) => `${f.severity} ${f.ruleId} ${f.file}:${f.line}`));
  });
  it('server-memory: no critical; writes its memory file; no network or processes', async () => {
    const r = await scan(join(NM, 'server-memory'));
    expect(r.findings.filter((f) => f.severity === 'critical')).toEqual([]);
    expect(r.capabilities.fsWrites.present).toBe(true);
    expect(r.capabilities.envAccess.present).toBe(true); // MEMORY_FILE_PATH
    expect(r.capabilities.spawnsProcesses.present).toBe(false);
    expect(r.capabilities.network.present).toBe(false);
    expect(r.tools.map((t) => t.name)).toEqual(expect.arrayContaining(['create_entities', 'read_graph']));
    console.log(r.score, r.rating, r.findings.map((f) => `${f.severity} ${f.ruleId} ${f.file}:${f.line}`), r.capabilities);
  });
  it('server-everything: no critical; HTTP transports show as network', async () => {
    const r = await scan(join(NM, 'server-everything'));
    expect(r.findings.filter((f) => f.severity === 'critical')).toEqual([]);
    expect(r.capabilities.network.present).toBe(true);
    expect(r.capabilities.envAccess.present).toBe(true);
    expect(r.tools.length).toBeGreaterThan(5);
    console.log(r.score, r.rating, r.findings.map((f) => `${f.severity} ${f.ruleId} ${f.file}:${f.line} ${f.message}`), r.tools.map(t=>t.name), r.capabilities);
  });
});
