/** Helpers shared by the JS and Python fact extractors. */
import type { FileFacts } from './types.js';

export function newFacts(language: 'js' | 'python'): FileFacts {
  return { language, calls: [], assigns: [], fields: [], strings: [], imports: [], markers: [], functions: [], hexIdents: 0, identCount: 0, counters: [], tools: [], cases: [] };
}

const PROMISE_SUBMODULES = /^(fs|dns|timers|stream|readline)\/promises$/;

/** `node:fs/promises` → `fs`; module names otherwise unchanged. */
export function normalizeModule(m: string): string {
  let s = m.startsWith('node:') ? m.slice(5) : m;
  if (PROMISE_SUBMODULES.test(s)) s = s.slice(0, s.indexOf('/'));
  return s;
}

/** `fs.promises.writeFile` → `fs.writeFile`; strips `default` from default-import interop. */
export function normalizeCallee(c: string): string {
  return c.replace(/^(fs|dns)\.promises\./, '$1.').replace(/^([\w$@/.-]+)\.default\./, '$1.');
}

/** Best-effort JSON schema of a zod chain: `z.string().describe("x")` → `{type: 'string', description: 'x'}`. */
export function staticSchemaFromZod(z: { methods: { name: string; arg?: unknown }[] }): unknown {
  if (z.methods.length === 0) return undefined;
  const out: Record<string, unknown> = {};
  const first = z.methods[0]!;
  const typeNames = ['string', 'number', 'boolean', 'array', 'object', 'enum', 'literal', 'union', 'any', 'unknown', 'record'];
  if (typeNames.includes(first.name)) out.type = first.name === 'enum' || first.name === 'literal' ? 'string' : first.name;
  if (first.name === 'object' && first.arg && typeof first.arg === 'object') out.properties = first.arg;
  for (const m of z.methods) if (m.name === 'describe' && typeof m.arg === 'string') out.description = m.arg;
  return Object.keys(out).length > 0 ? out : undefined;
}
