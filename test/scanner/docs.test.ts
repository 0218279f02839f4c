// docs/scanner.md's rule list is generated from the rule YAML; this test fails when they differ.
// Regenerate with: WARDEN_UPDATE_DOCS=1 npx vitest run test/scanner/docs.test.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadRules } from '../../src/scanner/index.js';
import { withRuleList } from '../../src/scanner/rule-docs.js';

const DOC = join(process.cwd(), 'docs', 'scanner.md');

it('docs/scanner.md lists exactly the rules in src/scanner/rules (and the poisoning checks)', () => {
  const doc = readFileSync(DOC, 'utf8');
  const rules = loadRules();
  const expected = withRuleList(doc, rules);
  if (process.env.WARDEN_UPDATE_DOCS === '1') {
    writeFileSync(DOC, expected);
    return;
  }
  expect(doc, 'run: WARDEN_UPDATE_DOCS=1 npx vitest run test/scanner/docs.test.ts').toBe(expected);
  for (const r of rules) expect(doc).toContain(`| \`${r.id}\` |`);
});
