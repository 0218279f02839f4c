import { excerpt } from '../evidence.js';
import { splitSentences } from '../normalize.js';
import type { CapabilityMatcher, MatchHit, ToolText } from '../types.js';

/** The regular expressions of one capability matcher, compiled once per rule. */
export interface CompiledCapability {
  negation: RegExp;
  safeContext: RegExp | null;
  capabilities: Array<{ id: string; verbs: RegExp | null; objects: RegExp | null; phrases: RegExp | null }>;
}

export function compileCapability(m: CapabilityMatcher): CompiledCapability {
  const g = (p: string | undefined) => (p ? new RegExp(p, 'giu') : null);
  return {
    negation: new RegExp(`(?:${m.negation})(?:\\s+\\S+){0,${m.negationReach}}\\s*$`, 'iu'),
    safeContext: m.safeContext ? new RegExp(m.safeContext, 'iu') : null,
    capabilities: m.capabilities.map((c) => ({ id: c.id, verbs: g(c.verbs), objects: g(c.objects), phrases: g(c.phrases) })),
  };
}

interface Span {
  start: number;
  end: number;
}

function spans(re: RegExp | null, text: string): Span[] {
  if (!re) return [];
  const out: Span[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    out.push({ start: m.index, end: m.index + m[0].length });
    if (out.length >= 50) break;
  }
  return out;
}

/** Words strictly between two offsets (punctuation that ends a clause breaks the link). */
function wordsBetween(text: string, from: number, to: number): number {
  const gap = text.slice(from, to);
  if (/[;:,()]|\s-\s/.test(gap)) return Infinity;
  const words = gap.trim();
  return words ? words.split(/\s+/).length : 0;
}

/**
 * A capability the tool offers: in one sentence, a verb and an object of the same capability
 * within `gap` words (verb first: "mount the host filesystem"; or object first, next to each
 * other: "filesystem unmount"), or a phrase that names the act by itself ("bind mount"). A match
 * preceded by negation ("does not", "never", "without") does not count, and safety wording
 * anywhere in the field ("read-only", "within the allowed directories") cancels the field; safety
 * wording in the description also cancels the tool's name.
 */
export function matchCapability(m: CapabilityMatcher, c: CompiledCapability, texts: ToolText[]): MatchHit | null {
  // A name is a few words with no room for scoping; the tool's description scopes it
  // (`set_file_mode` + "Set the mode bits of a file in the workspace").
  const scopedByDescription = c.safeContext !== null && texts.some((t) => t.kind === 'description' && c.safeContext!.test(t.norm));
  for (const t of texts) {
    if (!m.fields.includes(t.kind) || t.norm.length === 0) continue;
    if (c.safeContext?.test(t.norm) || (t.kind === 'name' && scopedByDescription)) continue;
    for (const sentence of splitSentences(t.norm)) {
      for (const cap of c.capabilities) {
        const found: Span[] = [...spans(cap.phrases, sentence)];
        const verbs = spans(cap.verbs, sentence);
        const objects = verbs.length ? spans(cap.objects, sentence) : [];
        for (const v of verbs) {
          for (const o of objects) {
            if (o.start >= v.end && wordsBetween(sentence, v.end, o.start) <= m.gap) found.push({ start: v.start, end: o.end });
            else if (v.start >= o.end && wordsBetween(sentence, o.end, v.start) === 0) found.push({ start: o.start, end: v.end });
          }
        }
        for (const f of found.sort((a, b) => a.start - b.start)) {
          if (c.negation.test(sentence.slice(0, f.start))) continue;
          return {
            field: t.field,
            evidence: excerpt(sentence, f.start, f.end),
            detail: `capability ${cap.id}: "${sentence.slice(f.start, f.end).slice(0, 80)}"`,
          };
        }
      }
    }
  }
  return null;
}
