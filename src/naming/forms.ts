import { coreTokens, expandTokens, plainForm, plainTokens, skeletonForm, type AffixSets } from './normalize.js';

/** Every normalized form of a name's module part that the index keys on or compares. */
export interface NameForms {
  /** Lower case NFKC module name (without org). */
  readonly name: string;
  readonly org: string | undefined;
  readonly plain: string;
  readonly skeleton: string;
  /** Words with glued affixes split off. */
  readonly expanded: readonly string[];
  /** Plain core once affixes and version tokens are stripped; undefined when nothing was stripped or nothing is left. */
  readonly core: string | undefined;
  /** Sorted words, for word-reorder matching; undefined for one-word names. */
  readonly reorderKey: string | undefined;
}

/** `lookName` (case-aware source of the skeleton, see ParsedName) defaults to `name`. */
export function computeForms(org: string | undefined, name: string, affixes: AffixSets, lookName = name): NameForms {
  const plain = plainForm(name);
  const tokens = plainTokens(name);
  const expanded = expandTokens(tokens, affixes);
  const coreToks = coreTokens(expanded, affixes);
  const coreJoined = coreToks.join('');
  const core = coreToks.length > 0 && coreToks.length < expanded.length && coreJoined.length >= 2 ? coreJoined : undefined;
  const distinct = new Set(expanded);
  const reorderKey = distinct.size >= 2 ? [...expanded].sort().join(' ') : undefined;
  return { name, org, plain, skeleton: skeletonForm(lookName === name ? plain : plainForm(lookName)), expanded, core, reorderKey };
}

/** Splits a stored key (`org/name` or `name`, already lower case) without re-validating it. */
export function splitKey(key: string): { org: string | undefined; name: string } {
  const slash = key.indexOf('/');
  return slash < 0 ? { org: undefined, name: key } : { org: key.slice(0, slash), name: key.slice(slash + 1) };
}

