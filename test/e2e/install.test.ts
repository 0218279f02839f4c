import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { createServer as createTcpServer, type Server as TcpServer, type AddressInfo } from 'node:net';
import { spawn, spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { Header } from 'tar';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { tempDir } from '../helpers/tmp.js';
import { makeModule } from '../helpers/module.js';
import { CLI, warden, wardenAsync, type CliResult } from '../helpers/cli.js';
import { startServer, type ServerProcess } from '../market/server-process.js';
import { startMitmProxy, type MitmProxy } from '../helpers/mitm-proxy.js';
import { parsePrivateKey } from '../../src/core/keys.js';
import { signEnvelope, IN_TOTO_PAYLOAD_TYPE } from '../../src/core/dsse.js';
import { buildStatement, WARDEN_PUBLISH_PREDICATE } from '../../src/core/statement.js';
import { countersign } from '../../src/core/countersignature.js';
import { digestBytes } from '../../src/core/digest.js';
import { errorCodes, type WardenErrorCode } from '../../src/core/errors.js';
import { toolHash } from '../../src/core/tool-pin.js';

const hasBwrap = spawnSync('bwrap', ['--version']).status === 0;
const skipReason = hasBwrap ? undefined : 'bubblewrap (bwrap) is not installed; .ci/run installs it';
if (skipReason) console.warn(`installer e2e skipped: ${skipReason}`);

function expectRefused(r: CliResult, code: string) {
  expect(r.json?.error?.code, r.stdout + r.stderr).toBe(code);
  expect(r.status).toBe(errorCodes[code as WardenErrorCode].kind === 'rejected' ? 1 : 2);
  expect(r.stderr).toMatch(new RegExp(`^error ${code}: .{20,}`, 'm'));
}

/** Nothing of a refused install may remain: no module folder, no lock (or the lock unchanged). */
function expectNothingInstalled(dir: string) {
  expect(existsSync(join(dir, 'modules'))).toBe(false);
  expect(existsSync(join(dir, 'warden.lock'))).toBe(false);
  expect(existsSync(join(dir, 'cache'))).toBe(false);
  if (existsSync(join(dir, '.staging'))) expect(readdirSync(join(dir, '.staging'))).toEqual([]);
}

/** A gzip tar built by hand, for archives `warden pack` would never write. */
function evilTgz(entries: Array<{ path: string; type?: 'File' | 'SymbolicLink'; linkpath?: string; body?: Buffer; size?: number }>): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const body = e.body ?? Buffer.alloc(0);
    const h = Buffer.alloc(512);
    new Header({ path: e.path, type: e.type ?? 'File', linkpath: e.linkpath, size: e.size ?? body.length, mode: 0o644, mtime: new Date(0), uid: 0, gid: 0 }).encode(h, 0);
    blocks.push(h, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks), { level: 9 });
}

describe.skipIf(Boolean(skipReason))('installer e2e: real market on 127.0.0.1, built CLI, real bwrap', () => {
  const root = tempDir('warden-e2e-install-');
  const data = join(root, 'market');
  const home = join(root, 'home');
  let market: ServerProcess;
  let mitm: MitmProxy;
  let tcp: TcpServer;
  let tcpHits = 0;
  const env = () => ({ HOME: home, WARDEN_MARKET: market.url });
  const w = (args: string[], extra: Record<string, string> = {}) => warden(['--json', ...args], { env: { ...env(), ...extra }, cwd: root, timeout: 120_000 });
  // Installs through the proxy must not block this process, which serves the proxy.
  const wa = (args: string[], extra: Record<string, string> = {}) => wardenAsync(['--json', ...args], { env: { ...env(), ...extra }, cwd: root, timeout: 120_000 });
  const keys = (n: string) => ({ priv: join(root, 'keys', `${n}.key.pem`), pub: join(root, 'keys', `${n}.pub.pem`) });
  /** Installs `ref` through the lying mirror with these rewrites in place; it must be refused with `code`, nothing on disk. */
  const refusedThroughMirror = async (rewrites: MitmProxy['matchers'], ref: string, dirName: string, code: string) => {
    mitm.matchers.push(...rewrites);
    const dir = join(root, dirName);
    let r: CliResult;
    try {
      r = await wa(['install', ref, '--dir', dir, '--market', mitm.url]);
    } finally {
      mitm.matchers.length = 0;
    }
    expectRefused(r, code);
    expectNothingInstalled(dir);
  };

  beforeAll(async () => {
    mkdirSync(join(home, '.ssh'), { recursive: true });
    writeFileSync(join(home, '.ssh', 'id_rsa'), '-----BEGIN OPENSSH PRIVATE KEY-----\nFAKE-KEY-FOR-WARDEN-TEST\n');
    tcp = createTcpServer((s) => {
      tcpHits++;
      s.destroy();
    });
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));

    const init = warden(['--json', 'market', 'init', '--data', data]);
    expect(init.status, init.stderr).toBe(0);
    const admin = { WARDEN_TOKEN: init.json.adminToken };
    market = await startServer(['--data', data, '--rate-limit', '0,0']);
    mitm = await startMitmProxy(market.url);
    for (const n of ['alice', 'retired', 'stranger']) expect(w(['keygen', '--out', join(root, 'keys'), '--name', n]).status).toBe(0);
    expect(w(['org', 'create', 'acme'], admin).status).toBe(0);
    expect(w(['org', 'key', 'add', 'acme', '--pub', keys('alice').pub], admin).status).toBe(0);
    expect(w(['org', 'key', 'add', 'acme', '--pub', keys('retired').pub], admin).status).toBe(0);
    const tok = w(['token', 'create', '--role', 'publisher', '--org', 'acme'], admin);
    expect(tok.status, tok.stderr).toBe(0);
    const pub = { WARDEN_TOKEN: tok.json.token };

    const publish = (fixture: string, name: string, version: string, key: string, prepare?: (dir: string) => void) => {
      const dir = makeModule(join(root, 'src', `${name.replace('/', '-')}-${version}`), { fixture, name, version });
      prepare?.(dir);
      const r = w(['publish', dir, '--key', keys(key).priv], pub);
      if (r.json?.error?.code === 'WARDEN_E_MARKET_HELD') {
        const a = w(['review', 'approve', `${name}@${version}`, '--reason', 'reviewed in test'], admin);
        expect(a.status, a.stdout + a.stderr).toBe(0);
      } else {
        expect(r.status, r.stdout + r.stderr).toBe(0);
      }
    };
    publish('echo-raw', 'acme/echo', '0.8.0', 'alice');
    publish('echo-raw', 'acme/echo', '0.9.0', 'alice');
    publish('echo-raw', 'acme/echo', '1.0.0', 'alice');
    publish('echo-raw', 'acme/echo', '1.1.0', 'alice');
    publish('echo-raw', 'acme/old-signer', '1.0.0', 'retired');
    publish('script-attack', 'acme/script-attack', '1.0.0', 'alice', (dir) =>
      writeFileSync(join(dir, 'attack-config.json'), JSON.stringify({ realHome: home, markerName: 'warden-pwned-marker', outsideDir: root, secretFile: join(home, '.ssh', 'id_rsa'), port: (tcp.address() as AddressInfo).port })),
    );
    // Dependencies vendored in the artifact (pack --include-deps), and declared but not vendored.
    const vend = makeModule(join(root, 'src', 'vendored'), { fixture: 'echo-raw', name: 'acme/vendored', version: '1.0.0' });
    writeFileSync(join(vend, 'package.json'), JSON.stringify({ name: 'vendored', version: '1.0.0', private: true, dependencies: { 'tiny-dep': '1.0.0' } }));
    mkdirSync(join(vend, 'node_modules', 'tiny-dep'), { recursive: true });
    writeFileSync(join(vend, 'node_modules', 'tiny-dep', 'package.json'), JSON.stringify({ name: 'tiny-dep', version: '1.0.0', main: 'index.js' }));
    writeFileSync(join(vend, 'node_modules', 'tiny-dep', 'index.js'), 'module.exports = 42;\n');
    const vendTgz = join(root, 'vendored.tgz');
    expect(w(['pack', vend, '--out', vendTgz, '--include-deps']).status).toBe(0);
    const pv = w(['publish', vendTgz, '--key', keys('alice').priv], pub);
    if (pv.json?.error?.code === 'WARDEN_E_MARKET_HELD') expect(w(['review', 'approve', 'acme/vendored@1.0.0', '--reason', 'reviewed in test'], admin).status).toBe(0);
    else expect(pv.status, pv.stdout + pv.stderr).toBe(0);
    // A server that tries to write into its own folder when it starts, and says in its tool
    // description how that went.
    publish('echo-raw', 'acme/self-writer', '1.0.0', 'alice', (dir) => {
      const file = join(dir, 'server.mjs');
      const src = readFileSync(file, 'utf8')
        .replace('const tools = [', "import { writeFileSync as writeAtStart } from 'node:fs';\nlet startWrite = 'written';\ntry { writeAtStart(new URL('./written-at-start.txt', import.meta.url), 'x'); } catch (e) { startWrite = e.code; }\nconst tools = [")
        .replace("{ name: 'echo', description,", "{ name: 'echo', description: `${description} [start write: ${startWrite}]`,");
      expect(src).toContain('[start write: ${startWrite}]');
      writeFileSync(file, src);
    });
    // An install script that takes its time: the user gives up with Ctrl-C / SIGTERM.
    publish('echo-raw', 'acme/slow-script', '1.0.0', 'alice', (dir) => writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'slow-script', version: '1.0.0', private: true, scripts: { preinstall: 'sleep 60' } })));
    publish('echo-raw', 'acme/needs-deps', '1.0.0', 'alice', (dir) => writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'needs-deps', version: '1.0.0', private: true, dependencies: { 'left-pad': '1.3.0' } })));
    expect(w(['status', 'set', 'acme/echo@0.9.0', 'taken-down', '--reason', 'malware found'], admin).status).toBe(0);
    expect(w(['status', 'set', 'acme/echo@0.8.0', 'yanked', '--reason', 'broken build'], admin).status).toBe(0);
    const keyid = JSON.parse(w(['org', 'key', 'list', 'acme']).stdout).keys.find((k: { publicKeyPem: string }) => k.publicKeyPem === readFileSync(keys('retired').pub, 'utf8')).keyid;
    expect(w(['org', 'key', 'revoke', 'acme', keyid], admin).status).toBe(0);
  }, 240_000);

  afterAll(async () => {
    await mitm?.close();
    await market?.stop();
    await new Promise((r) => tcp?.close(r));
  });

  const dirA = () => join(root, 'warden-a');

  it('installs a legitimate module, writes the lock, and a real MCP client uses it through warden run', async () => {
    const r = w(['install', 'acme/echo@1.1.0', '--dir', dirA(), '--client', 'cursor']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.json.marketKey).toBe('first-use');
    const lock = JSON.parse(readFileSync(join(dirA(), 'warden.lock'), 'utf8'));
    const entry = lock.modules['acme/echo'];
    expect(entry).toMatchObject({ ref: 'acme/echo@1.1.0', sandbox: { profile: 'no-network', installScripts: false } });
    expect(entry.tools.map((t: { name: string }) => t.name)).toEqual(['echo']);
    expect(entry.digests.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(entry.files)).toContain('server.mjs');
    expect(lock.highestSeen['acme/echo']).toBe('1.1.0');
    // Wired into Cursor's user config, launched through warden run.
    const cursor = JSON.parse(readFileSync(join(home, '.cursor', 'mcp.json'), 'utf8'));
    expect(cursor.mcpServers['acme-echo'].args).toEqual(expect.arrayContaining(['run', 'acme/echo', '--dir', dirA()]));

    const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, 'run', 'acme/echo', '--dir', dirA()], env: { PATH: process.env.PATH ?? '', HOME: home }, stderr: 'pipe' });
    const client = new Client({ name: 'e2e', version: '1.0.0' });
    await client.connect(transport);
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name)).toEqual(['echo']);
    const res = await client.callTool({ name: 'echo', arguments: { text: 'through the sandbox' } });
    expect((res.content as Array<{ text: string }>)[0]!.text).toBe('through the sandbox');
    await client.close();
  }, 120_000);

  it('warden run stopped by its client (SIGTERM) takes the sandbox down with its cleanup and exits 0', async () => {
    const run = spawn(process.execPath, [CLI, 'run', 'acme/echo', '--dir', dirA()], { env: { PATH: process.env.PATH ?? '', HOME: home }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    const answered = new Promise<void>((resolve) => run.stdout.on('data', (c) => ((out += c), out.includes('"id":1') && resolve())));
    const exited = new Promise<number | null>((resolve) => run.on('close', (code) => resolve(code)));
    run.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'e2e', version: '1' } } })}\n`);
    await answered; // the server is up and serving through the sandbox
    const t0 = performance.now();
    run.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(performance.now() - t0).toBeLessThan(10_000);
    if (existsSync('/sys/fs/cgroup/pids')) expect(readdirSync('/sys/fs/cgroup/pids').filter((n) => n.startsWith(`warden-sandbox-${run.pid}-`))).toEqual([]);
  }, 60_000);

  it('refuses an artifact swapped by a malicious mirror, leaving nothing on disk', async () => {
    const swapBytes = { test: (p: string) => p.startsWith('/warden/v1/artifacts/'), rewrite: (b: Buffer) => Buffer.concat([b.subarray(0, b.length - 8), Buffer.from('evil!!!!')]) };
    await refusedThroughMirror([swapBytes], 'acme/echo@1.0.0', 'mirror', 'WARDEN_E_DIGEST_MISMATCH');
  }, 60_000);

  it('refuses a market signature by an unknown key, and a market key that changed after pinning', async () => {
    const dir = join(root, 'unknown-market-key');
    expectRefused(w(['install', 'acme/echo@1.0.0', '--dir', dir, '--market-key', keys('stranger').pub]), 'WARDEN_E_KEY_UNKNOWN');
    expectNothingInstalled(dir);
    // A key pinned on first use: an impostor presenting another key later is refused.
    const pinDir = join(root, 'pinned');
    const first = await wa(['install', 'acme/echo@1.0.0', '--dir', pinDir, '--market', mitm.url]);
    expect(first.status, first.stdout + first.stderr).toBe(0);
    const lockBefore = readFileSync(join(pinDir, 'warden.lock'), 'utf8');
    mitm.rewrites.set('/warden/v1/market-key', () => Buffer.from(JSON.stringify({ keyid: 'x', publicKeyPem: readFileSync(keys('stranger').pub, 'utf8') })));
    const r = await wa(['install', 'acme/echo@1.1.0', '--dir', pinDir, '--market', mitm.url]);
    mitm.rewrites.clear();
    expectRefused(r, 'WARDEN_E_MARKET_KEY_CHANGED');
    expect(readFileSync(join(pinDir, 'warden.lock'), 'utf8')).toBe(lockBefore);
    expect(readdirSync(join(pinDir, 'modules', 'acme', 'echo'))).toEqual(['1.0.0']);
  }, 60_000);

  it('refuses a publisher key that is not registered, and one that was revoked', async () => {
    const stranger = parsePrivateKey(readFileSync(keys('stranger').priv, 'utf8'));
    const resign = {
      test: (p: string) => p.endsWith('/versions/1.0.0/envelope'),
      rewrite: (b: Buffer) => {
        const env = JSON.parse(b.toString());
        return Buffer.from(JSON.stringify(signEnvelope(env.payloadType, Buffer.from(env.payload, 'base64'), [stranger])));
      },
    };
    await refusedThroughMirror([resign], 'acme/echo@1.0.0', 'unregistered', 'WARDEN_E_KEY_UNKNOWN');
    const rev = join(root, 'revoked');
    expectRefused(w(['install', 'acme/old-signer@1.0.0', '--dir', rev]), 'WARDEN_E_PUBLISHER_KEY_REVOKED');
    expectNothingInstalled(rev);
  }, 60_000);

  it('refuses a statement for another module or version', async () => {
    const other = await (await fetch(`${market.url}/warden/v1/servers/${encodeURIComponent('acme/echo')}/versions/1.1.0/envelope`)).arrayBuffer();
    await refusedThroughMirror([{ test: (p) => p.endsWith('/versions/1.0.0/envelope'), rewrite: () => Buffer.from(other) }], 'acme/echo@1.0.0', 'swapped-statement', 'WARDEN_E_SUBJECT_MISMATCH');
  }, 60_000);

  it('refuses a rollback below the installed version, and a taken-down release', () => {
    const before = readFileSync(join(dirA(), 'warden.lock'), 'utf8');
    expectRefused(w(['install', 'acme/echo@1.0.0', '--dir', dirA()]), 'WARDEN_E_ROLLBACK');
    expect(readFileSync(join(dirA(), 'warden.lock'), 'utf8')).toBe(before);
    expect(readdirSync(join(dirA(), 'modules', 'acme', 'echo'))).toEqual(['1.1.0']);
    const dir = join(root, 'taken-down');
    expectRefused(w(['install', 'acme/echo@0.9.0', '--dir', dir]), 'WARDEN_E_RELEASE_UNAVAILABLE');
    expectNothingInstalled(dir);
  }, 60_000);

  it('a lying mirror cannot un-yank a release, hide a key revocation, or pass off the state of another release', async () => {
    // The unsigned metadata says the yanked release is fine; the market's signed state says yanked.
    const unyank = { test: (p: string) => p.startsWith('/v0.1/') && p.includes('0.8.0'), rewrite: (b: Buffer) => Buffer.from(b.toString().replaceAll('"yanked"', '"active"')) };
    await refusedThroughMirror([unyank], 'acme/echo@0.8.0', 'unyanked', 'WARDEN_E_RELEASE_UNAVAILABLE');
    expect(mitm.hits.some((h) => h.startsWith('/v0.1/') && h.includes('0.8.0'))).toBe(true);
    // The served key list no longer marks the retired key as revoked; the signed state still does.
    const unrevoke = {
      test: (p: string) => p === '/warden/v1/orgs/acme/keys',
      rewrite: (b: Buffer) => {
        const doc = JSON.parse(b.toString()) as { keys: Array<{ revokedAt: unknown }> };
        for (const k of doc.keys) k.revokedAt = null;
        return Buffer.from(JSON.stringify(doc));
      },
    };
    await refusedThroughMirror([unrevoke], 'acme/old-signer@1.0.0', 'hidden-revocation', 'WARDEN_E_PUBLISHER_KEY_REVOKED');
    // A genuine signed state, but of another release, and one with its payload edited.
    const other = Buffer.from(await (await fetch(`${market.url}/warden/v1/servers/${encodeURIComponent('acme/echo')}/versions/1.1.0/state`)).arrayBuffer());
    const edited = (b: Buffer) => {
      const env = JSON.parse(b.toString());
      env.payload = Buffer.from(Buffer.from(env.payload, 'base64').toString().replace('"published"', '"active"').replace('"yanked"', '"published"')).toString('base64');
      return Buffer.from(JSON.stringify(env));
    };
    for (const [name, rewrite, version] of [['other-state', () => other, '1.0.0'], ['edited-state', edited, '0.8.0']] as const) {
      await refusedThroughMirror([{ test: (p) => p.endsWith(`/versions/${version}/state`), rewrite }], `acme/echo@${version}`, name, 'WARDEN_E_RELEASE_STATE');
    }
  }, 120_000);

  it('SIGTERM during the sandboxed install: the sandbox dies at once and nothing is left behind', async () => {
    const dir = join(root, 'interrupted');
    const child = spawn(process.execPath, [CLI, 'install', 'acme/slow-script@1.0.0', '--dir', dir, '--allow-scripts'], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env() }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    const running = new Promise<void>((resolve) => {
      child.stderr.on('data', (c) => {
        stderr += c;
        if (stderr.includes('installing dependencies in the sandbox')) resolve();
      });
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await running;
    await new Promise((r) => setTimeout(r, 1500)); // npm is in the preinstall script's sleep now
    const t0 = performance.now();
    child.kill('SIGTERM');
    const code = await exited;
    const ms = performance.now() - t0;
    expect(code, stderr).toBe(2);
    expect(stderr).toMatch(/^error WARDEN_E_INTERRUPTED: .*SIGTERM/m);
    expect(ms).toBeLessThan(15_000); // not the script's 60 s
    expectNothingInstalled(dir);
    // The sandbox's pids cgroup (named after the CLI's pid) is gone too.
    if (existsSync('/sys/fs/cgroup/pids')) expect(readdirSync('/sys/fs/cgroup/pids').filter((n) => n.startsWith(`warden-sandbox-${child.pid}-`))).toEqual([]);
  }, 120_000);

  describe('archives that verify but are malicious (a compromised publisher and market key)', () => {
    const cases: Array<[string, () => Buffer, string]> = [
      ['a ../ path', () => evilTgz([{ path: 'package/server.json', body: Buffer.from('{}') }, { path: 'package/../../escaped.txt', body: Buffer.from('x') }]), 'WARDEN_E_ARCHIVE_TRAVERSAL'],
      ['a symlink to /etc', () => evilTgz([{ path: 'package/etc', type: 'SymbolicLink', linkpath: '/etc' }, { path: 'package/etc/cron.d/x', body: Buffer.from('x') }]), 'WARDEN_E_ARCHIVE_LINK'],
      ['a 1 GB-when-expanded bomb', () => {
        // One header declaring 1 GiB of zeros; gzip turns them into ~1 MB.
        const header = Buffer.alloc(512);
        new Header({ path: 'package/zeros.bin', type: 'File', size: 1024 ** 3, mode: 0o644, mtime: new Date(0) }).encode(header, 0);
        const zeros = Buffer.alloc(1024 * 1024);
        const parts = [header];
        for (let i = 0; i < 1024; i++) parts.push(zeros);
        return gzipSync(Buffer.concat(parts), { level: 9 });
      }, 'WARDEN_E_ARCHIVE_FILE_TOO_LARGE'],
    ];
    it.each(cases)('%s', async (_label, build, code) => {
      const tgz = build();
      const digests = digestBytes(tgz);
      const alice = parsePrivateKey(readFileSync(keys('alice').priv, 'utf8'));
      const marketKey = parsePrivateKey(readFileSync(join(data, 'market.key.pem'), 'utf8'));
      const ref = 'acme/echo@1.0.0';
      const publishEnv = signEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify(buildStatement(ref, digests, WARDEN_PUBLISH_PREDICATE, { ref }))), [alice]);
      const counter = countersign(ref, digests, { ref, publisherKeyid: alice.keyid, scan: { status: 'ran' }, naming: { status: 'ran' }, rating: 'A', score: 100, status: 'accepted', logIndex: 1, time: new Date().toISOString() }, marketKey);
      await refusedThroughMirror(
        [
          { test: (p) => p.startsWith('/warden/v1/artifacts/'), rewrite: () => tgz },
          { test: (p) => p.endsWith('/versions/1.0.0/envelope'), rewrite: () => Buffer.from(JSON.stringify(publishEnv)) },
          { test: (p) => p.endsWith('/versions/1.0.0/countersignature'), rewrite: () => Buffer.from(JSON.stringify(counter)) },
        ],
        ref,
        `evil-${code}`,
        code,
      );
      expect(existsSync(join(root, 'escaped.txt'))).toBe(false);
    }, 60_000);
  });

  it('runs an install script in the sandbox where its network, home-write and key-read attempts all fail', () => {
    const dir = join(root, 'scripts');
    const r = w(['install', 'acme/script-attack@1.0.0', '--dir', dir, '--allow-scripts']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.json.sandbox).toEqual({ profile: 'no-network', installScripts: true, deps: 'none' });
    const results = JSON.parse(readFileSync(join(dir, 'modules', 'acme', 'script-attack', '1.0.0', 'attack-results.json'), 'utf8'));
    // The script really ran (it wrote its report inside its own folder) ...
    expect(results.userHome).toEqual({ ok: true, value: '/home/sandbox' });
    // ... and every escape failed.
    expect(results.network.ok).toBe(false);
    expect(tcpHits).toBe(0);
    // Writes outside the module folder fail, or land in the sandbox's private tmpfs (this test
    // lives under /tmp): either way nothing reaches the host.
    expect(existsSync(join(home, 'warden-pwned-marker'))).toBe(false);
    expect(existsSync(join(root, 'warden-pwned-marker'))).toBe(false);
    expect(results.readSshKey.ok).toBe(false);
    expect(results.readPlantedSecret.ok).toBe(false);
    expect(JSON.stringify(results)).not.toContain('FAKE-KEY-FOR-WARDEN-TEST');
  }, 120_000);

  it('without --allow-scripts the install script does not run at all', () => {
    const dir = join(root, 'noscripts');
    const r = w(['install', 'acme/script-attack@1.0.0', '--dir', dir]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.json.sandbox.installScripts).toBe(false);
    expect(existsSync(join(dir, 'modules', 'acme', 'script-attack', '1.0.0', 'attack-results.json'))).toBe(false);
  }, 120_000);

  it('no network for dependencies by default: vendored ones install; missing ones are refused until the operator allows the registry', () => {
    const dir = join(root, 'vendored');
    const r = w(['install', 'acme/vendored@1.0.0', '--dir', dir]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.json.sandbox).toMatchObject({ deps: 'vendored', installScripts: false });
    const lock = JSON.parse(readFileSync(join(dir, 'warden.lock'), 'utf8'));
    expect(Object.keys(lock.modules['acme/vendored'].files)).toContain('node_modules/tiny-dep/index.js');
    for (const [name, extra] of [['needs-deps', []], ['needs-deps-none', ['--deps-network', 'none']]] as const) {
      const none = join(root, name);
      const refused = w(['install', 'acme/needs-deps@1.0.0', '--dir', none, ...extra]);
      expectRefused(refused, 'WARDEN_E_INSTALL_DEPS');
      expect(refused.stderr).toMatch(/--deps-network registry/);
      expectNothingInstalled(none);
    }
  }, 120_000);

  it('what a server writes into its folder on its first start is pinned, so warden run does not see it as drift', () => {
    // Like Python's __pycache__ or a generated cache: written on the install probe, again (the
    // same bytes) on every run.
    const dir = join(root, 'self-writer');
    const r = w(['install', 'acme/self-writer@1.0.0', '--dir', dir]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const moduleDir = join(dir, 'modules', 'acme', 'self-writer', '1.0.0');
    expect(readFileSync(join(moduleDir, 'written-at-start.txt'), 'utf8')).toBe('x');
    const entry = JSON.parse(readFileSync(join(dir, 'warden.lock'), 'utf8')).modules['acme/self-writer'];
    expect(Object.keys(entry.files).sort()).toEqual(['server.json', 'server.mjs', 'written-at-start.txt']);
    const tool = (outcome: string) => ({ name: 'echo', description: `Echoes the text it is given. [start write: ${outcome}]`, inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } });
    expect(entry.tools).toEqual([{ name: 'echo', sha256: toolHash(tool('written')) }]);
    for (let i = 0; i < 2; i++) {
      const run = warden(['--json', 'run', 'acme/self-writer', '--dir', dir], { env: env(), input: '' });
      expect(run.status, run.stdout + run.stderr).toBe(0);
    }
  }, 120_000);

  it('warden name check --market asks the real market\'s naming engine', () => {
    const squat = w(['name', 'check', 'acrne/echo', '--market', market.url]);
    expect(squat.status, squat.stdout + squat.stderr).toBe(1);
    expect(['review', 'block']).toContain(squat.json.verdict);
    expect(squat.json.matches.map((m: { existing: string }) => m.existing)).toContain('acme/echo');
    const own = w(['name', 'check', 'acme/echo-extra-tools', '--owner', 'acme', '--market', market.url]);
    expect(own.status, own.stdout + own.stderr).toBe(0);
    expect(own.json.verdict).toBe('allow');
  });

  it('a rug pull: a changed tool description stops warden run, audit reports it, approve records it', () => {
    const fancy = { ECHO_MODE: 'fancy' };
    const run = warden(['--json', 'run', 'acme/echo', '--dir', dirA()], { env: { ...env(), ...fancy }, input: '' });
    expect(run.status, run.stderr).toBe(1);
    expect(run.json.error.code).toBe('WARDEN_E_DRIFT_TOOLS');
    expect(run.json.error.details.changed).toEqual(['echo']);
    const audit = warden(['--json', 'audit', '--no-scan'], { env: { ...env(), ...fancy }, cwd: root });
    expect(audit.status, audit.stderr).toBe(1);
    const server = audit.json.servers.find((s: { name: string }) => s.name === 'acme-echo');
    expect(server.findings.map((f: { id: string }) => f.id)).toContain('drift');
    // The unchanged server audits clean of drift.
    const clean = warden(['--json', 'audit', '--no-scan'], { env: env(), cwd: root });
    expect(clean.json.servers.find((s: { name: string }) => s.name === 'acme-echo').findings).toEqual([]);
    // Files changed on disk are refused too.
    const serverFile = join(dirA(), 'modules', 'acme', 'echo', '1.1.0', 'server.mjs');
    const original = readFileSync(serverFile, 'utf8');
    appendFileSync(serverFile, '\n// injected\n');
    const drifted = warden(['--json', 'run', 'acme/echo', '--dir', dirA()], { env: env(), input: '' });
    expect(drifted.json.error.code).toBe('WARDEN_E_DRIFT_FILES');
    writeFileSync(serverFile, original);
    // Approving the new definitions lets it run with them.
    const approve = warden(['--json', 'approve', 'acme/echo', '--dir', dirA()], { env: { ...env(), ...fancy } });
    expect(approve.status, approve.stderr).toBe(0);
    expect(approve.json.tools.changed).toEqual(['echo']);
    const rerun = warden(['--json', 'audit', '--no-scan'], { env: { ...env(), ...fancy }, cwd: root });
    expect(rerun.json.servers.find((s: { name: string }) => s.name === 'acme-echo').findings).toEqual([]);
  }, 180_000);
});
