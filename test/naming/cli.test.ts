import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Command } from 'commander';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerNameCommands } from '../../src/cli/name.js';

// Runs the real verb in-process: commander parses, the action runs, stdout and the exit code
// are what a user would see.
async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const program = new Command('warden').option('--json').exitOverride();
  program.configureOutput({ writeOut: () => {}, writeErr: () => {} });
  registerNameCommands(program);
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
  process.exitCode = undefined;
  try {
    await program.parseAsync(['node', 'warden', ...args]);
  } catch {
    process.exitCode = 2; // commander usage error (the real entry maps these to 2)
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'warden-name-cli-'));
const list = join(dir, 'names.txt');
writeFileSync(list, '# popular\nio.github.modelcontextprotocol/server-filesystem\t400000\nlodash\t9000000\nrare-thing\t2\n');

describe('warden name check --against', () => {
  beforeEach(() => {
    process.exitCode = undefined;
  });

  it('blocks a look-alike: exit 1, reasons and explanation in JSON', async () => {
    const r = await run(['--json', 'name', 'check', 'io.github.modelcontextprotoco1/server-filesystem', '--against', list]);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j.ok).toBe(false);
    expect(j.verdict).toBe('block');
    expect(j.reasons).toContain('NAME_ORG_LOOKALIKE');
    expect(j.matches[0].existing).toBe('io.github.modelcontextprotocol/server-filesystem');
  });

  it('allows a distinct name: exit 0, human output', async () => {
    const r = await run(['name', 'check', 'weather-station', '--against', list]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ALLOW\s+weather-station/);
  });

  it('review exits 1 too', async () => {
    const r = await run(['name', 'check', 'lodash-js', '--against', list]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^REVIEW/);
    expect(r.out).toContain('NAME_COMBOSQUAT');
  });

  it('the owner (by default the org) may publish near its own names; --owner sets who publishes', async () => {
    const own = 'io.github.modelcontextprotocol/server-filesystems';
    expect((await run(['name', 'check', own, '--against', list])).code).toBe(0);
    expect((await run(['name', 'check', own, '--against', list, '--owner', 'io.github.modelcontextprotocol'])).code).toBe(0);
    expect((await run(['name', 'check', own, '--against', list, '--owner', 'io.github.evil'])).code).toBe(1);
    expect((await run(['name', 'check', 'io.github.evil/server-filesytem', '--against', list])).code).toBe(1);
  });

  it('--policy changes verdicts; bad usage and bad files exit 2', async () => {
    const strict = join(dir, 'strict.yaml');
    writeFileSync(strict, 'tiers:\n  - id: all\n    minWeight: 0\n    actions: { NAME_EXACT: block, NAME_OMISSION: block }\n');
    expect((await run(['name', 'check', 'rare-thin', '--against', list])).code).toBe(0);
    expect((await run(['name', 'check', 'rare-thin', '--against', list, '--policy', strict])).code).toBe(1);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'tiers: nope\n');
    const r = await run(['--json', 'name', 'check', 'x', '--against', list, '--policy', bad]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out).error.code).toBe('WARDEN_E_NAME_POLICY_INVALID');
    expect((await run(['name', 'check', 'x'])).code).toBe(2);
    expect((await run(['name', 'check', 'x', '--against', join(dir, 'missing.txt')])).code).toBe(2);
    expect((await run(['name', 'check', '', '--against', list])).code).toBe(2);
  });

  it('name policy prints the built-in YAML', async () => {
    const r = await run(['name', 'policy']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('tiers:');
    expect(r.out).toContain('NAME_SKELETON: block');
  });
});

describe('warden name check --market', () => {
  let server: Server;
  let base = '';
  const seen: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req.url ?? '');
      const u = new URL(req.url ?? '/', 'http://x');
      const name = u.searchParams.get('name');
      res.setHeader('content-type', 'application/json');
      if (u.pathname !== '/warden/v1/names/check') return void res.writeHead(404).end('{"title":"not found"}');
      if (name === 'garbage') return void res.end('{"verdict":"maybe"}');
      if (name === 'bad name') return void res.writeHead(400).end('{"title":"bad","detail":"the name has white space","status":400}');
      const verdict = name === 'l0dash' ? 'block' : 'allow';
      res.end(JSON.stringify({
        verdict,
        reasons: verdict === 'block' ? ['NAME_SKELETON'] : [],
        explanation: verdict === 'block' ? '`l0dash` looks the same as `lodash`' : 'not near',
        matches: verdict === 'block' ? [{ existing: 'lodash', weight: 9e6, distance: 0, reasons: ['NAME_SKELETON'], explanation: 'x', verdict: 'block' }] : [],
      }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const addr = server.address() as { port: number };
    base = `http://127.0.0.1:${addr.port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('passes name and owner, maps the verdict to the exit code', async () => {
    const r = await run(['--json', 'name', 'check', 'l0dash', '--market', base, '--owner', 'acme']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).reasons).toEqual(['NAME_SKELETON']);
    expect(seen.at(-1)).toBe('/warden/v1/names/check?name=l0dash&owner=acme');
    expect((await run(['name', 'check', 'fine', '--market', `${base}/`])).code).toBe(0);
  });

  it('rejects answers that are not a verdict, and unreachable markets, with exit 2', async () => {
    const g = await run(['--json', 'name', 'check', 'garbage', '--market', base]);
    expect(g.code).toBe(2);
    expect(JSON.parse(g.out).error.code).toBe('WARDEN_E_NAME_MARKET');
    const b = await run(['--json', 'name', 'check', 'bad name', '--market', base]);
    expect(b.code).toBe(2);
    expect(JSON.parse(b.out).error.message).toContain('white space');
    const down = await run(['--json', 'name', 'check', 'x', '--market', 'http://127.0.0.1:9']);
    expect(down.code).toBe(2);
    expect(JSON.parse(down.out).error.code).toBe('WARDEN_E_NAME_MARKET');
    expect((await run(['name', 'check', 'x', '--market', 'ftp://127.0.0.1'])).code).toBe(2);
  });
});
