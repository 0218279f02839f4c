import { keysAdjacent } from './keyboard.js';
import type { ReasonCode } from './reasons.js';

/** Which typing mistake turns `existing` into `candidate` (both plain forms), and how to say it. */
export interface EditClass {
  readonly reason: ReasonCode;
  readonly phrase: string;
  /**
   * The edit changes, adds or drops the first character, or only adds/drops a final 's'. People
   * rarely mistype the first letter, and prefixes and plurals are common in legitimate names, so
   * policies may treat these edits more gently (caps.edgeEdit). Transpositions never are.
   */
  readonly edge: boolean;
}

const DIGIT = /[0-9]/;

/**
 * Characters that read alike in common fonts but do not fold to one skeleton (folding them made
 * real names collide, e.g. `parseuri` / `parseurl`): a one-character swap inside a group is a
 * look-alike edit, reported as NAME_SKELETON at distance 1.
 */
const LOOKALIKE_GROUPS = ['il1|!', 'o0', 's5', 'e3', 'a4', 'b86', 'g9q', 'z2', 't7', 'uv'];
const LOOKALIKE_GROUP = new Map<string, number>();
LOOKALIKE_GROUPS.forEach((g, n) => {
  for (const ch of g) LOOKALIKE_GROUP.set(ch, n);
});

function q(ch: string | undefined): string {
  return `'${ch ?? ''}'`;
}

/**
 * Names the single edit between two plain forms at distance 1 (omission, repetition,
 * transposition, keyboard slip), falling back to a generic edit; distance 2 is always generic.
 */
export function classifyEdit(candidate: string, existing: string, distance: number): EditClass {
  if (distance !== 1) return { reason: 'NAME_EDIT_DISTANCE', phrase: `${distance} edits`, edge: false };
  const lc = candidate.length;
  const le = existing.length;
  let i = 0;
  while (i < Math.min(lc, le) && candidate[i] === existing[i]) i++;
  if (lc === le - 1) {
    // Deleting from a run of equal letters: report the first position of the run.
    const edge = i === 0 || (i === le - 1 && existing[i] === 's' && existing[i - 1] !== 's');
    return { reason: 'NAME_OMISSION', phrase: `one omitted ${q(existing[i])}`, edge };
  }
  if (lc === le + 1) {
    const inserted = candidate[i]!;
    const edge = i === 0 || (i === lc - 1 && inserted === 's' && existing[le - 1] !== 's');
    if (inserted === candidate[i - 1] || inserted === candidate[i + 1]) return { reason: 'NAME_REPETITION', phrase: `one repeated ${q(inserted)}`, edge };
    if ((i > 0 && keysAdjacent(inserted, candidate[i - 1]!)) || (i + 1 < lc && keysAdjacent(inserted, candidate[i + 1]!))) {
      return { reason: 'NAME_KEYBOARD', phrase: `one inserted ${q(inserted)} next to a neighbouring key`, edge };
    }
    return { reason: 'NAME_EDIT_DISTANCE', phrase: `one inserted ${q(inserted)}`, edge };
  }
  if (i + 1 < lc && candidate[i] === existing[i + 1] && candidate[i + 1] === existing[i]) {
    // Two swapped letters keep every letter of the name: neither a new prefix nor a plural, so
    // never an edge edit, even at the start (`hcai` for `chai`).
    return { reason: 'NAME_TRANSPOSITION', phrase: `one transposition (${q(existing.slice(i, i + 2))} → ${q(candidate.slice(i, i + 2))})`, edge: false };
  }
  const edge = i === 0;
  const a = candidate[i]!;
  const b = existing[i]!;
  if (LOOKALIKE_GROUP.get(a) !== undefined && LOOKALIKE_GROUP.get(a) === LOOKALIKE_GROUP.get(b)) {
    return { reason: 'NAME_SKELETON', phrase: `one look-alike character (${q(b)} → ${q(a)})`, edge };
  }
  // Digit for digit (cli-table3 → cli-table2) reads as another version, not a slip.
  if (keysAdjacent(a, b) && !(DIGIT.test(a) && DIGIT.test(b))) {
    return { reason: 'NAME_KEYBOARD', phrase: `one keyboard slip (${q(b)} → ${q(a)})`, edge };
  }
  return { reason: 'NAME_EDIT_DISTANCE', phrase: `one substitution (${q(b)} → ${q(a)})`, edge };
}
