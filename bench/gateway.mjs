// `npm run bench -- gateway [--calls 2000] [--concurrency 16] [--rounds 3] [--redis]`
//
// tools/call (echo) throughput and latency at fixed concurrency, same client (a real MCP SDK
// Client over Streamable HTTP, one session, N calls in flight), same upstream
// (@modelcontextprotocol/server-everything), same run, interleaved rounds, medians:
//   direct-stdio   client spawns the upstream over stdio (no proxy, no HTTP)
//   direct-http    client → upstream's own Streamable HTTP endpoint
//   warden-http    client → Warden → upstream Streamable HTTP (all defences on)
//   warden-stdio   client → Warden → upstream stdio (all defences on)
//   supergateway   client → supergateway (stdio→streamableHttp, stateful) → upstream stdio
//   mcp-proxy      client → mcp-proxy (stream) → upstream stdio
// "All defences on" = ES256 JWT auth, policy rule with an argument JSON Schema, per-key and
// per-key+tool rate limits (memory; Redis with --redis), all four anomaly detectors, tool pinning,
// result masking (redaction of every result), audit with payloads (redacted, AES-256-GCM, chained),
// pino logging at info, Prometheus metrics. Each proxy runs as its own process.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const require = createRequire(import.meta.url);
const EVERYTHING = require.resolve('@modelcontextprotocol/server-everything/dist/index.js');
const CLI = join(root, 'dist/cli/index.js');
const SUPERGATEWAY = join(root, 'node_modules/supergateway/dist/index.js');
const MCP_PROXY = join(root, 'node_modules/mcp-proxy/dist/bin/mcp-proxy.mjs');

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const CALLS = arg('calls', 2000);
const CONC = arg('concurrency', 16);
const ONLY = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1].split(',') : undefined;
const ROUNDS = arg('rounds', 3);
const WARMUP = 300;
const USE_REDIS = process.argv.includes('--redis');

/** CPU time (user+system, ms) a process has used so far, from /proc (Linux). */
function cpuMs(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const parts = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return ((Number(parts[11]) + Number(parts[12])) * 1000) / 100; // clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });

function startProc(cmd, args, env, readyRe) {
  const child = spawn(cmd, args, { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const ready = !readyRe ? Promise.resolve() : new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${args.join(' ')} not ready: ${out.slice(-500)}`)), 30_000);
    const on = (d) => {
      out += d.toString();
      if (out.length > 100_000) out = out.slice(-10_000);
      const m = readyRe.exec(out);
      if (m) {
        clearTimeout(t);
        resolve(m);
      }
    };
    child.stdout.on('data', on);
    child.stderr.on('data', on);
    child.once('exit', (c) => reject(new Error(`${cmd} exited ${c}: ${out.slice(-500)}`)));
  });
  const stop = () =>
    new Promise((r) => {
      if (child.exitCode !== null) return r();
      child.once('exit', () => r());
      child.kill('SIGKILL');
    });
  return { child, ready, stop };
}

async function waitHttp(url) {
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(url, { method: 'GET' });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${url} never answered`);
}

/** Runs CALLS echo calls with CONC in flight on one session; returns throughput and percentiles. */
async function measure(client, n, proxyPid) {
  const cpu0 = proxyPid ? cpuMs(proxyPid) : NaN;
  const lat = new Float64Array(n);
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= n) return;
      const s = performance.now();
      const r = await client.callTool({ name: 'echo', arguments: { message: `bench ${i} alice@example.com` } });
      lat[i] = performance.now() - s;
      if (!r.content?.[0]?.text?.startsWith('Echo:')) throw new Error(`bad result ${JSON.stringify(r)}`);
    }
  };
  await Promise.all(Array.from({ length: CONC }, worker));
  const secs = (performance.now() - t0) / 1000;
  const sorted = [...lat].sort((a, b) => a - b);
  const q = (p) => sorted[Math.min(n - 1, Math.floor(p * n))];
  const proxyCpuUsPerCall = proxyPid ? ((cpuMs(proxyPid) - cpu0) * 1000) / n : NaN;
  return { rps: n / secs, p50: q(0.5), p99: q(0.99), cpu: proxyCpuUsPerCall };
}

async function httpClient(url, token) {
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), token ? { requestInit: { headers: { Authorization: `Bearer ${token}` } } } : {}));
  return client;
}

const tmp = mkdtempSync(join(tmpdir(), 'warden-bench-gw-'));
const stops = [];
const contenders = {};

try {
  // Upstream for the HTTP topology.
  const upPort = await freePort();
  const up = startProc(process.execPath, [EVERYTHING, 'streamableHttp'], { PORT: String(upPort) }, /listening on port/);
  stops.push(up.stop);
  await up.ready;
  const upstreamUrl = `http://127.0.0.1:${upPort}/mcp`;

  // Warden: one process serving both topologies, every defence on.
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  writeFileSync(join(tmp, 'jwt.pub.pem'), await exportSPKI(publicKey));
  writeFileSync(join(tmp, 'audit-keys.json'), JSON.stringify({ active: 'k1', keys: { k1: randomBytes(32).toString('base64') } }), { mode: 0o600 });
  const wPort = await freePort();
  const cfg = {
    listen: { host: '127.0.0.1', port: wPort },
    publicUrl: 'https://gw.bench',
    stateDir: join(tmp, 'state'),
    auth: { apiKeys: true, jwt: { issuer: 'https://issuer.bench', keys: [join(tmp, 'jwt.pub.pem')], algorithms: ['ES256'] } },
    servers: {
      stdio: { transport: 'stdio', command: 'node', args: [EVERYTHING, 'stdio'] },
      http: { transport: 'streamable-http', url: upstreamUrl },
    },
    policy: { rules: [{ id: 'bench', groups: ['bench'], servers: ['*'], allowTools: ['echo'], denyTools: ['get-env'], arguments: { echo: { type: 'object', properties: { message: { type: 'string', maxLength: 1000 } }, required: ['message'] } } }] },
    rateLimits: { perKey: { points: 1_000_000, durationSec: 1 }, perKeyTool: { points: 1_000_000, durationSec: 1 }, perTenant: { points: 1_000_000, durationSec: 1 } },
    ...(USE_REDIS ? { redis: { url: 'redis://127.0.0.1:6379', keyPrefix: `warden:bench:${process.pid}:` } } : {}),
    anomaly: {
      rateSpike: { intervalSec: 10, alpha: 0.3, z: 1000, minCount: 1_000_000, warmupIntervals: 6, action: 'alert' },
      deniedBurst: { count: 100, windowSec: 60, action: 'block' },
      offHours: { timezone: 'UTC', minHistory: 1_000_000, action: 'alert' },
      newTool: { warmupCalls: 1_000_000, action: 'log' },
    },
    redaction: { maskResults: true },
    pinning: { mode: 'tofu' },
    audit: { keysFile: join(tmp, 'audit-keys.json'), includePayloads: true },
    log: { level: 'info', file: join(tmp, 'gateway.log') },
    metrics: { enabled: true },
  };
  writeFileSync(join(tmp, 'gateway.yaml'), JSON.stringify(cfg)); // JSON is YAML
  const prof = process.env.BENCH_PROF_DIR ? [`--cpu-prof`, `--cpu-prof-dir=${process.env.BENCH_PROF_DIR}`] : [];
  const warden = startProc(process.execPath, [...prof, CLI, 'gateway', '--config', join(tmp, 'gateway.yaml')], {}, /listening on (\S+)/);
  stops.push(prof.length ? () => new Promise((r) => { warden.child.once('exit', r); warden.child.kill('SIGTERM'); }) : warden.stop);
  await warden.ready;
  const token = await new SignJWT({ groups: ['bench'], tenant: 't1' })
    .setProtectedHeader({ alg: 'ES256' })
    .setSubject('bench-user')
    .setIssuer('https://issuer.bench')
    .setAudience('https://gw.bench')
    .setExpirationTime('2h')
    .sign(privateKey);

  const sgPort = await freePort();
  const sg = startProc(
    process.execPath,
    [SUPERGATEWAY, '--stdio', `${process.execPath} ${EVERYTHING} stdio`, '--outputTransport', 'streamableHttp', '--stateful', '--port', String(sgPort), '--logLevel', 'none'],
    {},
    null,
  );
  stops.push(sg.stop);
  const mpPort = await freePort();
  const mp = startProc(process.execPath, [MCP_PROXY, '--host', '127.0.0.1', '--port', String(mpPort), '--server', 'stream', process.execPath, EVERYTHING, 'stdio'], {}, null);
  stops.push(mp.stop);
  await Promise.all([waitHttp(`http://127.0.0.1:${sgPort}/mcp`), waitHttp(`http://127.0.0.1:${mpPort}/mcp`)]);

  const make = {
    'direct-stdio': async () => {
      const c = new Client({ name: 'bench', version: '1' });
      await c.connect(new StdioClientTransport({ command: process.execPath, args: [EVERYTHING, 'stdio'], stderr: 'ignore' }));
      return c;
    },
    'direct-http': () => httpClient(upstreamUrl),
    'warden-http': () => httpClient(`http://127.0.0.1:${wPort}/mcp/http`, token),
    'warden-stdio': () => httpClient(`http://127.0.0.1:${wPort}/mcp/stdio`, token),
    supergateway: () => httpClient(`http://127.0.0.1:${sgPort}/mcp`),
    'mcp-proxy': () => httpClient(`http://127.0.0.1:${mpPort}/mcp`),
  };
  const clients = {};
  const pids = { 'warden-http': warden.child.pid, 'warden-stdio': warden.child.pid, supergateway: sg.child.pid, 'mcp-proxy': mp.child.pid, 'direct-http': up.child.pid };
  for (const [name, f] of Object.entries(make)) {
    if (ONLY && !ONLY.includes(name)) continue;
    try {
      clients[name] = await f();
      await measure(clients[name], WARMUP);
      contenders[name] = [];
    } catch (e) {
      console.error(`${name}: cannot run (${e.message})`);
    }
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of Object.keys(contenders)) contenders[name].push(await measure(clients[name], CALLS, pids[name] ?? clients[name].transport?.pid));
    process.stderr.write(`round ${round + 1}/${ROUNDS} done\n`);
  }
  await Promise.all(Object.values(clients).map((c) => c.close().catch(() => {})));

  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const rows = Object.fromEntries(Object.entries(contenders).map(([n, rs]) => [n, { rps: med(rs.map((r) => r.rps)), p50: med(rs.map((r) => r.p50)), p99: med(rs.map((r) => r.p99)), cpu: med(rs.map((r) => r.cpu)) }]));
  console.log(`\ntools/call echo, ${CALLS} calls x ${ROUNDS} rounds, concurrency ${CONC}, one session each; medians${USE_REDIS ? '; Warden limits in Redis' : ''}`);
  console.log('(cpu µs/call: CPU time of the proxy process per call — of the upstream for direct-*; load-independent)');
  console.log('contender       calls/s    p50 ms   p99 ms   cpu µs/call');
  for (const [n, r] of Object.entries(rows)) console.log(`${n.padEnd(14)} ${r.rps.toFixed(0).padStart(8)} ${r.p50.toFixed(2).padStart(9)} ${r.p99.toFixed(2).padStart(8)} ${Number.isNaN(r.cpu) ? '           -' : r.cpu.toFixed(0).padStart(12)}`);
  const ratio = (a, b) => (rows[a] && rows[b] ? rows[a].rps / rows[b].rps : NaN);
  console.log('');
  console.log(`warden-http / direct-http throughput: ${ratio('warden-http', 'direct-http').toFixed(2)} (target >= 0.70); p99 added ${(rows['warden-http']?.p99 - rows['direct-http']?.p99).toFixed(2)} ms (target <= 3)`);
  console.log(`warden-stdio / direct-stdio throughput: ${ratio('warden-stdio', 'direct-stdio').toFixed(2)}; p99 added ${(rows['warden-stdio']?.p99 - rows['direct-stdio']?.p99).toFixed(2)} ms`);
  console.log(`warden-stdio / supergateway: ${ratio('warden-stdio', 'supergateway').toFixed(2)}; warden-stdio / mcp-proxy: ${ratio('warden-stdio', 'mcp-proxy').toFixed(2)}`);
  console.log(`machine load average at the end: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
} finally {
  for (const s of stops.reverse()) await s();
  rmSync(tmp, { recursive: true, force: true });
}
