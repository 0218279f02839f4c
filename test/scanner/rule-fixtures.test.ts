// One test walks every rule: each must fire on every catch/ sample and stay silent on every benign/ one.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES_DIR, loadRules, scan } from '../../src/scanner/index.js';

function samples(dir: string): { name: string; files: { path: string; text: string }[] }[] {
  let names: string[] = [];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return [];
  }
  return names.map((name) => {
    const full = join(dir, name);
    if (!statSync(full).isDirectory()) return { name, files: [{ path: name, text: readFileSync(full, 'utf8') }] };
    const files: { path: string; text: string }[] = [];
    const walk = (d: string): void => {
      for (const n of readdirSync(d).sort()) {
        const p = join(d, n);
        if (statSync(p).isDirectory()) walk(p);
        else files.push({ path: relative(full, p).split('\\').join('/'), text: readFileSync(p, 'utf8') });
      }
    };
    walk(full);
    return { name, files };
  });
}

const rules = loadRules();

describe('every rule against its fixtures', () => {
  it('has at least one catch and one benign sample per rule', () => {
    for (const r of rules) {
      expect(samples(join(BUILTIN_RULES_DIR, r.id, 'catch')).length, `${r.id} catch/`).toBeGreaterThan(0);
      expect(samples(join(BUILTIN_RULES_DIR, r.id, 'benign')).length, `${r.id} benign/`).toBeGreaterThan(0);
    }
  });
  for (const r of rules) {
    it(r.id, async () => {
      for (const s of samples(join(BUILTIN_RULES_DIR, r.id, 'catch'))) {
        const rep = await scan({ files: s.files, label: s.name }, { only: [r.id] });
        expect(rep.findings.length, `${r.id} must catch catch/${s.name}`).toBeGreaterThan(0);
        if (!r.matchers.some((m) => m.kind === 'tool-poisoning')) expect(rep.findings.every((f) => f.ruleId === r.id)).toBe(true);
      }
      for (const s of samples(join(BUILTIN_RULES_DIR, r.id, 'benign'))) {
        const rep = await scan({ files: s.files, label: s.name }, { only: [r.id] });
        expect(rep.findings.map((f) => `${f.file}:${f.line} ${f.message}`), `${r.id} must not fire on benign/${s.name}`).toEqual([]);
      }
    });
  }
});
