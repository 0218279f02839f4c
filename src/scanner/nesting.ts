/**
 * Bracket nesting deeper than any person or code generator writes: oxc-parser's native parser
 * crashes the whole process (a segmentation fault) at about 10,000 levels, and the recursive walks
 * of the fact extractors run out of stack at about 2,000. A file nested deeper than NESTING_LIMIT
 * is therefore never parsed: it is scanned as text only and reported as `unanalysed-code`. Other
 * shapes (`a=a=…` chains) still reach the parser; scanIsolated (isolated.ts) covers those.
 */
export const NESTING_LIMIT = 1_000;

/**
 * Whether `(`, `[` and `{` nest deeper than `limit` anywhere in `text`. Brackets inside strings and
 * comments are counted too: a linear pass that cannot be fooled into recursion, and only text with
 * a thousand unclosed brackets in a row reaches the limit. Returns the offset where the limit was
 * passed, or -1.
 */
export function nestingBeyond(text: string, limit = NESTING_LIMIT): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) {
      if (++depth > limit) return i;
    } else if ((c === 41 || c === 93 || c === 125) && depth > 0) depth--;
  }
  return -1;
}
