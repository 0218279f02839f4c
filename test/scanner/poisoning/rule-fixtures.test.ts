// Runs every poisoning rule against the fixtures beside it: each catch/*.json must raise a finding
// of that rule, each benign/*.json must not. A fixture is a ToolDefinition; an optional
// `_knownToolNames` array gives the other tools the model sees (shadowing, name collisions).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES_DIR, checkToolDefinition, loadPoisonRules } from '../../../src/scanner/poisoning/index.js';
import type { PoisonRule, ToolDefinition } from '../../../src/scanner/poisoning/index.js';

const rules = loadPoisonRules();

function fixtures(rule: PoisonRule, kind: 'catch' | 'benign'): Array<[string, ToolDefinition & { _knownToolNames?: string[] }]> {
  const dir = join(BUILTIN_RULES_DIR, rule.id, kind);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => [f, JSON.parse(readFileSync(join(dir, f), 'utf8'))]);
}

function run(rule: PoisonRule, fixture: ToolDefinition & { _knownToolNames?: string[] }) {
  const { _knownToolNames, ...tool } = fixture;
  return checkToolDefinition(tool, { rules: [rule], knownToolNames: _knownToolNames ?? [] }).filter((f) => f.ruleId === rule.id);
}

describe('poisoning rule fixtures', () => {
  it('loads the built-in rules, one file per id', () => {
    expect(rules.length).toBeGreaterThanOrEqual(14);
    const files = readdirSync(BUILTIN_RULES_DIR).filter((f) => f.endsWith('.yaml'));
    expect(files.sort()).toEqual(rules.map((r) => `${r.id}.yaml`).sort());
  });

  for (const rule of rules) {
    describe(rule.id, () => {
      it('has catch and benign fixtures', () => {
        expect(fixtures(rule, 'catch').length).toBeGreaterThan(0);
        expect(fixtures(rule, 'benign').length).toBeGreaterThan(0);
      });
      for (const [name, fixture] of fixtures(rule, 'catch')) {
        it(`catches ${name}`, () => {
          const found = run(rule, fixture);
          expect(found, `${rule.id} missed catch/${name}`).toHaveLength(1);
          expect(found[0]!.message).toContain(JSON.stringify(fixture.name));
          expect(found[0]!.evidence.length).toBeGreaterThan(0);
          expect(found[0]!.evidence.length).toBeLessThanOrEqual(200);
        });
      }
      for (const [name, fixture] of fixtures(rule, 'benign')) {
        it(`stays quiet on ${name}`, () => {
          expect(run(rule, fixture), `${rule.id} fired on benign/${name}`).toEqual([]);
        });
      }
    });
  }
});

describe('docs/tool-poisoning.md', () => {
  it('lists every rule', () => {
    const doc = readFileSync(join(process.cwd(), 'docs', 'tool-poisoning.md'), 'utf8');
    for (const rule of rules) expect(doc, `${rule.id} missing from docs/tool-poisoning.md`).toContain(`| \`${rule.id}\` | ${rule.severity} | ${rule.confidence} |`);
  });
});
