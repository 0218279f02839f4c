import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';

/**
 * Parses a YAML data file (rules, safeguards) and validates it with `schema`. Errors go through
 * `fail` so each file kind names itself: "not valid YAML (...)" or "<path>: <zod message>".
 */
export function parseYamlData<S extends z.ZodType>(text: string, schema: S, fail: (message: string, cause?: unknown) => Error): z.output<S> {
  let data: unknown;
  try {
    data = parseYaml(text, { maxAliasCount: 100 });
  } catch (err) {
    throw fail(`not valid YAML (${(err as Error).message.split('\n')[0]})`, err);
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw fail(`${first.path.join('.') || 'file'}: ${first.message}`);
  }
  return parsed.data;
}
