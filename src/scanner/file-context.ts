/** Per-file helpers over facts: constant propagation of strings by variable name, constness. */
import type { ExprSummary, FileFacts, SourceFile } from './types.js';
import type { LineIndex } from './lines.js';

export interface FileContext {
  file: SourceFile;
  lines: LineIndex;
  facts?: FileFacts;
  /** String values a name may hold (through assignments, transitively, bounded). */
  stringsOf(name: string): string[];
  /** Strings in the expression plus those its referenced names may hold. */
  allStrings(s: ExprSummary): string[];
  /** The expression is a compile-time constant (literal, or names only bound to literals). */
  isConstant(s: ExprSummary): boolean;
  /** Assignments by variable name. */
  assignsOf(name: string): ExprSummary[];
}

export function makeFileContext(file: SourceFile, lines: LineIndex, facts?: FileFacts): FileContext {
  const byName = new Map<string, ExprSummary[]>();
  for (const a of facts?.assigns ?? []) {
    let list = byName.get(a.name);
    if (!list) byName.set(a.name, (list = []));
    if (list.length < 50) list.push(a.value);
  }
  const strMemo = new Map<string, string[]>();
  const stringsOf = (name: string, depth = 0, seen = new Set<string>()): string[] => {
    const m = strMemo.get(name);
    if (m) return m;
    if (depth > 4 || seen.has(name)) return [];
    seen.add(name);
    const out: string[] = [];
    for (const v of byName.get(name) ?? []) {
      out.push(...v.strings);
      for (const r of v.refs) if (r !== name) out.push(...stringsOf(r, depth + 1, seen));
      if (out.length > 200) break;
    }
    if (depth === 0) strMemo.set(name, out);
    return out;
  };
  const constMemo = new Map<string, boolean>();
  const nameConst = (name: string, depth: number): boolean => {
    const m = constMemo.get(name);
    if (m !== undefined) return m;
    const list = byName.get(name);
    constMemo.set(name, false); // cycles are not constant
    const ok = !!list && list.length > 0 && depth < 5 && list.every((v) => isConst(v, depth + 1));
    constMemo.set(name, ok);
    return ok;
  };
  const isConst = (s: ExprSummary, depth = 0): boolean => {
    if (s.constant) return true;
    if (s.calls.length > 0 || s.kind === 'function' || s.kind === 'call') return false;
    if (s.members.length > 0) return false;
    if (s.refs.length === 0) return s.kind === 'string' || s.kind === 'number' || s.kind === 'concat' || s.kind === 'template' || s.kind === 'bool';
    return s.refs.every((r) => nameConst(r, depth));
  };
  return {
    file,
    lines,
    ...(facts ? { facts } : {}),
    stringsOf: (n) => stringsOf(n),
    allStrings: (s) => {
      if (s.refs.length === 0) return s.strings;
      const out = [...s.strings];
      for (const r of s.refs) out.push(...stringsOf(r));
      return out;
    },
    isConstant: (s) => isConst(s),
    assignsOf: (n) => byName.get(n) ?? [],
  };
}
