import unhomoglyph from 'unhomoglyph';

/**
 * Text normalization for matching: what a model reads, not how it is spelled. NFKC folds
 * full-width and compatibility forms; format characters (zero-width, bidi, tags) and variation
 * selectors are dropped so `ig\u200Bnore` still reads `ignore`; non-ASCII letters that are
 * confusable with one ASCII character (Cyrillic `а`, Greek `Ι`) become that character; runs of
 * whitespace become one space.
 */
const INVISIBLE = /[\p{Cf}\u{FE00}-\u{FE0F}\u{E0100}-\u{E01EF}\u{180E}]/gu;
const foldCache = new Map<string, string>();

function foldChar(ch: string): string {
  let out = foldCache.get(ch);
  if (out === undefined) {
    // Fold through the lower-case form: the confusable table maps a capital Greek iota to `l`
    // (its look-alike), but matching needs the letter it stands for, `I`.
    const lower = ch.toLowerCase();
    const mapped = unhomoglyph(lower);
    const ascii = /^[\x21-\x7e]$/.test(mapped) ? mapped : /^[\x21-\x7e]$/.test(unhomoglyph(ch)) ? unhomoglyph(ch) : ch;
    out = lower !== ch ? ascii.toUpperCase() : ascii;
    if (foldCache.size < 10_000) foldCache.set(ch, out);
  }
  return out;
}

export function normalizeText(raw: string): string {
  const nfkc = raw.normalize('NFKC').replace(INVISIBLE, '');
  return nfkc.replace(/[^\x00-\x7f]/gu, foldChar).replace(/\s+/g, ' ').trim();
}

/** Splits normalized text into sentences (a period, `!` or `?` followed by a space, or a line of markup). */
export function splitSentences(norm: string): string[] {
  return norm
    .split(/(?<=[.!?])\s+(?=\S)|(?<=>)\s+|\s+(?=<)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
