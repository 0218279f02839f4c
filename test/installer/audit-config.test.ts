import { describe, expect, it } from 'vitest';
import { auditConfiguredServer, isPinnedNpmSpec, isPinnedPythonSpec, looksLikePlaintextSecret, packageSpecOf } from '../../src/installer/audit-config.js';

const server = (entry: Record<string, unknown>) => ({ client: 'cursor' as const, scope: 'user' as const, file: '/h/.cursor/mcp.json', name: 's', entry });
const ids = (entry: Record<string, unknown>) => auditConfiguredServer(server(entry)).findings.map((f) => f.id).sort();

describe('package runner specs', () => {
  it.each([
    ['npx', ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'], '@modelcontextprotocol/server-filesystem', false],
    ['npx', ['-y', '@modelcontextprotocol/server-filesystem@2026.8.31', '/tmp'], '@modelcontextprotocol/server-filesystem@2026.8.31', true],
    ['npx', ['some-server@latest'], 'some-server@latest', false],
    ['npx', ['some-server@^1.2.0'], 'some-server@^1.2.0', false],
    ['/usr/local/bin/npx', ['--yes', 'some-server@1.2.3'], 'some-server@1.2.3', true],
    ['npx', ['-y', '--package', 'tool@1.0.0', 'tool-bin'], 'tool@1.0.0', true],
    ['pnpm', ['dlx', 'mcp-x'], 'mcp-x', false],
    ['uvx', ['mcp-server-fetch'], 'mcp-server-fetch', false],
    ['uvx', ['mcp-server-fetch==2025.1.17'], 'mcp-server-fetch==2025.1.17', true],
    ['uvx', ['--from', 'git+https://github.com/x/y', 'y'], 'git+https://github.com/x/y', false],
    ['uv', ['tool', 'run', 'mcp-server-git@1.0.0'], 'mcp-server-git@1.0.0', true],
    ['docker', ['run', '-i', '--rm', '-e', 'TOKEN', 'ghcr.io/acme/mcp:latest'], 'ghcr.io/acme/mcp:latest', false],
    ['docker', ['run', '-i', `ghcr.io/acme/mcp@sha256:${'a'.repeat(64)}`], `ghcr.io/acme/mcp@sha256:${'a'.repeat(64)}`, true],
  ])('%s %j → %s pinned=%s', (cmd, args, spec, pinned) => {
    expect(packageSpecOf(cmd, args)).toMatchObject({ spec, pinned });
  });

  it('ignores commands that do not fetch packages', () => {
    expect(packageSpecOf('node', ['server.js'])).toBeUndefined();
    expect(packageSpecOf('python', ['-m', 'srv'])).toBeUndefined();
  });

  it('pin checks', () => {
    expect(isPinnedNpmSpec('@scope/name')).toBe(false);
    expect(isPinnedNpmSpec('@scope/name@1.0.0-rc.1')).toBe(true);
    expect(isPinnedPythonSpec('pkg>=1.0')).toBe(false);
    expect(isPinnedPythonSpec('pkg==1.0.3')).toBe(true);
  });
});

describe('plaintext secrets', () => {
  it.each([
    ['GITHUB_PERSONAL_ACCESS_TOKEN', 'ghp_aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5', true],
    ['OPENAI_API_KEY', 'sk-proj-abcdefghijklmnop', true],
    ['DB_PASSWORD', 'hunter2hunter2', true],
    ['CONFIG', 'Zx8kQ2mN5vB7cL1pR4tY6wE9', true],
    ['GITHUB_TOKEN', '${input:github_token}', false],
    ['API_KEY', '${env:API_KEY}', false],
    ['API_KEY', '<your-api-key>', false],
    ['LOG_LEVEL', 'debug', false],
    ['ALLOWED_DIRS', '/home/alice/projects', false],
    ['NODE_ENV', 'production', false],
  ])('%s=%s → %s', (name, value, expected) => {
    expect(looksLikePlaintextSecret(name, value)).toBe(expected);
  });
});

describe('auditing one configured server', () => {
  it('a server launched through warden has no finding', () => {
    const r = auditConfiguredServer(server({ command: 'warden', args: ['run', 'acme/hello'] }));
    expect(r.wardenModule).toBe('acme/hello');
    expect(r.findings).toEqual([]);
  });

  it('an unpinned npx server with a literal token gets three findings', () => {
    expect(ids({ command: 'npx', args: ['-y', '@modelcontextprotocol/server-github'], env: { GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5' } })).toEqual(['not-warden', 'plaintext-secret', 'unpinned-package']);
  });

  it('a pinned npx server with an input reference only lacks Warden', () => {
    expect(ids({ command: 'npx', args: ['-y', 'srv@1.2.3'], env: { TOKEN: '${input:tok}' } })).toEqual(['not-warden']);
  });

  it('remote servers: plain HTTP to a remote host is flagged, loopback is not', () => {
    expect(ids({ type: 'http', url: 'http://mcp.example.test/mcp' })).toEqual(['not-warden', 'remote-plain-http']);
    expect(ids({ type: 'http', url: 'http://127.0.0.1:8080/mcp' })).toEqual(['not-warden']);
    expect(ids({ type: 'http', url: 'https://mcp.example.test/mcp', headers: { Authorization: 'Bearer abcdefghijklmnop' } })).toEqual(['not-warden', 'plaintext-secret']);
  });
});

describe('recognizing Warden launchers', () => {
  it('accepts `warden run` and the node + dist/cli/index.js form that install --client writes', () => {
    expect(auditConfiguredServer(server({ command: '/usr/bin/node', args: ['/opt/warden/dist/cli/index.js', 'run', 'acme/x', '--dir', '/d'] })).wardenModule).toBe('acme/x');
    expect(auditConfiguredServer(server({ command: 'node', args: ['/opt/other/server.js', 'run', 'acme/x'] })).wardenModule).toBeUndefined();
  });
});
