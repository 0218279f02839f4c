import { excerpt } from '../evidence.js';
import { splitSentences } from '../normalize.js';
import type { MatchHit, SignalSpec, SignalsMatcher, ToolText } from '../types.js';
import type { MatchContext } from './context.js';

interface Part {
  field: string;
  text: string;
}

interface SignalHit {
  signal: SignalSpec;
  part: number;
  index: number;
  length: number;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A pattern for "the text names one of these other tools": quoted or back-ticked, followed by
 * "tool", or — for identifier-like names (`send_email`, `listChats`) — anywhere as a word.
 */
export function otherToolPattern(names: string[]): RegExp | null {
  const quoted: string[] = [];
  const bare: string[] = [];
  for (const n of new Set(names)) {
    if (n.length < 2 || n.length > 128) continue;
    const e = escapeRe(n);
    quoted.push(e);
    if (n.length >= 4 && (/[_\-.]/.test(n) || /[a-z][A-Z]/.test(n))) bare.push(e);
  }
  if (quoted.length === 0) return null;
  const q = quoted.join('|');
  const alts = [`[\`'"(]\\s*(?:${q})\\s*[\`'")]`, `\\b(?:${q})\\s+(?:tool|function|command)\\b`];
  if (bare.length > 0) alts.push(`(?<![\\w-])(?:${bare.join('|')})(?![\\w-])`);
  return new RegExp(alts.join('|'), 'iu');
}

function windows(m: SignalsMatcher, texts: ToolText[]): Part[][] {
  const inScope = texts.filter((t) => m.fields.includes(t.kind) && t.norm.length > 0);
  if (m.window === 'tool') return inScope.length ? [inScope.map((t) => ({ field: t.field, text: t.norm }))] : [];
  if (m.window === 'field') return inScope.map((t) => [{ field: t.field, text: t.norm }]);
  const out: Part[][] = [];
  for (const t of inScope) {
    const sentences = splitSentences(t.norm);
    const span = Math.max(1, m.span);
    for (let i = 0; i < sentences.length; i++) {
      out.push([{ field: t.field, text: sentences.slice(i, i + span).join(' ') }]);
      if (i + span >= sentences.length) break;
    }
  }
  return out;
}

export function matchSignals(
  m: SignalsMatcher,
  compiled: Map<SignalSpec, RegExp>,
  texts: ToolText[],
  ctx: MatchContext,
): MatchHit | null {
  const needsOthers = m.signals.some((s) => s.builtin === 'mentions-other-tool');
  const othersRe = needsOthers ? otherToolPattern(ctx.others) : null;
  let best: { score: number; hits: SignalHit[]; parts: Part[] } | null = null;
  for (const parts of windows(m, texts)) {
    const hits: SignalHit[] = [];
    for (const signal of m.signals) {
      const re = signal.builtin === 'mentions-other-tool' ? othersRe : compiled.get(signal);
      if (!re) continue;
      for (let p = 0; p < parts.length; p++) {
        const found = re.exec(parts[p]!.text);
        if (found) {
          hits.push({ signal, part: p, index: found.index, length: found[0].length });
          break;
        }
      }
    }
    if (hits.length === 0) continue;
    const score = hits.reduce((sum, h) => sum + h.signal.weight, 0);
    if (score < m.threshold) continue;
    const groups = new Set(hits.map((h) => h.signal.group).filter(Boolean));
    if (!m.require.every((g) => groups.has(g))) continue;
    if (!best || score > best.score) best = { score, hits, parts };
  }
  if (!best) return null;
  const top = [...best.hits].sort((a, b) => b.signal.weight - a.signal.weight)[0]!;
  const part = best.parts[top.part]!;
  return {
    field: part.field,
    evidence: excerpt(part.text, top.index, top.index + top.length),
    detail: `signals ${best.hits.map((h) => h.signal.id).join(', ')} (score ${best.score} >= ${m.threshold})`,
  };
}
