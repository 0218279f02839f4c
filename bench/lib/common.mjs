// Helpers shared by the benchmarks (bench/*.mjs): one definition of each statistic, the seeded
// generator of the synthetic data, and the process start-up timing that bench/sandbox and
// bench/install both report.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** Median; the mean of the two middle values for an even count. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** mulberry32: a small seeded PRNG, so generated data sets are the same on every run. */
export function mulberry32(seed) {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Wall time of `node -e 0` started directly (asynchronously, as the sandbox launch is). */
export function timeBareNode() {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const c = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore', env: { PATH: '/usr/bin:/bin' } });
    c.on('error', reject);
    c.on('close', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`bare node exited ${code}`))));
  });
}

/** Wall time of `node -e 0` through Warden's sandbox launcher (needs the build in dist/). */
export async function timeSandboxedNode(profile, moduleDir) {
  const { runSandboxed } = await import('../../dist/sandbox/launch.js');
  const t0 = performance.now();
  const r = await runSandboxed({ command: 'node', args: ['-e', '0'], profile, moduleDir, timeoutMs: 30_000, ...(profile === 'registry-only' ? { registry: { host: '127.0.0.1', port: 9 } } : {}) });
  if (r.code !== 0) throw new Error(`sandboxed node exited ${r.code}: ${r.stderr}`);
  return performance.now() - t0;
}
