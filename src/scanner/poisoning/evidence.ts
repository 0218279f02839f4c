import { LIMITS } from './limits.js';

/** Characters a reader cannot see or that reorder text: shown as `\u{..}` in evidence. */
const HIDDEN = /[\p{Cf}\p{Co}\u{FE00}-\u{FE0F}\u{E0100}-\u{E01EF}\u{180E}\u{0000}-\u{0008}\u{000B}-\u{001F}\u{007F}]/u;

export function escapeHidden(text: string): string {
  let out = '';
  for (const ch of text) {
    out += HIDDEN.test(ch) ? `\\u{${ch.codePointAt(0)!.toString(16).toUpperCase()}}` : ch;
  }
  return out;
}

/**
 * An excerpt of `text` around `[start, end)`, at most LIMITS.evidenceChars characters after
 * escaping, with `…` where it was cut.
 */
export function excerpt(text: string, start = 0, end = text.length): string {
  const max = LIMITS.evidenceChars;
  const flat = (s: string) => escapeHidden(s.replace(/\s+/g, ' '));
  const whole = flat(text).trim();
  if (whole.length <= max) return whole;
  const before = Math.max(0, start - 40);
  let body = flat(text.slice(before, Math.max(end, before + max)));
  const lead = before > 0 ? '…' : '';
  if (lead.length + body.length > max) body = body.slice(0, max - lead.length - 1).trimEnd() + '…';
  return lead + body.trimStart();
}
