/**
 * Distinctive module names: the ones whose re-use under another org is impersonation rather
 * than a fork or an alternative implementation. A name is distinctive when it has several words
 * and one of them is
 *   - coined: not a common English word, not an ecosystem affix, and used by no other indexed
 *     name (`fibery-mcp-server`, `mcp-clickhouse`), or
 *   - the owner's brand: a word of the existing name's own org (`redis/mcp-redis`,
 *     `chroma-core/chroma-mcp`).
 * Descriptive names made of dictionary words (`react-tabs`, `telegram-mcp`) are re-used by
 * unrelated projects all the time, so they never count. Pure: the word list is given.
 */
import { isAffix, isVersionToken, plainForm, type AffixSets } from './normalize.js';

export interface DistinctivePolicy {
  /** Words the module name needs (one-word names like `auth` or `chroma` are left to review). */
  readonly minWords: number;
  /** Characters a coined word needs. */
  readonly minLength: number;
  /** A coined word may appear in at most this many indexed names (the existing one included). */
  readonly maxNames: number;
  /** Words that describe an org rather than name it (`labs`, `ai`, `io`, `hq`...). */
  readonly orgSuffixes: readonly string[];
}

export interface DistinctiveWord {
  readonly kind: 'coined' | 'brand';
  readonly word: string;
}

/** Words naming an org: the last label of a reverse-DNS org, split, without descriptive suffixes. */
export function orgBrandWords(org: string | undefined, suffixes: ReadonlySet<string>): string[] {
  if (org === undefined) return [];
  const last = org.slice(org.lastIndexOf('.') + 1);
  const words = last.split(/[-_]+/).filter((w) => w.length >= 3 && !suffixes.has(w));
  const plain = plainForm(last);
  if (plain.length >= 3) words.push(plain);
  // `honeycombio`, `pineconeio`: a suffix glued to the brand.
  for (const s of suffixes) if (plain.endsWith(s) && plain.length - s.length >= 4) words.push(plain.slice(0, -s.length));
  return words;
}

/**
 * The word that makes an existing name distinctive, or undefined. `expanded` are the module
 * name's words (affixes split off), `namesUsing` how many indexed names use a word, and
 * `commonWords` the dictionary (without one, no word counts as coined).
 */
export function distinctiveWord(
  expanded: readonly string[],
  org: string | undefined,
  policy: DistinctivePolicy,
  affixes: AffixSets,
  namesUsing: (word: string) => number,
  commonWords: ReadonlySet<string> | undefined,
  suffixes: ReadonlySet<string>,
): DistinctiveWord | undefined {
  if (expanded.length < policy.minWords) return undefined;
  const brand = orgBrandWords(org, suffixes).find((w) => expanded.includes(w));
  if (brand !== undefined) return { kind: 'brand', word: brand };
  if (commonWords === undefined) return undefined;
  for (const w of expanded) {
    if (w.length < policy.minLength || isAffix(w, affixes) || isVersionToken(w) || /^[0-9]/.test(w)) continue;
    if (commonWords.has(w) || namesUsing(w) > policy.maxNames) continue;
    return { kind: 'coined', word: w };
  }
  return undefined;
}

/** Two orgs of one family share a brand word (`oxc-parser` / `oxc-resolver`, `react-aria` / `react-stately`). */
export function orgsShareBrand(a: string | undefined, b: string | undefined, suffixes: ReadonlySet<string>): boolean {
  if (a === undefined || b === undefined) return false;
  const wa = new Set(orgBrandWords(a, suffixes));
  return orgBrandWords(b, suffixes).some((w) => wa.has(w));
}
