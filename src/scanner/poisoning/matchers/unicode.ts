import { excerpt } from '../evidence.js';
import type { MatchHit, ToolText, UnicodeMatcher } from '../types.js';

type UnicodeClass = UnicodeMatcher['classes'][number];

/** The class of an invisible or reordering code point, or null for a visible one. */
export function invisibleClass(cp: number): UnicodeClass | null {
  if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp === 0x200e || cp === 0x200f || cp === 0x061c) return 'bidi';
  if ((cp >= 0x200b && cp <= 0x200d) || (cp >= 0x2060 && cp <= 0x2064) || cp === 0xfeff || cp === 0x180e) return 'zero-width';
  if (cp >= 0xe0000 && cp <= 0xe007f) return 'tag';
  if (cp >= 0xe0100 && cp <= 0xe01ef) return 'variation-selector';
  if ((cp >= 0xe000 && cp <= 0xf8ff) || cp >= 0xf0000) return 'private-use';
  return null;
}

const PICTOGRAPH = /\p{Extended_Pictographic}/u;
const BLACK_FLAG = 0x1f3f4;

/**
 * Decodes what invisible characters carry: Unicode tags map to ASCII (`U+E0041` is `A`), and
 * variation selectors 17–256 to bytes 16–255 with selectors 1–16 as bytes 0–15 (the "emoji
 * smuggling" encoding).
 */
export function decodeHidden(chars: number[]): string {
  const tags = chars.filter((c) => c >= 0xe0020 && c <= 0xe007e).map((c) => c - 0xe0000);
  const vs = chars.filter((c) => (c >= 0xe0100 && c <= 0xe01ef) || (c >= 0xfe00 && c <= 0xfe0f));
  const bytes = vs.map((c) => (c >= 0xe0100 ? c - 0xe0100 + 16 : c - 0xfe00));
  const text = String.fromCharCode(...tags) + (bytes.length ? Buffer.from(bytes).toString('utf8') : '');
  return text.replace(/[^\x20-\x7e]/g, '?');
}

export function matchInvisible(m: UnicodeMatcher, texts: ToolText[]): MatchHit | null {
  for (const t of texts) {
    if (!m.fields.includes(t.kind)) continue;
    const cps = Array.from(t.raw, (ch) => ch.codePointAt(0)!);
    const found: number[] = [];
    let first = -1;
    let offset = 0;
    const counts = new Map<UnicodeClass, number>();
    for (let i = 0; i < cps.length; i++) {
      const cp = cps[i]!;
      const cls = invisibleClass(cp);
      const here = offset;
      offset += cp > 0xffff ? 2 : 1;
      if (!cls || !m.classes.includes(cls)) continue;
      // Legitimate uses: a byte-order mark at the start, a joiner inside an emoji sequence,
      // tag characters spelling a subdivision flag after U+1F3F4.
      if (cp === 0xfeff && i === 0) continue;
      if (cp === 0x200d && i > 0 && PICTOGRAPH.test(String.fromCodePoint(cps[i - 1]!))) continue;
      if (cls === 'tag' && flagSequence(cps, i)) continue;
      found.push(cp);
      counts.set(cls, (counts.get(cls) ?? 0) + 1);
      if (first < 0) first = here;
    }
    if (found.length < m.minCount) continue;
    const hidden = decodeHidden(found);
    const summary = [...counts].map(([c, n]) => `${n} ${c}`).join(', ');
    return {
      field: t.field,
      evidence: excerpt(t.raw, first, first + 40),
      detail: hidden.trim() ? `${summary}; hidden text reads "${hidden.slice(0, 120)}"` : summary,
    };
  }
  return null;
}

function flagSequence(cps: number[], i: number): boolean {
  let j = i;
  while (j > 0 && cps[j - 1]! >= 0xe0000 && cps[j - 1]! <= 0xe007f) j--;
  return j > 0 && cps[j - 1] === BLACK_FLAG;
}
