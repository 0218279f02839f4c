import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { WardenError } from '../../core/errors.js';
import type { ToolText } from './types.js';
import { parseYamlData } from './yaml-data.js';

/**
 * Safeguard statements (safeguards/safeguards.yaml): how a tool says it holds back ("read-only",
 * "values are never returned", "nothing is uploaded"). Findings of rules that judge vocabulary
 * (`safeguards: demote`) are lowered to `low` when a tool states one; see the YAML for why, and
 * for the rules that never opt in. Pure apart from reading the built-in file once.
 */
export interface SafeguardClass {
  id: string;
  description: string;
  pattern: RegExp;
  examples: string[];
  counterExamples: string[];
}

const fileSchema = z.strictObject({
  safeguards: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/),
        description: z.string().min(5).max(500),
        pattern: z.string().min(1).max(4_000),
        examples: z.array(z.string().max(1_000)).min(1).max(50),
        counterExamples: z.array(z.string().max(1_000)).min(1).max(50),
      }),
    )
    .min(1)
    .max(100),
});

export const BUILTIN_SAFEGUARDS_FILE = fileURLToPath(new URL('./safeguards/safeguards.yaml', import.meta.url));

/** Parses and validates a safeguards file; patterns are compiled here so a bad one fails early. */
export function parseSafeguards(file: string, text: string): SafeguardClass[] {
  const invalid = (message: string, cause?: unknown) =>
    new WardenError('WARDEN_E_SCAN_RULE_INVALID', `Safeguards file ${file}: ${message}.`, { where: file, cause });
  return parseYamlData(text, fileSchema, invalid).safeguards.map((s) => {
    let pattern: RegExp;
    try {
      pattern = new RegExp(s.pattern, 'iu');
    } catch (err) {
      throw invalid(`safeguard ${s.id}: bad regular expression`, err);
    }
    return { ...s, pattern };
  });
}

let builtin: SafeguardClass[] | undefined;

/** The built-in safeguard classes, read once. */
export function loadSafeguards(): SafeguardClass[] {
  builtin ??= parseSafeguards(BUILTIN_SAFEGUARDS_FILE, readFileSync(BUILTIN_SAFEGUARDS_FILE, 'utf8'));
  return builtin;
}

/** Ids of the safeguard classes a tool's texts state (description, schema and names alike). */
export function statedSafeguards(texts: readonly ToolText[], classes: readonly SafeguardClass[] = loadSafeguards()): string[] {
  return classes.filter((c) => texts.some((t) => c.pattern.test(t.norm))).map((c) => c.id);
}
