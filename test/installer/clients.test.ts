import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import {
  addServerToClient,
  CLIENTS,
  discoverConfiguredServers,
  removeServerFromClient,
  type ClientEnv,
} from '../../src/installer/clients.js';
import { WardenError } from '../../src/core/errors.js';
import { tempDir } from '../helpers/tmp.js';

const root = tempDir('warden-clients-');
let n = 0;
function env(platform: NodeJS.Platform = 'linux'): ClientEnv {
  const home = join(root, `home${n++}`);
  mkdirSync(home);
  const projectDir = join(home, 'project');
  mkdirSync(projectDir);
  return { home, platform, projectDir };
}

const launch = { command: 'warden', args: ['run', 'acme/hello'] };

describe('client config locations', () => {
  it('uses each client\'s real file per platform and scope', () => {
    const e = { home: '/h', platform: 'linux' as const, projectDir: '/p' };
    expect(CLIENTS['claude-desktop'].configPath('user', e)).toBe('/h/.config/Claude/claude_desktop_config.json');
    expect(CLIENTS['claude-desktop'].configPath('user', { ...e, platform: 'darwin' })).toBe('/h/Library/Application Support/Claude/claude_desktop_config.json');
    expect(CLIENTS['claude-desktop'].configPath('user', { ...e, platform: 'win32', appData: 'C:/U/AppData/Roaming' })).toBe('C:/U/AppData/Roaming/Claude/claude_desktop_config.json');
    expect(CLIENTS['claude-desktop'].configPath('project', e)).toBeUndefined();
    expect(CLIENTS['claude-code'].configPath('user', e)).toBe('/h/.claude.json');
    expect(CLIENTS['claude-code'].configPath('project', e)).toBe('/p/.mcp.json');
    expect(CLIENTS.cursor.configPath('user', e)).toBe('/h/.cursor/mcp.json');
    expect(CLIENTS.cursor.configPath('project', e)).toBe('/p/.cursor/mcp.json');
    expect(CLIENTS.vscode.configPath('user', e)).toBe('/h/.config/Code/User/mcp.json');
    expect(CLIENTS.vscode.configPath('user', { ...e, platform: 'darwin' })).toBe('/h/Library/Application Support/Code/User/mcp.json');
    expect(CLIENTS.vscode.configPath('project', e)).toBe('/p/.vscode/mcp.json');
  });
});

describe('adding and removing a server', () => {
  it('creates a missing file in the client\'s shape', async () => {
    const e = env();
    const res = await addServerToClient('vscode', 'project', e, 'acme-hello', launch);
    expect(res.changed).toBe(true);
    expect(res.backup).toBeUndefined();
    expect(JSON.parse(readFileSync(res.file, 'utf8'))).toEqual({ servers: { 'acme-hello': { type: 'stdio', ...launch } } });
    expect(statSync(res.file).mode & 0o777).toBe(0o600);
    const desk = await addServerToClient('claude-desktop', 'user', e, 'acme-hello', launch);
    expect(JSON.parse(readFileSync(desk.file, 'utf8'))).toEqual({ mcpServers: { 'acme-hello': launch } });
  });

  it('keeps comments, unknown fields and other servers, and backs the file up first', async () => {
    const e = env();
    const file = CLIENTS.vscode.configPath('user', e)!;
    mkdirSync(dirname(file), { recursive: true });
    const original = `// my settings\n{\n  "inputs": [{ "id": "tok", "type": "promptString" }],\n  "servers": {\n    "other": { "type": "http", "url": "https://example.test/mcp", "x-custom": true }, // keep me\n  },\n  "futureField": { "a": [1, 2] }\n}\n`;
    writeFileSync(file, original);
    const res = await addServerToClient('vscode', 'user', e, 'acme-hello', launch);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('// my settings');
    expect(text).toContain('// keep me');
    const doc = parseJsonc(text);
    expect(doc.futureField).toEqual({ a: [1, 2] });
    expect(doc.inputs).toHaveLength(1);
    expect(doc.servers.other).toEqual({ type: 'http', url: 'https://example.test/mcp', 'x-custom': true });
    expect(doc.servers['acme-hello']).toEqual({ type: 'stdio', ...launch });
    expect(readFileSync(res.backup!, 'utf8')).toBe(original);

    const removed = await removeServerFromClient('vscode', 'user', e, 'acme-hello');
    expect(removed.changed).toBe(true);
    const after = parseJsonc(readFileSync(file, 'utf8'));
    expect(after.servers['acme-hello']).toBeUndefined();
    expect(after.servers.other).toBeDefined();
    expect(after.futureField).toEqual({ a: [1, 2] });
  });

  it('keeps the rest of ~/.claude.json (Claude Code stores much more there)', async () => {
    const e = env();
    const file = join(e.home, '.claude.json');
    writeFileSync(file, JSON.stringify({ numStartups: 42, projects: { '/x': { allowedTools: ['a'] } }, mcpServers: { mine: { type: 'stdio', command: 'node', args: ['m.js'] } } }, null, 2));
    await addServerToClient('claude-code', 'user', e, 'acme-hello', launch);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    expect(doc.numStartups).toBe(42);
    expect(doc.projects).toEqual({ '/x': { allowedTools: ['a'] } });
    expect(Object.keys(doc.mcpServers).sort()).toEqual(['acme-hello', 'mine']);
  });

  it('is idempotent: no write and no backup when nothing changes', async () => {
    const e = env();
    const first = await addServerToClient('cursor', 'user', e, 'acme-hello', launch);
    const second = await addServerToClient('cursor', 'user', e, 'acme-hello', launch);
    expect(second.changed).toBe(false);
    expect(readdirSync(dirname(first.file)).filter((f) => f.includes('warden-backup'))).toEqual([]);
    expect((await removeServerFromClient('cursor', 'project', e, 'acme-hello')).changed).toBe(false);
  });

  it('refuses to edit a broken file and leaves it untouched', async () => {
    const e = env();
    const file = CLIENTS.cursor.configPath('user', e)!;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, '{"mcpServers": {');
    await expect(addServerToClient('cursor', 'user', e, 'acme-hello', launch)).rejects.toSatisfy(
      (err: unknown) => err instanceof WardenError && err.code === 'WARDEN_E_CLIENT_CONFIG_INVALID',
    );
    expect(readFileSync(file, 'utf8')).toBe('{"mcpServers": {');
    expect(readdirSync(dirname(file))).toEqual(['mcp.json']);
  });
});

describe('discovery', () => {
  it('finds every configured server across clients and scopes', async () => {
    const e = env();
    await addServerToClient('claude-desktop', 'user', e, 'a', launch);
    await addServerToClient('claude-code', 'project', e, 'b', { command: 'npx', args: ['-y', 'some-server'] });
    await addServerToClient('vscode', 'project', e, 'c', launch);
    const { servers, files } = await discoverConfiguredServers(e);
    expect(servers.map((s) => `${s.client}:${s.scope}:${s.name}`).sort()).toEqual(['claude-code:project:b', 'claude-desktop:user:a', 'vscode:project:c']);
    expect(files.every((f) => existsSync(f))).toBe(true);
  });
});
