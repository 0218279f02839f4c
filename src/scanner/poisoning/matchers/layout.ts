import { excerpt } from '../evidence.js';
import type { LayoutMatcher, MatchHit, ToolText } from '../types.js';

// An escape sequence (CSI such as `ESC[8m` "conceal", OSC such as a hyperlink or window title) or
// any other C0/C1 control character except tab, line feed and carriage return.
const CONTROL = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-_])?|[\u0000-\u0008\u000b\u000c\u000e-\u001a\u001c-\u001f\u007f-\u009f]/u;

function describeControl(seq: string): string {
  const hex = [...seq.slice(0, 12)].map((c) => (c < ' ' || c === '\u007f' ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}` : c)).join('');
  return /^\u001b\[[0-9;]*8m$/u.test(seq) ? `ANSI "conceal" sequence ${hex}` : `terminal control sequence ${hex}`;
}

/** The padding pattern of a matcher, compiled once per matcher (checks run per tool). */
const paddingPatterns = new WeakMap<LayoutMatcher, RegExp>();
function paddingOf(m: LayoutMatcher): RegExp {
  let re = paddingPatterns.get(m);
  if (!re) {
    re = new RegExp(`(?:[ \\t\\u00a0]{${m.minSpaces},}|(?:[ \\t]*\\r?\\n){${m.minLineBreaks},})`, 'u');
    paddingPatterns.set(m, re);
  }
  return re;
}

/** Finds control characters, or visible text after a long run of spaces or line breaks. */
export function matchHiddenLayout(m: LayoutMatcher, texts: ToolText[]): MatchHit | null {
  const padding = paddingOf(m);
  for (const t of texts) {
    if (!m.fields.includes(t.kind)) continue;
    const control = CONTROL.exec(t.raw);
    if (control) {
      return { field: t.field, evidence: excerpt(t.raw.replace(/[\u0000-\u001f\u007f-\u009f]/gu, '?'), control.index, control.index + 40), detail: describeControl(control[0]) };
    }
    const pad = padding.exec(t.raw);
    if (!pad) continue;
    const after = t.raw.slice(pad.index + pad[0].length);
    const visible = after.replace(/\s+/gu, '');
    if (visible.length < m.minHiddenChars) continue;
    const gap = pad[0].includes('\n') ? `${pad[0].split('\n').length - 1} line breaks` : `${pad[0].length} spaces`;
    return { field: t.field, evidence: excerpt(after.trim(), 0, 60), detail: `${visible.length} visible characters after ${gap}` };
  }
  return null;
}
