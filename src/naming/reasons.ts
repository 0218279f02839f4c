/**
 * Stable reason codes of the look-alike name engine. Callers switch on them; docs/naming.md
 * documents each one. Never rename a code: add a new one and retire the old.
 */
export const REASON_CODES = [
  'NAME_EXACT',
  'NAME_SEPARATOR',
  'NAME_SKELETON',
  'NAME_EDIT_DISTANCE',
  'NAME_KEYBOARD',
  'NAME_OMISSION',
  'NAME_REPETITION',
  'NAME_TRANSPOSITION',
  'NAME_WORD_REORDER',
  'NAME_COMBOSQUAT',
  'NAME_ORG_LOOKALIKE',
  'NAME_CROSS_ORG',
  'NAME_DISTINCTIVE_REUSE',
] as const;

export type ReasonCode = (typeof REASON_CODES)[number];

/** One line per code: what the operator found (used in docs and explanations). */
export const REASON_SUMMARIES: Record<ReasonCode, string> = {
  NAME_EXACT: 'the same name (ignoring case and Unicode compatibility forms) already exists',
  NAME_SEPARATOR: 'equal to an existing name once `-`, `_`, `.` and case are ignored',
  NAME_SKELETON: 'looks the same as an existing name: confusable characters (Unicode homoglyphs, 0/o, 1/l/i, rn/m, vv/w) fold to the same skeleton',
  NAME_EDIT_DISTANCE: 'within the allowed Damerau (OSA) edit distance of an existing name, by an edit no more specific operator explains',
  NAME_KEYBOARD: 'one character replaced or inserted next to a neighbouring key on a QWERTY keyboard',
  NAME_OMISSION: 'one character of an existing name left out',
  NAME_REPETITION: 'one character of an existing name doubled',
  NAME_TRANSPOSITION: 'two adjacent characters of an existing name swapped',
  NAME_WORD_REORDER: 'the same words as an existing name in another order',
  NAME_COMBOSQUAT: 'an existing name plus ecosystem affixes or a version-like suffix (`-mcp`, `server-`, `-js`, `-official`, `-pro`, `-v2`...)',
  NAME_ORG_LOOKALIKE: 'the same (or a near) module name under an org that looks like the existing module\'s org',
  NAME_CROSS_ORG: 'a popular namespaced module\'s name re-used under an unrelated org or without an org',
  NAME_DISTINCTIVE_REUSE: 'the re-used name is distinctive: it carries the existing org\'s own brand or a coined word no other name uses',
};

/** Reasons produced by typing mistakes; a typo that yields a word other names use is less suspicious. */
export const TYPO_REASONS: ReadonlySet<ReasonCode> = new Set<ReasonCode>([
  'NAME_EDIT_DISTANCE',
  'NAME_KEYBOARD',
  'NAME_OMISSION',
  'NAME_REPETITION',
  'NAME_TRANSPOSITION',
]);

export function isReasonCode(value: unknown): value is ReasonCode {
  return typeof value === 'string' && (REASON_CODES as readonly string[]).includes(value);
}
