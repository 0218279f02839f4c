#!/usr/bin/env node
// Look-alike name engine benchmark: detection quality and speed at registry scale.
//
//   npm run bench -- naming [--names 1000000] [--queries 4000] [--scan 15]
//
// 1. Quality. Existing = npm top 5,000 (weight 1e9/rank, Zipf-like) + 472 MCP registry names
//    (weight 10,000). New legitimate publishes = npm names ranked 5,001-15,113: share blocked and
//    sent to review. Squats = test/fixtures/naming/squats-generated.tsv (bench/naming/gen-squats.mjs)
//    and squats-handwritten.tsv: share caught (block or review) and blocked, by operator.
// 2. Scale. An index of --names names (the real lists + deterministic synthetic names built from
//    their words and orgs): build time, memory, query p50/p99 over squats and fresh names, and in
//    the same run a linear scan of all plain forms with fastest-levenshtein (the baseline).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { distance as levenshtein } from 'fastest-levenshtein';
import { NameIndex, parseNamesList, plainForm } from '../dist/naming/index.js';
import { loadCommonWords } from '../dist/naming/names-file.js';
import { mulberry32 } from './lib/common.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const DATA = process.env.WARDEN_DATA ?? join(root, '..', 'shared', 'data');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const N = opt('--names', 1_000_000);
const Q = opt('--queries', 4000);
const SCAN = opt('--scan', 15);

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
const lines = (file) => readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
const npm = lines(join(DATA, 'npm-popular-names.txt'));
const mcp = lines(join(DATA, 'mcp-registry-names.txt'));
const fixtures = join(root, 'test', 'fixtures', 'naming');
const generated = lines(join(fixtures, 'squats-generated.tsv')).map((l) => l.split('\t'));
const handwritten = lines(join(fixtures, 'squats-handwritten.tsv')).map((l) => l.split('\t'));
const extra = parseNamesList(readFileSync(join(fixtures, 'extra-existing.txt'), 'utf8'));
const pct = (a, b) => `${((100 * a) / b).toFixed(2)}%`;
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

// ---------------------------------------------------------------- quality
console.log('# naming benchmark\n');
const commonWords = loadCommonWords();
const withWords = { commonWords };
const quality = new NameIndex(undefined, withWords);
npm.slice(0, 5000).forEach((name, i) => quality.add({ name, weight: Math.round(1e9 / (i + 1)) }));
for (const name of mcp) quality.add({ name, weight: 10_000 });

const fresh = npm.slice(5000);
let fb = 0;
let fr = 0;
let fbSeparator = 0;
const fbReasons = {};
for (const name of fresh) {
  const v = quality.check(name);
  if (v.verdict === 'block') {
    fb++;
    if (v.reasons.length === 1 && v.reasons[0] === 'NAME_SEPARATOR') fbSeparator++;
    for (const r of v.reasons) fbReasons[r] = (fbReasons[r] ?? 0) + 1;
  } else if (v.verdict === 'review') fr++;
}
console.log(`## legitimate publishes: npm ranks 5,001-15,113 (${fresh.length}) against the top 5,000 + MCP names`);
console.log(`blocked ${fb} (${pct(fb, fresh.length)}; target <= 0.3%), of which ${fbSeparator} are separator-only twins npm itself now refuses`);
console.log(`review  ${fr} (${pct(fr, fresh.length)})`);
console.log(`blocked by reason: ${JSON.stringify(fbReasons)}\n`);

// The npm set holds no MCP server names, so it cannot show what the policy does to legitimate
// MCP servers. Leave-one-out over the real registry names: each one is checked as a new publish
// against the npm top 5,000 and the 471 others (the same author's other servers included).
let mb = 0;
let mr = 0;
const mcpBlocked = [];
for (const name of mcp) {
  quality.remove(name);
  const v = quality.check(name);
  if (v.verdict === 'block') {
    mb++;
    mcpBlocked.push(`${name} (${v.matches[0]?.existing}: ${v.reasons.join(',')})`);
  } else if (v.verdict === 'review') mr++;
  quality.add({ name, weight: 10_000 });
}
console.log(`## legitimate MCP servers: each of the ${mcp.length} registry names against the npm top 5,000 + the other ${mcp.length - 1}`);
console.log(`blocked ${mb} (${pct(mb, mcp.length)}), review ${mr} (${pct(mr, mcp.length)})`);
for (const b of mcpBlocked) console.log(`  blocked: ${b}`);
console.log('');

function squatStats(rows, index, label) {
  const by = {};
  const split = {};
  let caught = 0;
  let blocked = 0;
  for (const [candidate, , op, sp] of rows) {
    const v = index.check(candidate);
    const fam = op.split('/')[0];
    by[fam] ??= { n: 0, caught: 0, blocked: 0 };
    by[fam].n++;
    if (sp) {
      split[sp] ??= { n: 0, caught: 0, blocked: 0 };
      split[sp].n++;
    }
    if (v.verdict !== 'allow') {
      caught++;
      by[fam].caught++;
      if (sp) split[sp].caught++;
    }
    if (v.verdict === 'block') {
      blocked++;
      by[fam].blocked++;
      if (sp) split[sp].blocked++;
    }
  }
  console.log(`## ${label} (${rows.length})`);
  console.log(`caught ${pct(caught, rows.length)} (target >= 97%), blocked ${pct(blocked, rows.length)} (target >= 80%)`);
  for (const [sp, s] of Object.entries(split)) console.log(`  split ${sp.padEnd(8)} n=${s.n} caught ${pct(s.caught, s.n)} blocked ${pct(s.blocked, s.n)}`);
  if (rows[0]?.[3]) {
    console.log('  | operator | n | caught | blocked |\n  |---|---|---|---|');
    for (const [fam, s] of Object.entries(by).sort()) console.log(`  | ${fam} | ${s.n} | ${pct(s.caught, s.n)} | ${pct(s.blocked, s.n)} |`);
  }
  console.log('');
  return { caught: caught / rows.length, blocked: blocked / rows.length };
}
squatStats(generated, quality, 'generated squats (index: npm top 5,000 + MCP names)');
const full = new NameIndex(undefined, withWords);
npm.forEach((name, i) => full.add({ name, weight: Math.round(1e9 / (i + 1)) }));
for (const name of mcp) full.add({ name, weight: 10_000 });
for (const e of extra) full.add(e);
squatStats(handwritten.map(([c, t, , how]) => [c, t, how]), full, 'hand-written squats (index: all 15,113 npm names + MCP + extra-existing.txt)');

// ---------------------------------------------------------------- scale
const rand = mulberry32(42);
const pick = (a) => a[Math.floor(rand() * a.length)];
const words = [...new Set([...npm, ...mcp].flatMap((n) => n.replace(/^@/, '').split(/[/._-]+/)).filter((w) => /^[a-z][a-z0-9]{1,14}$/.test(w)))];
const orgs = [...new Set(mcp.map((n) => n.split('/')[0]))];
const scopes = [...new Set(npm.filter((n) => n.startsWith('@')).map((n) => n.slice(1, n.indexOf('/'))))];
function synthName() {
  const k = 1 + Math.floor(rand() * 3);
  const parts = [];
  for (let i = 0; i < k; i++) parts.push(pick(words));
  if (rand() < 0.2) parts.push(pick(['mcp', 'server', 'mcp-server', 'js', 'cli', 'tools']));
  const name = parts.join('-');
  const r = rand();
  if (r < 0.5) return `${rand() < 0.3 ? pick(orgs) : `io.github.${pick(words)}${rand() < 0.5 ? Math.floor(rand() * 1000) : `-${pick(words)}`}`}/${name}`;
  if (r < 0.75) return `@${rand() < 0.3 ? pick(scopes) : `${pick(words)}${Math.floor(rand() * 100)}`}/${name}`;
  return name;
}
// Lower case: the index folds case, so `Foo` and `foo` would be one name.
const all = new Set([...npm, ...mcp].map((n) => n.toLowerCase()));
while (all.size < N) all.add(synthName());
const names = [...all];
const freshQueries = [];
while (freshQueries.length < Math.ceil(Q / 2)) {
  const n = synthName();
  if (!all.has(n)) freshQueries.push(n);
}
const queries = [...generated.map((r) => r[0]), ...handwritten.map((r) => r[0])].slice(0, Q - freshQueries.length).concat(freshQueries);

gc();
const before = process.memoryUsage();
const big = new NameIndex(undefined, withWords);
const t0 = performance.now();
// Zipf-like weights over a shuffled order: a few very popular names, a long tail of small ones.
for (let i = 0; i < names.length; i++) big.add({ name: names[i], weight: Math.floor(5e6 / (1 + ((i * 2654435761) % names.length))) });
const buildMs = performance.now() - t0;
gc();
const after = process.memoryUsage();
const heapMb = (after.heapUsed - before.heapUsed + after.arrayBuffers - before.arrayBuffers) / 2 ** 20;

for (const q of queries.slice(0, 300)) big.check(q); // warm-up
// Wall-clock latency, and the CPU time of this thread for the same call (the machine is shared:
// wall-clock tails include time the process was not scheduled).
const lat = [];
const cpu = [];
const verdicts = { allow: 0, review: 0, block: 0 };
for (const q of queries) {
  const c = process.cpuUsage();
  const s = performance.now();
  const v = big.check(q);
  lat.push(performance.now() - s);
  const d = process.cpuUsage(c);
  cpu.push((d.user + d.system) / 1000);
  verdicts[v.verdict]++;
}
const p50 = quantile(lat, 0.5);
const p99 = quantile(lat, 0.99);
// Two more passes over all queries; each query keeps its fastest of the three passes. Passes
// (not back-to-back repeats) keep CPU caches cold for every query, while the scheduler noise of
// a shared 2-core machine (other jobs, GC threads) mostly drops out.
const best = [...lat];
for (let pass = 0; pass < 2; pass++) {
  queries.forEach((q, i) => {
    const s = performance.now();
    big.check(q);
    best[i] = Math.min(best[i], performance.now() - s);
  });
}
const load = (await import('node:os')).loadavg()[0];

// Baseline: linear scan of every plain form with fastest-levenshtein (edit distance only — it
// does not even look for homoglyphs, affixes or orgs, so it is a generous baseline).
const plains = names.map((n) => plainForm(n.replace(/^@?[^/]*\//, '')));
const scanLat = [];
let scanHits = 0;
for (const q of queries.filter((_, i) => i % Math.floor(queries.length / SCAN) === 0).slice(0, SCAN)) {
  const qp = plainForm(q.replace(/^@?[^/]*\//, ''));
  const s = performance.now();
  for (let i = 0; i < plains.length; i++) if (levenshtein(qp, plains[i]) <= 2) scanHits++;
  scanLat.push(performance.now() - s);
}
const scanP50 = quantile(scanLat, 0.5);

console.log(`## scale: ${big.size.toLocaleString('en-US')} names (${(npm.length + mcp.length).toLocaleString('en-US')} real + synthetic from their words and orgs)`);
console.log(`build ${(buildMs / 1000).toFixed(1)} s (${((buildMs * 1000) / names.length).toFixed(1)} µs/name, incremental add())`);
console.log(`memory: memoryBytes() ${(big.memoryBytes() / 2 ** 20).toFixed(0)} MiB; heap+arrayBuffers growth ${heapMb.toFixed(0)} MiB; rss ${(after.rss / 2 ** 20).toFixed(0)} MiB`);
console.log(`queries ${queries.length} (${queries.length - freshQueries.length} squats, ${freshQueries.length} fresh names): wall p50 ${p50.toFixed(3)} ms, p99 ${p99.toFixed(3)} ms (target < 2 ms), max ${Math.max(...lat).toFixed(2)} ms`);
console.log(`  best of 3 passes per query: p50 ${quantile(best, 0.5).toFixed(3)} ms, p99 ${quantile(best, 0.99).toFixed(3)} ms, max ${Math.max(...best).toFixed(2)} ms`);
console.log(`  cpu time per query: p50 ${quantile(cpu, 0.5).toFixed(3)} ms, p99 ${quantile(cpu, 0.99).toFixed(3)} ms (load average ${load.toFixed(1)} on ${(await import('node:os')).cpus().length} cores)`);
console.log(`verdicts: ${JSON.stringify(verdicts)}`);
console.log(`baseline linear scan (fastest-levenshtein over ${plains.length.toLocaleString('en-US')} plain forms, ${scanLat.length} queries): p50 ${scanP50.toFixed(1)} ms`);
console.log(`speed-up p50: ${(scanP50 / p50).toFixed(0)}x (target >= 100x)`);
