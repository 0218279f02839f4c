/**
 * Scanner rules as data: one YAML file per rule (`<id>.yaml`), validated with zod and compiled
 * once. Built-in rules live in ./rules/; users add folders with `--rules DIR`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { WardenError } from '../core/errors.js';
import type { Confidence, Severity } from './types.js';

export const BUILTIN_RULES_DIR = fileURLToPath(new URL('./rules/', import.meta.url));
const MAX_RULE_BYTES = 64 * 1024;
const MAX_RULES = 500;

const sev = z.enum(['info', 'low', 'medium', 'high', 'critical']);
const conf = z.enum(['low', 'medium', 'high']);
const strList = z.array(z.string().min(1).max(300)).max(200);

const argCond = z
  .object({
    index: z.number().int().min(0).max(20).optional(),
    kind: z.array(z.string()).optional(),
    notConstant: z.boolean().optional(),
    regex: z.array(z.string()).optional(),
    calls: strList.optional(),
  })
  .strict();

const kwCond = z.object({ present: z.boolean().optional(), truthy: z.boolean().optional(), regex: z.array(z.string()).optional(), notConstant: z.boolean().optional() }).strict();

const callMatcher = z
  .object({ kind: z.literal('call'), callee: strList, isNew: z.boolean().optional(), args: z.array(argCond).max(5).optional(), kwargs: z.record(z.string(), kwCond).optional(), inLoop: z.boolean().optional(), notInFunction: z.boolean().optional() })
  .strict();
const importMatcher = z.object({ kind: z.literal('import'), modules: strList }).strict();
const taintSource = z
  .object({ members: strList.optional(), calls: strList.optional(), argRegex: z.array(z.string()).optional(), literal: z.array(z.string()).optional(), label: z.string() })
  .strict();
const taintSink = z.object({ calls: strList.optional(), args: z.array(z.number().int().min(0).max(20)).optional(), kwargs: z.array(z.string()).optional(), fields: z.array(z.string()).optional() }).strict();
const taintMatcher = z.object({ kind: z.literal('taint'), sources: z.array(taintSource).min(1).max(20), sinks: z.array(taintSink).min(1).max(20) }).strict();
const guardKinds = z.enum(['date', 'hostname', 'env', 'counter', 'timing', 'debugger-check']);
const guardedMatcher = z.object({ kind: z.literal('guarded-call'), callee: strList, guard: z.array(guardKinds).min(1), oncePerGuard: z.boolean().optional() }).strict();
const stringMatcher = z
  .object({
    kind: z.literal('string'),
    regex: z.array(z.string()).optional(),
    minLength: z.number().int().min(1).optional(),
    maxLength: z.number().int().min(1).optional(),
    minEntropy: z.number().min(0).max(8).optional(),
    context: z.array(z.string()).optional(),
    notRegex: z.array(z.string()).optional(),
    maxPerFile: z.number().int().min(1).max(100).optional(),
  })
  .strict();
const hexIdentMatcher = z.object({ kind: z.literal('hex-identifiers'), minCount: z.number().int().min(1), minRatio: z.number().min(0).max(1) }).strict();
const textMatcher = z.object({ kind: z.literal('text'), regex: z.array(z.string()).min(1), files: z.array(z.string()).optional(), notFiles: z.array(z.string()).optional(), maxPerFile: z.number().int().min(1).max(100).optional(), caseSensitive: z.boolean().optional() }).strict();
const markerMatcher = z.object({ kind: z.literal('marker'), type: z.string(), inLoop: z.boolean().optional() }).strict();
const scriptsMatcher = z.object({ kind: z.literal('package-scripts'), scripts: strList, commandRegex: z.array(z.string()).optional(), ignoreRegex: z.array(z.string()).optional() }).strict();
/** `unanalysed`: files the scanner could not analyse (scan.ts reports them itself, see UNANALYSED_RULE). */
const builtinMatcher = z.object({ kind: z.enum(['secretlint', 'tool-poisoning', 'tool-mismatch', 'dependency-lookalike', 'unanalysed']), capabilities: z.array(z.string()).optional() }).strict();

const matcherSchema = z.union([callMatcher, importMatcher, taintMatcher, guardedMatcher, stringMatcher, hexIdentMatcher, textMatcher, markerMatcher, scriptsMatcher, builtinMatcher]);
export type Matcher = z.infer<typeof matcherSchema>;

const languages = z.enum(['js', 'python', 'any', 'package-json', 'project']);

const ruleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'rule ids are kebab-case').max(80),
    description: z.string().min(10).max(600),
    severity: sev,
    confidence: conf,
    category: z.string().min(2).max(40),
    language: z.union([languages, z.array(languages).min(1)]),
    message: z.string().min(5).max(400),
    fixHint: z.string().min(5).max(400),
    references: z.array(z.string()).optional(),
    matcher: z.union([matcherSchema, z.array(matcherSchema).min(1).max(8)]),
  })
  .strict();

export interface Rule {
  id: string;
  description: string;
  severity: Severity;
  confidence: Confidence;
  category: string;
  languages: Array<z.infer<typeof languages>>;
  message: string;
  fixHint: string;
  references: string[];
  /** Any one matching is a hit. */
  matchers: Matcher[];
  file: string;
}

export function parseRule(text: string, file: string): Rule {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new WardenError('WARDEN_E_SCAN_RULE_INVALID', `${file}: not valid YAML (${(err as Error).message}).`, { where: file, cause: err });
  }
  const r = ruleSchema.safeParse(doc);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new WardenError('WARDEN_E_SCAN_RULE_INVALID', `${file}: ${issue?.path.join('.') || 'rule'}: ${issue?.message}.`, { where: file });
  }
  const d = r.data;
  if (basename(file).replace(/\.ya?ml$/, '') !== d.id) throw new WardenError('WARDEN_E_SCAN_RULE_INVALID', `${file}: the file name must be the rule id "${d.id}.yaml".`, { where: file });
  return {
    id: d.id,
    description: d.description.trim(),
    severity: d.severity,
    confidence: d.confidence,
    category: d.category,
    languages: Array.isArray(d.language) ? d.language : [d.language],
    message: d.message.trim(),
    fixHint: d.fixHint.trim(),
    references: d.references ?? [],
    matchers: Array.isArray(d.matcher) ? d.matcher : [d.matcher],
    file,
  };
}

function rulesIn(dir: string): Rule[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    throw new WardenError('WARDEN_E_SCAN_RULE_INVALID', `Cannot read the rule folder ${dir}: ${(err as NodeJS.ErrnoException).code ?? err}.`, { where: dir, cause: err });
  }
  const out: Rule[] = [];
  for (const n of names.filter((x) => /\.ya?ml$/.test(x) && !x.startsWith('_')).sort()) {
    const file = join(dir, n);
    if (statSync(file).size > MAX_RULE_BYTES) throw new WardenError('WARDEN_E_SCAN_RULE_INVALID', `${file} is over ${MAX_RULE_BYTES} bytes.`, { where: file });
    out.push(parseRule(readFileSync(file, 'utf8'), file));
  }
  return out;
}

let builtin: Rule[] | undefined;

/**
 * Built-in rules plus those in `extraDirs` (a user rule with a built-in id replaces it), minus
 * `disable`. Unknown ids in `disable` are an error so that typos do not silently keep a rule on.
 */
export function loadRules(opts: { extraDirs?: string[]; disable?: string[] } = {}): Rule[] {
  builtin ??= rulesIn(BUILTIN_RULES_DIR);
  const byId = new Map(builtin.map((r) => [r.id, r]));
  for (const dir of opts.extraDirs ?? []) for (const r of rulesIn(dir)) byId.set(r.id, r);
  if (byId.size > MAX_RULES) throw new WardenError('WARDEN_E_SCAN_RULE_INVALID', `More than ${MAX_RULES} rules loaded.`);
  for (const id of opts.disable ?? []) {
    // `mcp-tool-*` ids are the poisoning checks' own; scan() validates them against those rules.
    if (!byId.delete(id) && !id.startsWith('mcp-tool-')) throw new WardenError('WARDEN_E_SCAN_RULE_UNKNOWN', `Unknown rule id "${id}" in --disable.`, { where: '--disable' });
  }
  return [...byId.values()];
}
