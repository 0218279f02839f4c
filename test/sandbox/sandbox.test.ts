import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectSandboxTools } from '../../src/sandbox/host.js';
import { runSandboxed, type RunOptions } from '../../src/sandbox/launch.js';
import { tempDir } from '../helpers/tmp.js';

let unavailable: string | undefined;
try {
  detectSandboxTools();
} catch (err) {
  unavailable = (err as Error).message;
  console.log(`SKIP sandbox tests: ${unavailable}`);
}

const root = tempDir('warden-sandbox-');
const moduleDir = join(root, 'module');
const fakeHome = join(root, 'realhome');
const outsideFile = join(root, 'outside-secret.txt');
mkdirSync(moduleDir);
mkdirSync(join(fakeHome, '.ssh'), { recursive: true });
writeFileSync(join(fakeHome, '.ssh', 'id_rsa'), 'FAKE-PRIVATE-KEY-MARKER');
writeFileSync(outsideFile, 'OUTSIDE-MARKER');

/** Runs a JS snippet with `node -e` in the sandbox; the snippet prints one JSON line. */
async function nodeIn(code: string, extra: Partial<RunOptions> = {}) {
  const r = await runSandboxed({ command: 'node', args: ['-e', code], profile: 'no-network', moduleDir, timeoutMs: 20_000, ...extra });
  return { ...r, json: r.stdout.trim() ? (JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>) : undefined };
}

const TRY = `const fs = require('fs'); const t = (f) => { try { return 'ok:' + f(); } catch (e) { return e.code || String(e); } };`;

describe.skipIf(unavailable !== undefined)('sandbox (real bubblewrap)', () => {
  let outside: Server;
  let outsidePort = 0;
  let outsideConnections = 0;
  beforeAll(async () => {
    outside = createServer((s) => {
      outsideConnections += 1;
      s.end('HELLO-FROM-OUTSIDE');
    });
    await new Promise<void>((r) => outside.listen(0, '127.0.0.1', () => r()));
    outsidePort = (outside.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => outside.close(() => r())));

  it('runs node -e and lets the command write inside the module folder', async () => {
    const r = await nodeIn(`${TRY} console.log(JSON.stringify({ w: t(() => fs.writeFileSync(${JSON.stringify(join(moduleDir, 'made-inside.txt'))}, 'inside')), home: process.env.HOME, hw: t(() => fs.writeFileSync(process.env.HOME + '/x', '1')), uid: process.getuid() }))`);
    expect(r.code).toBe(0);
    expect(r.sandboxed).toBe(true);
    expect(r.json).toMatchObject({ w: 'ok:undefined', home: '/home/sandbox', hw: 'ok:undefined', uid: 65534 });
    expect(readFileSync(join(moduleDir, 'made-inside.txt'), 'utf8')).toBe('inside');
  });

  for (const profile of ['no-network', 'loopback'] as const) {
    it(`${profile}: a connection to a server on the host's 127.0.0.1 is refused`, async () => {
      const before = outsideConnections;
      const r = await nodeIn(
        `const s = require('net').connect(${outsidePort}, '127.0.0.1'); s.on('data', (d) => { console.log(JSON.stringify({ got: String(d) })); process.exit(0); }); s.on('error', (e) => { console.log(JSON.stringify({ err: e.code })); });`,
        { profile },
      );
      expect(r.json).toEqual({ err: 'ECONNREFUSED' });
      expect(outsideConnections).toBe(before);
    });
  }

  it('loopback: the command can still talk to a server it starts on its own 127.0.0.1', async () => {
    const r = await nodeIn(
      `const net = require('net'); const srv = net.createServer((s) => s.end('echo')).listen(0, '127.0.0.1', () => { net.connect(srv.address().port, '127.0.0.1').on('data', (d) => { console.log(JSON.stringify({ got: String(d) })); process.exit(0); }); });`,
      { profile: 'loopback' },
    );
    expect(r.json).toEqual({ got: 'echo' });
  });

  it('cannot write to the real $HOME or outside the module folder; the host shows no marker', async () => {
    const realHome = homedir();
    const refused = [join(fakeHome, 'marker'), join(fakeHome, '.ssh', 'authorized_keys'), join(realHome, `warden-sandbox-marker-${process.pid}`), '/etc/warden-marker', '/usr/warden-marker', '/warden-marker'];
    // A sibling of the module folder: this test's folders live under /tmp, which is a private
    // tmpfs inside the sandbox, so the write may land there; it must never reach the host.
    const sibling = join(root, 'marker-outside');
    try {
      const r = await nodeIn(`${TRY} console.log(JSON.stringify(${JSON.stringify([...refused, sibling])}.map((p) => t(() => fs.writeFileSync(p, 'pwned')))))`);
      const results = JSON.parse(r.stdout.trim()) as string[];
      expect(results.slice(0, refused.length).every((x) => x === 'ENOENT' || x === 'EROFS' || x === 'EACCES'), results.join(',')).toBe(true);
      for (const p of [...refused, sibling]) expect(existsSync(p), p).toBe(false);
    } finally {
      for (const p of [refused[0]!, refused[1]!, refused[2]!, sibling]) rmSync(p, { force: true });
    }
  });

  it('cannot read ~/.ssh/id_rsa of a home outside, nor any file outside the binds', async () => {
    const r = await nodeIn(
      `${TRY} console.log(JSON.stringify({ key: t(() => fs.readFileSync(${JSON.stringify(join(fakeHome, '.ssh', 'id_rsa'))}, 'utf8')), out: t(() => fs.readFileSync(${JSON.stringify(outsideFile)}, 'utf8')), shadow: t(() => fs.readFileSync('/etc/shadow', 'utf8')), rootSsh: t(() => fs.readdirSync('/root/.ssh')), etc: fs.readdirSync('/etc').includes('passwd') }))`,
    );
    expect(r.json).toEqual({ key: 'ENOENT', out: 'ENOENT', shadow: 'ENOENT', rootSsh: 'ENOENT', etc: true });
    expect(r.stdout).not.toContain('FAKE-PRIVATE-KEY-MARKER');
    expect(r.stdout).not.toContain('OUTSIDE-MARKER');
  });

  it('clears the environment except the allow-list and explicit values', async () => {
    process.env.WARDEN_TEST_SECRET = 'should-not-leak';
    process.env.WARDEN_TEST_PASSED = 'passed-on-purpose';
    try {
      const r = await nodeIn(`console.log(JSON.stringify(process.env))`, { passEnv: ['WARDEN_TEST_PASSED'], env: { EXPLICIT: 'yes' } });
      const env = r.json as Record<string, string>;
      expect(env.WARDEN_TEST_SECRET).toBeUndefined();
      expect(env.WARDEN_TEST_PASSED).toBe('passed-on-purpose');
      expect(env.EXPLICIT).toBe('yes');
      expect(env.npm_config_ignore_scripts).toBe('true');
      expect(Object.keys(env).sort()).toEqual(['EXPLICIT', 'HOME', 'LANG', 'LOGNAME', 'PATH', 'PIP_ONLY_BINARY', 'PWD', 'TMPDIR', 'USER', 'WARDEN_TEST_PASSED', 'YARN_ENABLE_SCRIPTS', 'npm_config_ignore_scripts']);
    } finally {
      delete process.env.WARDEN_TEST_SECRET;
      delete process.env.WARDEN_TEST_PASSED;
    }
  });

  it('limits file size, open files and CPU time', async () => {
    const big = await nodeIn(`${TRY} console.log(JSON.stringify({ w: t(() => fs.writeFileSync('big.bin', Buffer.alloc(2 * 1024 * 1024))) }))`, { limits: { fileSizeBytes: 1024 * 1024 } });
    expect(big.code === 0 ? big.json : { killed: big.signal ?? big.code }).not.toEqual({ w: 'ok:undefined' });
    expect(readFileSync(join(moduleDir, 'big.bin')).length).toBeLessThanOrEqual(1024 * 1024);
    const files = await nodeIn(`${TRY} const fds = []; const r = t(() => { for (let i = 0; i < 200; i++) fds.push(fs.openSync('/proc/self/status', 'r')); }); console.log(JSON.stringify({ r, n: fds.length }))`, { limits: { openFiles: 64 } });
    expect(files.json?.r).toBe('EMFILE');
    expect(files.json?.n as number).toBeLessThan(64);
    const t0 = Date.now();
    const cpu = await runSandboxed({ command: 'node', args: ['-e', 'for (;;) {}'], profile: 'no-network', moduleDir, limits: { cpuSeconds: 1 }, timeoutMs: 20_000 });
    expect(cpu.code).not.toBe(0);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('an aborted signal kills the sandbox at once (WARDEN_E_INTERRUPTED), and refuses a launch after it', async () => {
    const interrupt = new AbortController();
    const t0 = Date.now();
    const run = runSandboxed({ command: 'sleep', args: ['30'], profile: 'no-network', moduleDir, timeoutMs: 60_000, signal: interrupt.signal });
    setTimeout(() => interrupt.abort('SIGINT'), 300);
    await expect(run).rejects.toMatchObject({ code: 'WARDEN_E_INTERRUPTED' });
    expect(Date.now() - t0).toBeLessThan(10_000);
    await expect(runSandboxed({ command: 'true', profile: 'no-network', moduleDir, signal: interrupt.signal })).rejects.toMatchObject({ code: 'WARDEN_E_INTERRUPTED' });
  });

  it('caps address space: a low cap breaks WebAssembly, the default keeps it working', async () => {
    const code = `${TRY} console.log(JSON.stringify({ wasm: t(() => new WebAssembly.Memory({ initial: 1 }).buffer.byteLength) }))`;
    const low = await nodeIn(code, { limits: { addressSpaceBytes: 4 * 1024 ** 3 } });
    expect(low.json?.wasm).not.toBe('ok:65536');
    const dflt = await nodeIn(code);
    expect(dflt.json).toEqual({ wasm: 'ok:65536' });
  });

  it('limits processes (RLIMIT_NPROC, or a pids cgroup when Warden runs as root)', async () => {
    const r = await runSandboxed({ command: 'sh', args: ['-c', 'for i in 1 2 3 4 5 6 7 8 9 10; do sleep 1 & done; wait; echo forked-all'], profile: 'no-network', moduleDir, limits: { processes: 4 }, timeoutMs: 20_000 });
    if (r.warnings.some((w) => /processes is not enforced/.test(w))) {
      console.log('SKIP process-limit enforcement: running as root without a writable pids cgroup');
      return;
    }
    expect(r.stderr).toMatch(/fork/i);
    expect(existsSync('/sys/fs/cgroup/pids') ? readdirSync('/sys/fs/cgroup/pids').filter((d) => d.startsWith(`warden-sandbox-${process.pid}-`)) : []).toEqual([]);
  });

  it('kills the whole sandbox at the time limit', async () => {
    const t0 = Date.now();
    await expect(runSandboxed({ command: 'sleep', args: ['30'], profile: 'no-network', moduleDir, timeoutMs: 500 })).rejects.toMatchObject({ code: 'WARDEN_E_SANDBOX_TIMEOUT' });
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('refuses unsafe options', async () => {
    await expect(runSandboxed({ command: 'true', profile: 'no-network', moduleDir: 'relative/dir' })).rejects.toMatchObject({ code: 'WARDEN_E_SANDBOX_OPTIONS' });
    await expect(runSandboxed({ command: 'true', profile: 'no-network', moduleDir, cwd: root })).rejects.toMatchObject({ code: 'WARDEN_E_SANDBOX_OPTIONS' });
    await expect(runSandboxed({ command: 'true', profile: 'no-network', moduleDir: '/etc' })).rejects.toMatchObject({ code: 'WARDEN_E_SANDBOX_OPTIONS' });
    await expect(runSandboxed({ command: 'true', profile: 'no-network', moduleDir, readOnlyPaths: ['/root'] })).rejects.toMatchObject({ code: 'WARDEN_E_SANDBOX_OPTIONS' });
    await expect(runSandboxed({ command: 'true', profile: 'no-network', moduleDir, env: { HOME: '/root' } })).rejects.toMatchObject({ code: 'WARDEN_E_SANDBOX_OPTIONS' });
    await expect(runSandboxed({ command: 'true', profile: 'everything' as 'loopback', moduleDir })).rejects.toMatchObject({ code: 'WARDEN_E_SANDBOX_OPTIONS' });
    await expect(runSandboxed({ command: 'true', profile: 'registry-only', moduleDir })).rejects.toMatchObject({ code: 'WARDEN_E_SANDBOX_OPTIONS' });
  });

  describe('registry-only', () => {
    let registryPort = 0;
    let otherPort = 0;
    const servers: { close(cb: () => void): void }[] = [];
    beforeAll(async () => {
      const listen = async (body: string) => {
        const s = createHttpServer((_req, res) => res.end(body));
        servers.push(s);
        await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
        return (s.address() as AddressInfo).port;
      };
      registryPort = await listen('REGISTRY-OK');
      otherPort = await listen('OTHER-HOST');
    });
    afterAll(async () => {
      for (const s of servers) await new Promise<void>((r) => s.close(() => r()));
    });

    it('reaches the allow-listed registry through the proxy and nothing else', async () => {
      const code = `
        const net = require('net');
        const viaProxy = (first) => new Promise((res) => {
          const s = net.connect(3128, '127.0.0.1'); let buf = '';
          s.on('data', (d) => { buf += d; if (buf.startsWith('HTTP/1.1 200 Connection') && !s.sent) { s.sent = 1; s.write('GET / HTTP/1.1\\r\\nHost: r\\r\\nConnection: close\\r\\n\\r\\n'); } });
          s.on('end', () => res(buf.split('\\r\\n')[0] + '|' + buf.split('\\r\\n\\r\\n').pop())); s.on('error', (e) => res(e.code));
          s.write(first);
        });
        const direct = (port) => new Promise((res) => { const s = net.connect(port, '127.0.0.1'); s.on('connect', () => res('connected')); s.on('error', (e) => res(e.code)); });
        (async () => console.log(JSON.stringify({
          connectRegistry: await viaProxy('CONNECT 127.0.0.1:${registryPort} HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n'),
          plainRegistry: await viaProxy('GET http://127.0.0.1:${registryPort}/pkg HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n'),
          connectOther: await viaProxy('CONNECT 127.0.0.1:${otherPort} HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n'),
          directRegistry: await direct(${registryPort}),
          proxyEnv: process.env.HTTPS_PROXY,
        })))();`;
      const r = await nodeIn(code, { profile: 'registry-only', registry: { host: '127.0.0.1', port: registryPort } });
      expect(r.json).toMatchObject({
        connectRegistry: expect.stringMatching(/^HTTP\/1\.1 200 .*\|REGISTRY-OK$/),
        plainRegistry: expect.stringMatching(/^HTTP\/1\.1 200 OK\|REGISTRY-OK$/),
        connectOther: 'HTTP/1.1 403 Forbidden|',
        directRegistry: 'ECONNREFUSED',
        proxyEnv: 'http://127.0.0.1:3128',
      });
      expect(JSON.stringify(r.json)).not.toContain('OTHER-HOST');
    });
  });
});

describe('degraded mode (bubblewrap missing)', () => {
  const missing = join(root, 'no-such-bwrap');
  it('fails with WARDEN_E_SANDBOX_UNAVAILABLE unless allowUnsandboxed', async () => {
    await expect(runSandboxed({ command: 'true', profile: 'no-network', moduleDir, bwrapPath: missing })).rejects.toMatchObject({ code: 'WARDEN_E_SANDBOX_UNAVAILABLE' });
  });

  it('refuses install scripts even when allowUnsandboxed', async () => {
    await expect(runSandboxed({ command: 'true', profile: 'no-network', moduleDir, bwrapPath: missing, allowUnsandboxed: true, runsInstallScripts: true })).rejects.toMatchObject({ code: 'WARDEN_E_SANDBOX_SCRIPTS_REFUSED' });
  });

  it('still clears the environment, gives a private HOME and turns scripts off', async () => {
    process.env.WARDEN_TEST_SECRET = 'should-not-leak';
    try {
      const r = await runSandboxed({ command: 'node', args: ['-e', 'console.log(JSON.stringify(process.env))'], profile: 'no-network', moduleDir, bwrapPath: missing, allowUnsandboxed: true });
      expect(r.sandboxed).toBe(false);
      expect(r.warnings[0]).toMatch(/WITHOUT a sandbox/);
      const env = JSON.parse(r.stdout) as Record<string, string>;
      expect(env.WARDEN_TEST_SECRET).toBeUndefined();
      expect(env.HOME).not.toBe(homedir());
      expect(env.HOME).toMatch(/warden-unsandboxed-home-/);
      expect(existsSync(env.HOME!)).toBe(false);
      expect(env.npm_config_ignore_scripts).toBe('true');
    } finally {
      delete process.env.WARDEN_TEST_SECRET;
    }
  });
});
