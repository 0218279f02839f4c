/** The catalog of named callee / module / member / path sets (rules/_catalog.yaml; files starting with `_` are not rules), and pattern matching. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { WardenError } from '../core/errors.js';

export interface Catalog {
  calls: Record<string, string[]>;
  modules: Record<string, string[]>;
  members: Record<string, string[]>;
  paths: Record<string, string[]>;
}

let cached: Catalog | undefined;

export function loadCatalog(): Catalog {
  if (cached) return cached;
  const file = fileURLToPath(new URL('./rules/_catalog.yaml', import.meta.url));
  const doc = parse(readFileSync(file, 'utf8')) as Catalog;
  cached = { calls: doc.calls ?? {}, modules: doc.modules ?? {}, members: doc.members ?? {}, paths: doc.paths ?? {} };
  return cached;
}

const escape = (s: string): string => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** A compiled pattern list: exact names by hash lookup, `x.*` / `*.x` by prefix/suffix, the rest by regex. */
export interface PatternSet {
  test(s: string): boolean;
}

/**
 * Compiles callee/module/member patterns (with `$set` references into `section` of the catalog).
 * `*` matches any characters; a pattern without `*` matches exactly.
 */
export function compilePatterns(patterns: readonly string[], section: keyof Catalog, where: string): PatternSet {
  const cat = loadCatalog();
  const flat: string[] = [];
  const expand = (p: string, depth: number): void => {
    if (p.startsWith('$')) {
      const set = cat[section][p.slice(1)];
      if (!set || depth > 3) throw new WardenError('WARDEN_E_SCAN_RULE_INVALID', `${where}: unknown ${section} set "${p}". Known: ${Object.keys(cat[section]).join(', ')}.`, { where });
      for (const q of set) expand(q, depth + 1);
    } else flat.push(p);
  };
  for (const p of patterns) expand(p, 0);
  const exact = new Set<string>();
  const prefixes: string[] = [];
  const suffixes: string[] = [];
  const complex: string[] = [];
  for (const p of flat) {
    const stars = p.split('*').length - 1;
    if (stars === 0) exact.add(p);
    else if (stars === 1 && p.endsWith('*')) prefixes.push(p.slice(0, -1));
    else if (stars === 1 && p.startsWith('*')) suffixes.push(p.slice(1));
    else complex.push(p);
  }
  const re = complex.length > 0 ? new RegExp(`^(?:${complex.map((p) => p.split('*').map(escape).join('.*')).join('|')})$`) : undefined;
  const slow = (s: string): boolean => {
    if (exact.has(s)) return true;
    for (const p of prefixes) if (s.startsWith(p)) return true;
    for (const x of suffixes) if (s.endsWith(x)) return true;
    return re !== undefined && re.test(s);
  };
  // Callees repeat (Object.keys, console.log, ...): remember answers, bounded.
  const memo = new Map<string, boolean>();
  return {
    test(s: string): boolean {
      let v = memo.get(s);
      if (v === undefined) {
        if (memo.size > 20_000) memo.clear();
        memo.set(s, (v = slow(s)));
      }
      return v;
    },
  };
}

/** Compiles path/regex lists (with `$set` references into `paths`) into one regex. */
export function compileRegexList(patterns: readonly string[], where: string, flags = 'i'): RegExp {
  const cat = loadCatalog();
  const flat: string[] = [];
  for (const p of patterns) {
    if (p.startsWith('$')) {
      const set = cat.paths[p.slice(1)];
      if (!set) throw new WardenError('WARDEN_E_SCAN_RULE_INVALID', `${where}: unknown path set "${p}".`, { where });
      flat.push(...set);
    } else flat.push(p);
  }
  try {
    return new RegExp(flat.map((p) => `(?:${p})`).join('|'), flags);
  } catch (err) {
    throw new WardenError('WARDEN_E_SCAN_RULE_INVALID', `${where}: invalid regular expression (${(err as Error).message}).`, { where, cause: err });
  }
}
