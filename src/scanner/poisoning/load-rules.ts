import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WardenError, ioError } from '../../core/errors.js';
import { LIMITS } from './limits.js';
import { classifierModelSchema, ruleFileSchema } from './rule-schema.js';
import type { PoisonRule } from './types.js';
import { parseYamlData } from './yaml-data.js';

/** Folder of the built-in rules, next to this module in src/ and in dist/ (copied by scripts/copy-assets.mjs). */
export const BUILTIN_RULES_DIR = fileURLToPath(new URL('./rules/', import.meta.url));

function invalid(file: string, message: string, cause?: unknown): WardenError {
  return new WardenError('WARDEN_E_SCAN_RULE_INVALID', `Poisoning rule ${file}: ${message}. Fix the file (see docs/tool-poisoning.md).`, { where: file, cause });
}

/** Parses and validates one rule file; regular expressions are compiled once here to fail early. */
export function parseRuleFile(file: string, text: string): PoisonRule {
  const data = parseYamlData(text, ruleFileSchema, (message, cause) => invalid(file, message, cause));
  const rule = { ...data, file } as PoisonRule;
  const base = file.split(/[\\/]/).pop()!.replace(/\.ya?ml$/, '');
  if (base !== rule.id) throw invalid(file, `the file must be named after the rule id (${rule.id}.yaml)`);
  const patterns: string[] = [];
  const m = rule.matcher;
  if (m.type === 'signals') {
    for (const s of m.signals) if (s.pattern) patterns.push(s.pattern);
    const groups = new Set(m.signals.map((s) => s.group));
    for (const g of m.require) if (!groups.has(g)) throw invalid(file, `required group "${g}" has no signal`);
  }
  if (m.type === 'exfil-parameter') patterns.push(m.channelNames, m.secretSources, m.conversationSources, m.fillVerbs);
  if (m.type === 'capability') {
    patterns.push(m.negation);
    if (m.safeContext) patterns.push(m.safeContext);
    for (const c of m.capabilities) for (const p of [c.verbs, c.objects, c.phrases]) if (p) patterns.push(p);
  }
  for (const p of patterns) {
    try {
      new RegExp(p, 'iu');
    } catch (err) {
      throw invalid(file, `bad regular expression ${JSON.stringify(p.slice(0, 80))}`, err);
    }
  }
  return rule;
}

function loadDir(dir: string): PoisonRule[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch (err) {
    throw ioError('read the rule folder', dir, err);
  }
  if (names.length > LIMITS.ruleFiles) {
    throw new WardenError('WARDEN_E_INPUT_TOO_LARGE', `Rule folder ${dir} holds ${names.length} rule files; the limit is ${LIMITS.ruleFiles}.`, { where: dir });
  }
  return names.map((n) => {
    const file = join(dir, n);
    let text: string;
    try {
      if (statSync(file).size > LIMITS.ruleFileBytes) throw invalid(file, `larger than ${LIMITS.ruleFileBytes} bytes`);
      text = readFileSync(file, 'utf8');
    } catch (err) {
      if (err instanceof WardenError) throw err;
      throw ioError('read the rule file', file, err);
    }
    const rule = parseRuleFile(file, text);
    if (rule.matcher.type === 'classifier') rule.classifierModel = loadModel(rule, join(dir, rule.id, rule.matcher.model));
    return rule;
  });
}

/** Reads and validates a `classifier` rule's model file. */
function loadModel(rule: PoisonRule, file: string): NonNullable<PoisonRule['classifierModel']> {
  let data: unknown;
  try {
    if (statSync(file).size > LIMITS.modelFileBytes) throw invalid(rule.file, `model ${file} is larger than ${LIMITS.modelFileBytes} bytes`);
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    if (err instanceof WardenError) throw err;
    if (err instanceof SyntaxError) throw invalid(rule.file, `model ${file} is not JSON`, err);
    throw ioError('read the model file', file, err);
  }
  const parsed = classifierModelSchema.safeParse(data);
  if (!parsed.success) throw invalid(rule.file, `model ${file}: ${parsed.error.issues[0]!.path.join('.') || 'file'}: ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

let builtin: PoisonRule[] | undefined;

/**
 * The built-in poisoning rules plus those in `extraDirs` (one YAML file per rule). A rule from an
 * extra folder with the id of a built-in rule replaces it; two rules with one id in the same
 * folder set are an error.
 */
export function loadPoisonRules(extraDirs: string[] = []): PoisonRule[] {
  builtin ??= loadDir(BUILTIN_RULES_DIR);
  const byId = new Map(builtin.map((r) => [r.id, r]));
  const seen = new Set<string>();
  for (const dir of extraDirs) {
    for (const rule of loadDir(dir)) {
      if (seen.has(rule.id)) throw invalid(rule.file, `a second rule with id ${rule.id} in the extra folders`);
      seen.add(rule.id);
      byId.set(rule.id, rule);
    }
  }
  return [...byId.values()];
}
