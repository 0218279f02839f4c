/**
 * Dependencies whose names imitate popular npm packages (typosquats), checked with the naming
 * engine against the high-impact npm names shipped in rules/_data. Names that ARE popular are
 * fine; only near misses (typo, separator, look-alike characters) are reported.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NameIndex, type ReasonCode } from '../naming/index.js';
import { loadCommonWords } from '../naming/names-file.js';
import type { Hit } from './engines.js';
import type { FileContext } from './file-context.js';

const POPULAR_FILE = fileURLToPath(new URL('./rules/_data/npm-popular-names.txt', import.meta.url));
/** Reasons that mean "made to be mistaken for"; adding words (combosquat) or another org is common and legitimate. */
const IMITATION: ReadonlySet<ReasonCode> = new Set(['NAME_SEPARATOR', 'NAME_SKELETON', 'NAME_OMISSION', 'NAME_REPETITION', 'NAME_TRANSPOSITION', 'NAME_KEYBOARD', 'NAME_EDIT_DISTANCE', 'NAME_ORG_LOOKALIKE'] as ReasonCode[]);
const DEP_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies', 'devDependencies'] as const;
const MAX_DEPS = 2000;

let cache: { index: NameIndex; popular: Set<string> } | undefined;

function popularIndex(): { index: NameIndex; popular: Set<string> } {
  if (cache) return cache;
  const names = readFileSync(POPULAR_FILE, 'utf8').split('\n').map((s) => s.trim()).filter((s) => s && !s.startsWith('#'));
  const index = new NameIndex(undefined, { commonWords: loadCommonWords() });
  // The list is ordered by downloads; rank stands in for weight (all of them are "popular").
  names.forEach((name, i) => index.add({ name, weight: Math.round(1e8 / (i + 1)) }));
  cache = { index, popular: new Set(names) };
  return cache;
}

export function dependencyLookalikes(ctx: FileContext): Hit[] {
  let pkg: Record<string, unknown>;
  try {
    pkg = JSON.parse(ctx.file.text) as Record<string, unknown>;
  } catch {
    return [];
  }
  const deps = DEP_FIELDS.flatMap((f) => (pkg?.[f] && typeof pkg[f] === 'object' ? Object.keys(pkg[f] as object) : [])).slice(0, MAX_DEPS);
  if (deps.length === 0) return [];
  const { index, popular } = popularIndex();
  const hits: Hit[] = [];
  for (const dep of new Set(deps)) {
    if (popular.has(dep)) continue;
    let verdict;
    try {
      verdict = index.check(dep);
    } catch {
      continue; // not a valid package name: npm would refuse it anyway
    }
    const m = verdict.matches.find((x) => x.verdict === 'block' && x.existing !== dep && x.reasons.some((r) => IMITATION.has(r)));
    if (!m) continue;
    const at = Math.max(0, ctx.file.text.indexOf(`"${dep}"`));
    hits.push({ start: at, ...ctx.lines.position(at), detail: `"${dep}" looks like "${m.existing}": ${m.explanation}` });
  }
  return hits;
}
