#!/usr/bin/env node
// Generates the labelled squat set test/fixtures/naming/squats-generated.tsv from the popular
// name lists, applying attack operators with a fixed seed (same output on every run).
//
//   node bench/naming/gen-squats.mjs [--seed 20260527] [--out test/fixtures/naming/squats-generated.tsv]
//
// Targets: the 1,000 most downloaded npm names and all 472 MCP registry names (the names an
// attacker imitates). Each target gets up to two different operators that apply to it. A result
// is dropped when it is a real name (anywhere in either list, all 15,113 npm names included):
// that is a legitimate package, not a squat. Operators model what attackers do, independent of
// how Warden detects them; the split column ("dev"/"holdout") comes from a hash of the target,
// so the bench can show figures on targets never looked at while the engine was written.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from '../lib/common.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const SEED = Number(opt('--seed', '20260527'));
const OUT = opt('--out', join(root, 'test/fixtures/naming/squats-generated.tsv'));
const DATA = process.env.WARDEN_DATA ?? join(root, '..', 'shared', 'data');

const rand = mulberry32(SEED);
const pick = (arr) => arr[Math.floor(rand() * arr.length)];

const lines = (f) => readFileSync(join(DATA, f), 'utf8').split('\n').map((s) => s.trim()).filter((s) => s && !s.startsWith('#'));
const npm = lines('npm-popular-names.txt');
const mcp = lines('mcp-registry-names.txt');
const real = new Set([...npm, ...mcp].map((n) => n.toLowerCase()));

const ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
function neighbours(ch) {
  const out = [];
  ROWS.forEach((row, r) => {
    const c = row.indexOf(ch);
    if (c < 0) return;
    for (const [rr, cc] of [[r, c - 1], [r, c + 1], [r - 1, c], [r - 1, c + 1], [r + 1, c - 1], [r + 1, c]]) {
      const o = ROWS[rr]?.[cc];
      if (o) out.push(o);
    }
  });
  return out;
}
const ASCII_GLYPHS = { o: ['0'], l: ['1', 'I'], i: ['1', 'l'], m: ['rn'], w: ['vv'], e: ['3'] };
const UNICODE_GLYPHS = { a: ['а', 'α'], e: ['е'], o: ['о', 'ο'], p: ['р'], c: ['с'], x: ['х'], y: ['у'], i: ['і'], s: ['ѕ'], j: ['ј'] };
// Affixes seen in squatting reports and in the issue: ecosystem words, claims and versions.
const AFFIXES = ['js', 'node', 'official', 'pro', 'mcp', 'server', 'mcp-server', 'ts', 'py', 'cli', 'sdk', 'api', 'v2', '2', 'latest', 'real', 'plus', 'client'];
const SEPS = ['-', '_', '.'];

const letterPositions = (s) => [...s].map((c, i) => (/[a-z]/.test(c) ? i : -1)).filter((i) => i >= 0);
const plainLen = (s) => s.replace(/[^a-z0-9]/g, '').length;

// Each operator: (name part) => new name part or undefined when it does not apply.
const nameOps = {
  omission: (s) => {
    if (plainLen(s) < 5) return undefined;
    const i = pick(letterPositions(s));
    return s.slice(0, i) + s.slice(i + 1);
  },
  repetition: (s) => {
    if (plainLen(s) < 4) return undefined;
    const i = pick(letterPositions(s));
    return s.slice(0, i) + s[i] + s.slice(i);
  },
  transposition: (s) => {
    if (plainLen(s) < 4) return undefined;
    const cands = letterPositions(s).filter((i) => /[a-z]/.test(s[i + 1] ?? '') && s[i] !== s[i + 1]);
    if (cands.length === 0) return undefined;
    const i = pick(cands);
    return s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
  },
  keyboard: (s) => {
    if (plainLen(s) < 4) return undefined;
    const i = pick(letterPositions(s));
    return s.slice(0, i) + pick(neighbours(s[i])) + s.slice(i + 1);
  },
  'keyboard-insert': (s) => {
    if (plainLen(s) < 4) return undefined;
    const i = pick(letterPositions(s));
    return s.slice(0, i + 1) + pick(neighbours(s[i])) + s.slice(i + 1);
  },
  'homoglyph-ascii': (s) => {
    const cands = [...s].map((c, i) => (ASCII_GLYPHS[c] ? i : -1)).filter((i) => i >= 0);
    if (cands.length === 0) return undefined;
    const i = pick(cands);
    return s.slice(0, i) + pick(ASCII_GLYPHS[s[i]]) + s.slice(i + 1);
  },
  'homoglyph-unicode': (s) => {
    const cands = [...s].map((c, i) => (UNICODE_GLYPHS[c] ? i : -1)).filter((i) => i >= 0);
    if (cands.length === 0) return undefined;
    const i = pick(cands);
    return s.slice(0, i) + pick(UNICODE_GLYPHS[s[i]]) + s.slice(i + 1);
  },
  separator: (s) => {
    const seps = [...s].map((c, i) => (SEPS.includes(c) ? i : -1)).filter((i) => i >= 0);
    if (seps.length > 0 && rand() < 0.7) {
      const i = pick(seps);
      const other = rand() < 0.5 ? '' : pick(SEPS.filter((x) => x !== s[i]));
      return s.slice(0, i) + other + s.slice(i + 1);
    }
    if (plainLen(s) < 6) return undefined;
    const inner = letterPositions(s).filter((i) => i > 1 && i < s.length - 2 && /[a-z]/.test(s[i - 1]));
    if (inner.length === 0) return undefined;
    const i = pick(inner);
    return s.slice(0, i) + '-' + s.slice(i);
  },
  combosquat: (s) => {
    const a = pick(AFFIXES);
    const sep = pick(['-', '-', '-', '.', '_', '']);
    if (sep === '' && !['js', 'v2', '2'].includes(a)) return `${s}-${a}`;
    return rand() < 0.7 || /^\d|v2/.test(a) ? `${s}${sep}${a}` : `${a}${sep || '-'}${s}`;
  },
  reorder: (s) => {
    const words = s.split(/[-_.]/).filter(Boolean);
    if (words.length < 2 || new Set(words).size < 2) return undefined;
    for (let k = 0; k < 5; k++) {
      const w = [...words].sort(() => rand() - 0.5);
      if (w.join('-') !== words.join('-')) return w.join('-');
    }
    return undefined;
  },
};

function orgTypo(org) {
  const labels = org.split('.');
  const last = labels[labels.length - 1];
  const op = pick(['omission', 'keyboard', 'transposition', 'homoglyph-ascii', 'homoglyph-unicode', 'repetition']);
  const changed = nameOps[op](last);
  if (!changed || changed === last) return undefined;
  labels[labels.length - 1] = changed;
  return { org: labels.join('.'), op };
}
const handle = () => {
  const syll = ['ka', 'zo', 'mi', 'ter', 'lo', 'dev', 'byte', 'nex', 'ar', 'qu', 'vin', 'sol'];
  return pick(syll) + pick(syll) + (rand() < 0.5 ? String(Math.floor(rand() * 99)) : '');
};

function split(name) {
  if (name.startsWith('@')) {
    const i = name.indexOf('/');
    return { org: name.slice(1, i), name: name.slice(i + 1), scoped: true };
  }
  const i = name.indexOf('/');
  return i < 0 ? { org: undefined, name } : { org: name.slice(0, i), name: name.slice(i + 1), scoped: false };
}
const join2 = (p, org, name) => (org === undefined ? name : p.scoped ? `@${org}/${name}` : `${org}/${name}`);

function fnv(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

// Module names used under more than one org are generic: re-using them is not impersonation.
const orgsByName = new Map();
for (const n of [...npm, ...mcp]) {
  const p = split(n);
  if (p.org === undefined) continue;
  orgsByName.set(p.name, (orgsByName.get(p.name) ?? 0) + 1);
}

const targets = [...npm.slice(0, 1000), ...mcp];
const rows = [];
const seen = new Set();
for (const target of targets) {
  const p = split(target);
  const ops = p.org === undefined
    ? Object.keys(nameOps)
    : ['org-lookalike', 'org-lookalike', 'cross-org', 'cross-org-typo', 'cross-org-combosquat', 'drop-org'];
  const tried = new Set();
  let made = 0;
  for (let k = 0; k < 12 && made < 2; k++) {
    const op = pick(ops);
    if (tried.has(op)) continue;
    tried.add(op);
    let candidate;
    let detail = op;
    if (p.org === undefined) {
      const n = nameOps[op](p.name);
      if (n !== undefined) candidate = n;
    } else if (op === 'org-lookalike') {
      const t = orgTypo(p.org);
      if (t) {
        candidate = join2(p, t.org, p.name);
        detail = `org-lookalike/${t.op}`;
      }
    } else if ((orgsByName.get(p.name) ?? 0) > 1) {
      continue; // generic module name (mcp-server): re-use elsewhere is normal
    } else if (op === 'cross-org') {
      candidate = join2(p, p.scoped ? handle() : `io.github.${handle()}`, p.name);
    } else if (op === 'drop-org') {
      candidate = p.name;
    } else {
      const inner = op === 'cross-org-typo' ? pick(['omission', 'transposition', 'keyboard', 'repetition']) : 'combosquat';
      const n = nameOps[inner](p.name);
      if (n !== undefined) {
        candidate = join2(p, p.scoped ? handle() : `io.github.${handle()}`, n);
        detail = `${op}/${inner}`;
      }
    }
    if (candidate === undefined || candidate === target) continue;
    const key = candidate.toLowerCase();
    if (real.has(key) || seen.has(key)) continue;
    seen.add(key);
    rows.push([candidate, target, detail, fnv(target) % 2 === 0 ? 'dev' : 'holdout']);
    made++;
  }
}

const header = [
  '# Generated by bench/naming/gen-squats.mjs --seed ' + SEED + ' (do not edit by hand; regenerate).',
  '# Squats of popular npm names (top 1,000) and MCP registry names; columns: candidate, target, operator, split.',
  '# Candidates that are real names in either list were dropped.',
];
writeFileSync(OUT, [...header, ...rows.map((r) => r.join('\t'))].join('\n') + '\n');
const byOp = {};
for (const r of rows) byOp[r[2].split('/')[0]] = (byOp[r[2].split('/')[0]] ?? 0) + 1;
process.stdout.write(`wrote ${rows.length} squats to ${OUT}\n${JSON.stringify(byOp)}\n`);
