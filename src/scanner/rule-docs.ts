/** The rule list of docs/scanner.md, generated from the rule YAML files (a test keeps them in step). */
import type { Rule } from './rules.js';
import { poisonRuleInfo } from './poisoning-adapter.js';

export const RULES_BEGIN = '<!-- rules:begin (generated from src/scanner/rules/*.yaml; do not edit by hand) -->';
export const RULES_END = '<!-- rules:end -->';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();

export function renderRuleList(rules: readonly Rule[]): string {
  const byCategory = new Map<string, Rule[]>();
  for (const r of [...rules].sort((a, b) => (a.category + a.id < b.category + b.id ? -1 : 1))) (byCategory.get(r.category) ?? byCategory.set(r.category, []).get(r.category)!).push(r);
  const lines = [RULES_BEGIN, '', `${rules.length} rules. Severity and confidence are each rule's defaults.`, '', '| rule | severity | confidence | language | what it finds |', '|---|---|---|---|---|'];
  for (const [, list] of byCategory) for (const r of list) lines.push(`| \`${r.id}\` | ${r.severity} | ${r.confidence} | ${r.languages.join(', ')} | ${cell(r.description)} |`);
  const poison = poisonRuleInfo();
  lines.push('', `Checks run by \`tool-poisoning-checks\` on every extracted tool (${poison.length}, defined in src/scanner/poisoning/rules/):`, '');
  lines.push('| check | severity | what it finds |', '|---|---|---|');
  for (const p of [...poison].sort((a, b) => (a.id < b.id ? -1 : 1))) lines.push(`| \`${p.id}\` | ${p.severity} | ${cell(p.description)} |`);
  lines.push('', RULES_END);
  return lines.join('\n');
}

/** Replaces the generated section of a document. */
export function withRuleList(doc: string, rules: readonly Rule[]): string {
  const a = doc.indexOf(RULES_BEGIN);
  const b = doc.indexOf(RULES_END);
  if (a < 0 || b < a) throw new Error('docs/scanner.md lacks the rules:begin/rules:end markers');
  return doc.slice(0, a) + renderRuleList(rules) + doc.slice(b + RULES_END.length);
}
