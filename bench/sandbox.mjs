// Sandbox start-up cost per launch: `node -e 0` inside the sandbox (bubblewrap + prlimit, the
// same launcher the installer and `warden run` use) vs bare `node -e 0`, medians of N runs.
// Usage: npm run bench -- sandbox [N]   (default N = 30; needs a build: npm run build)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const { runSandboxed } = await import('../dist/sandbox/launch.js');
const N = Number(process.argv[2] ?? 30);
const moduleDir = mkdtempSync(join(tmpdir(), 'warden-bench-sandbox-'));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function bare() {
  return new Promise((res, rej) => {
    const t0 = performance.now();
    const c = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore', env: { PATH: '/usr/bin:/bin' } });
    c.on('error', rej);
    c.on('close', (code) => (code === 0 ? res(performance.now() - t0) : rej(new Error(`exit ${code}`))));
  });
}

async function sandboxed(profile) {
  const t0 = performance.now();
  const r = await runSandboxed({ command: 'node', args: ['-e', '0'], profile, moduleDir, timeoutMs: 30_000, ...(profile === 'registry-only' ? { registry: { host: '127.0.0.1', port: 9 } } : {}) });
  if (r.code !== 0) throw new Error(`sandboxed exit ${r.code}: ${r.stderr}`);
  return performance.now() - t0;
}

const cases = { bare: () => bare(), 'no-network': () => sandboxed('no-network'), 'registry-only': () => sandboxed('registry-only') };
const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
try {
  for (const run of Object.values(cases)) await run(); // warm-up (probe, page cache)
  for (let i = 0; i < N; i++) {
    // Interleaved so machine noise hits every case alike.
    for (const [k, run] of Object.entries(cases)) times[k].push(await run());
  }
} finally {
  rmSync(moduleDir, { recursive: true, force: true });
}
const base = median(times.bare);
console.log(`sandbox start-up, node ${process.version}, ${N} runs each (median ms)`);
for (const k of Object.keys(cases)) {
  const m = median(times[k]);
  console.log(`${k.padEnd(14)} ${m.toFixed(1).padStart(7)} ms   x${(m / base).toFixed(2)}   +${(m - base).toFixed(1)} ms`);
}
