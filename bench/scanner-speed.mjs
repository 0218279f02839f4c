// Scanner speed on a real dependency tree: @modelcontextprotocol/sdk and its dependencies as
// installed in node_modules. Compares a full scan (all rules, secrets, tools, capabilities) with
// parse-only time using the same parsers (oxc-parser for JS/TS, web-tree-sitter for Python) on the
// same in-memory files in the same run. Target: full scan <= 2.5x parse-only.
//   npm run bench -- scanner-speed [--runs N] [--root PACKAGE]
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { scan } from '../dist/scanner/index.js';
import { parseJs } from '../dist/scanner/js-facts.js';
import { pythonParser } from '../dist/scanner/py-facts.js';
import { median } from './lib/common.mjs';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 5;
const rootPkg = args.includes('--root') ? args[args.indexOf('--root') + 1] : '@modelcontextprotocol/sdk';
const NM = join(process.cwd(), 'node_modules');

// The package and its runtime dependency closure, as npm hoisted it.
const pkgs = new Set();
const queue = [rootPkg];
while (queue.length) {
  const name = queue.shift();
  if (pkgs.has(name) || !existsSync(join(NM, name, 'package.json'))) continue;
  pkgs.add(name);
  const pj = JSON.parse(readFileSync(join(NM, name, 'package.json'), 'utf8'));
  queue.push(...Object.keys(pj.dependencies ?? {}), ...Object.keys(pj.optionalDependencies ?? {}));
}
const SKIP = /\.(png|jpe?g|gif|ico|woff2?|ttf|map|wasm|node|gz|tgz|zip|pdf)$/i;
const files = [];
const walk = (dir, rel) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isSymbolicLink() || e.name === 'node_modules') continue;
    const full = join(dir, e.name);
    if (e.isDirectory()) walk(full, `${rel}/${e.name}`);
    else if (e.isFile() && !SKIP.test(e.name) && statSync(full).size <= 8 * 1024 * 1024) files.push({ path: `${rel}/${e.name}`, text: readFileSync(full, 'utf8') });
  }
};
for (const p of pkgs) walk(join(NM, p), p);
const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.text), 0);
const JS = /\.(js|mjs|cjs|jsx|ts|mts|cts|tsx)$/i;
const DTS = /\.d\.(ts|mts|cts)$/i;
const py = await pythonParser();

function parseOnly() {
  for (const f of files) {
    // oxc-parser deserializes the AST lazily: reading `.program` is part of parsing for any JS consumer.
    if (JS.test(f.path) && !DTS.test(f.path)) void parseJs(f.path, f.text).program;
    else if (f.path.endsWith('.py')) py.parse(f.text).delete();
  }
}

// Warm up both paths (JIT, rule loading, secretlint, naming index) before measuring.
parseOnly();
let report = await scan({ files, label: rootPkg });
const parseMs = [];
const scanMs = [];
for (let i = 0; i < runs; i++) {
  let t = performance.now();
  parseOnly();
  parseMs.push(performance.now() - t);
  t = performance.now();
  report = await scan({ files, label: rootPkg });
  scanMs.push(performance.now() - t);
}
const p = median(parseMs);
const s = median(scanMs);
const mb = bytes / 1024 / 1024;
console.log(`scanner-speed: ${rootPkg} + deps: ${pkgs.size} packages, ${files.length} files, ${mb.toFixed(1)} MB (${runs} runs, medians)`);
console.log(`  parse only  ${p.toFixed(0).padStart(6)} ms   ${(mb / (p / 1000)).toFixed(1).padStart(6)} MB/s   ${(files.length / (p / 1000)).toFixed(0).padStart(6)} files/s`);
console.log(`  full scan   ${s.toFixed(0).padStart(6)} ms   ${(mb / (s / 1000)).toFixed(1).padStart(6)} MB/s   ${(files.length / (s / 1000)).toFixed(0).padStart(6)} files/s`);
console.log(`  ratio full/parse-only: ${(s / p).toFixed(2)}x (target <= 2.5x)`);
console.log(`  findings: ${report.findings.length} (${Object.entries(report.summary).filter(([, n]) => n).map(([k, n]) => `${n} ${k}`).join(', ')}), score ${report.score}, rating ${report.rating}`);
