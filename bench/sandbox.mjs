// Sandbox start-up cost per launch: `node -e 0` inside the sandbox (bubblewrap + prlimit, the
// same launcher the installer and `warden run` use) vs bare `node -e 0`, medians of N runs.
// Usage: npm run bench -- sandbox [N]   (default N = 30; needs a build: npm run build)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, timeBareNode, timeSandboxedNode } from './lib/common.mjs';

const N = Number(process.argv[2] ?? 30);
const moduleDir = mkdtempSync(join(tmpdir(), 'warden-bench-sandbox-'));

const cases = { bare: () => timeBareNode(), 'no-network': () => timeSandboxedNode('no-network', moduleDir), 'registry-only': () => timeSandboxedNode('registry-only', moduleDir) };
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
