// bench/install: a verified, sandboxed `warden install` of a module with a real dependency tree
// (@modelcontextprotocol/sdk + zod, ~90 packages) vs `npm ci --omit=dev --ignore-scripts` of the same
// tree, in the same run, cold (empty npm cache) and warm (cache filled by the previous run).
//   npm run bench -- install [--runs 3]
// Needs the npm registry (the only network this benchmark uses) and bubblewrap.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { runSandboxed } from '../dist/sandbox/index.js';
import { median, timeBareNode, timeSandboxedNode } from './lib/common.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const CLI = join(here, '..', 'dist', 'cli', 'index.js');
const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1] || 3) || 3;
const root = mkdtempSync(join(tmpdir(), 'warden-bench-install-'));
const say = (m) => process.stderr.write(`${m}\n`);

function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 26, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed (${r.status}): ${r.stderr}\n${r.stdout}`);
  return r.stdout;
}
const w = (argv, env = {}) => JSON.parse(run(process.execPath, [CLI, '--json', ...argv], { env: { PATH: process.env.PATH, HOME: join(root, 'home'), ...env } }));
const timed = (fn) => {
  const t = performance.now();
  fn();
  return performance.now() - t;
};

// The module: the hello fixture with its real dependencies and a lockfile.
const mod = join(root, 'module');
cpSync(fileURLToPath(new URL('../test/fixtures/modules/hello/', import.meta.url)), mod, { recursive: true });
const pkg = JSON.parse(readFileSync(join(here, '..', 'package.json'), 'utf8'));
writeFileSync(join(mod, 'package.json'), JSON.stringify({ name: 'hello', version: '1.0.0', private: true, type: 'module', dependencies: { '@modelcontextprotocol/sdk': pkg.dependencies['@modelcontextprotocol/sdk'], zod: pkg.dependencies.zod } }, null, 2));
say('resolving the dependency tree (package-lock.json) ...');
run('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: mod });
const lock = JSON.parse(readFileSync(join(mod, 'package-lock.json'), 'utf8'));
const packages = Object.keys(lock.packages).filter((p) => p.startsWith('node_modules/')).length;

// A market on 127.0.0.1 with the module published.
mkdirSync(join(root, 'home'), { recursive: true });
const data = join(root, 'market');
const admin = w(['market', 'init', '--data', data]).adminToken;
const server = spawn(process.execPath, [CLI, 'market', 'serve', '--data', data, '--host', '127.0.0.1', '--port', '0', '--rate-limit', '0,0'], { stdio: ['ignore', 'pipe', 'pipe'] });
const url = await new Promise((resolve, reject) => {
  let out = '';
  server.stdout.on('data', (c) => {
    out += c;
    const m = /market listening on (http:\/\/\S+)/.exec(out);
    if (m) resolve(m[1]);
  });
  server.on('exit', (c) => reject(new Error(`market exited ${c}`)));
});
try {
  const env = { WARDEN_MARKET: url };
  w(['keygen', '--out', join(root, 'keys')]);
  w(['org', 'create', 'acme'], { ...env, WARDEN_TOKEN: admin });
  w(['org', 'key', 'add', 'acme', '--pub', join(root, 'keys', 'warden.pub.pem')], { ...env, WARDEN_TOKEN: admin });
  const token = w(['token', 'create', '--role', 'publisher', '--org', 'acme'], { ...env, WARDEN_TOKEN: admin }).token;
  const pub = spawnSync(process.execPath, [CLI, '--json', 'publish', mod, '--key', join(root, 'keys', 'warden.key.pem')], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: join(root, 'home'), ...env, WARDEN_TOKEN: token } });
  if (JSON.parse(pub.stdout).error?.code === 'WARDEN_E_MARKET_HELD') w(['review', 'approve', 'acme/hello@1.0.0', '--reason', 'bench'], { ...env, WARDEN_TOKEN: admin });
  else if (pub.status !== 0) throw new Error(`publish failed: ${pub.stdout}${pub.stderr}`);

  if (process.env.WARDEN_BENCH_PAUSE) {
    say(`market at ${url}; paused (WARDEN_BENCH_PAUSE)`);
    await new Promise((r) => setTimeout(r, Number(process.env.WARDEN_BENCH_PAUSE)));
  }
  const loadBefore = loadavg().map((l) => +l.toFixed(2));
  const results = { npmCold: [], npmWarm: [], wardenCold: [], wardenWarm: [], sandboxedNpmCold: [] };
  const registryUrl = new URL(run('npm', ['config', 'get', 'registry']).trim());
  const registry = { host: registryUrl.hostname, port: Number(registryUrl.port || (registryUrl.protocol === 'http:' ? 80 : 443)) };
  for (let r = 0; r < RUNS; r++) {
    say(`run ${r + 1}/${RUNS} ...`);
    const npmCache = join(root, `npm-cache-${r}`);
    for (const phase of ['Cold', 'Warm']) {
      const tree = join(root, `npm-${r}-${phase}`);
      cpSync(mod, tree, { recursive: true });
      results[`npm${phase}`].push(timed(() => run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--cache', npmCache], { cwd: tree })));
    }
    const dir = join(root, `warden-${r}`);
    results.wardenCold.push(timed(() => w(['install', 'acme/hello@1.0.0', '--dir', dir, '--deps-network', 'registry'], env)));
    w(['uninstall', 'acme/hello', '--dir', dir]);
    results.wardenWarm.push(timed(() => w(['install', 'acme/hello@1.0.0', '--dir', dir, '--deps-network', 'registry'], env)));
    // Not part of the ratio: the installer's own npm step alone (same arguments, sandbox and
    // registry-only proxy, empty cache), to tell the sandbox's share from Warden's fixed costs.
    const boxTree = join(root, `box-npm-${r}`);
    const boxHome = join(root, `box-home-${r}`);
    cpSync(mod, boxTree, { recursive: true });
    mkdirSync(boxHome);
    const t = performance.now();
    const res = await runSandboxed({ command: 'npm', args: ['ci', '--omit=dev', '--no-audit', '--no-fund', '--no-update-notifier', '--ignore-scripts', '--prefer-offline'], profile: 'registry-only', registry, moduleDir: boxTree, homeDir: boxHome });
    if (res.code !== 0) throw new Error(`sandboxed npm ci failed: ${res.stderr.slice(-500)}`);
    results.sandboxedNpmCold.push(performance.now() - t);
  }

  // Where one more cold install spends its time, from Warden's progress lines.
  const breakdownMs = await new Promise((resolve, reject) => {
    const t0 = performance.now();
    const marks = {};
    const child = spawn(process.execPath, [CLI, 'install', 'acme/hello@1.0.0', '--dir', join(root, 'warden-breakdown'), '--deps-network', 'registry'], { env: { PATH: process.env.PATH, HOME: join(root, 'home'), ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.on('data', (c) => {
      for (const [key, re] of [['fetch', /… fetching/], ['deps', /… installing dependencies/], ['probe', /… starting the server/]]) if (!marks[key] && re.test(String(c))) marks[key] = performance.now() - t0;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const end = performance.now() - t0;
      if (code !== 0 || !marks.fetch || !marks.deps || !marks.probe) return reject(new Error(`breakdown install failed (${code})`));
      const r = (x) => Math.round(x);
      resolve({ total: r(end), cliStart: r(marks.fetch), fetchVerifyExtract: r(marks.deps - marks.fetch), depsInSandbox: r(marks.probe - marks.deps), probeHashLockExit: r(end - marks.probe) });
    });
  });

  // Sandbox start-up per launch: `node -e 0` through the launcher vs started directly, both
  // asynchronously (bench/sandbox has the same measure with more runs and every profile).
  const box = mkdtempSync(join(root, 'box-'));
  const bare = [];
  const boxed = [];
  await timeBareNode();
  await timeSandboxedNode('no-network', box); // warm-up
  for (let i = 0; i < 15; i++) {
    bare.push(await timeBareNode());
    boxed.push(await timeSandboxedNode('no-network', box));
  }
  const loadAfter = loadavg().map((l) => +l.toFixed(2));
  const m = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, Math.round(median(v))]));
  const out = {
    packages,
    runs: RUNS,
    medianMs: m,
    // Every run, in order: the spread says more than the median on a shared machine.
    runsMs: Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v.map(Math.round)])),
    loadAverage: { before: loadBefore, after: loadAfter },
    breakdownMs,
    ratio: { cold: +(m.wardenCold / m.npmCold).toFixed(2), warm: +(m.wardenWarm / m.npmWarm).toFixed(2) },
    sandboxLaunch: { bareNodeMs: Math.round(median(bare)), sandboxedNodeMs: Math.round(median(boxed)), addedMs: Math.round(median(boxed) - median(bare)) },
  };
  console.log(JSON.stringify(out, null, 2));
  console.log(`\nverified install of ${packages} packages: cold ${m.wardenCold} ms vs npm ci ${m.npmCold} ms → ${out.ratio.cold}x; warm ${m.wardenWarm} ms vs ${m.npmWarm} ms → ${out.ratio.warm}x (target <= 1.3x); load average ${loadBefore[0]} → ${loadAfter[0]}`);
  console.log(`sandbox start-up per launch: ${out.sandboxLaunch.addedMs >= 0 ? "+" : ""}${out.sandboxLaunch.addedMs} ms (node -e 0: ${out.sandboxLaunch.bareNodeMs} ms bare, ${out.sandboxLaunch.sandboxedNodeMs} ms sandboxed)`);
} finally {
  server.kill();
  rmSync(root, { recursive: true, force: true });
}
