import unicodeConfusables from 'unhomoglyph/data.json' with { type: 'json' };

/**
 * Character folding tables. Two layers:
 * 1. Unicode TR39 confusables (the `unhomoglyph` data, one code point → its prototype), applied
 *    to non-ASCII characters between two NFD passes, so `е` (Cyrillic) reads as `e`.
 * 2. ASCII look-alikes that TR39 leaves alone or maps inconsistently in lower case:
 *    digits that read as letters and letter pairs that read as one letter.
 */
const UNICODE_MAP: ReadonlyMap<string, string> = new Map(Object.entries(unicodeConfusables as Record<string, string>));

/** Single ASCII characters folded in the skeleton (after lower-casing). */
export const ASCII_CHAR_FOLDS: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'l',
  '|': 'l',
};

/**
 * Upper-case letters that read as another lower-case letter (`Iodash` → `lodash`), applied
 * before lower-casing when the input's case is known. Lower-case `i` stays `i`: it has a dot,
 * and folding it made real names collide (`parseuri` / `parseurl`).
 */
export const UPPERCASE_FOLDS: Readonly<Record<string, string>> = {
  I: 'l',
};

/** ASCII sequences folded in the skeleton, longest first; applied left to right. */
export const ASCII_SEQUENCE_FOLDS: ReadonlyArray<readonly [string, string]> = [
  ['rn', 'm'],
  ['vv', 'w'],
];

const COMBINING_MARK = /\p{M}/u;

/**
 * Maps one non-ASCII character (already NFKC, lower case) to ASCII when TR39 knows a prototype:
 * NFD, drop combining marks, map each code point, NFD again, lower case. Returns the character
 * unchanged when it has no ASCII reading (e.g. CJK), so distinct scripts stay distinct.
 */
export function foldUnicodeChar(ch: string): string {
  let out = '';
  for (const cp of ch.normalize('NFD')) {
    if (COMBINING_MARK.test(cp)) continue;
    out += UNICODE_MAP.get(cp) ?? cp;
  }
  return out.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}
