/**
 * Matcher engines: the code behind each `matcher.kind` of a rule. Rules say WHAT to look for
 * (callee sets, regexes, sources and sinks); engines say HOW over a file's facts or text.
 */
import type { ExprSummary, FileFacts } from './types.js';
import type { FileContext } from './file-context.js';
import type { Matcher } from './rules.js';
import { compilePatterns, compileRegexList, type PatternSet } from './catalog.js';

export interface Hit {
  start: number;
  line: number;
  column: number;
  /** Extra words for the message (what source, which guard, which value). */
  detail?: string;
}

type M<K extends Matcher['kind']> = Extract<Matcher, { kind: K }>;

const compiled = new WeakMap<object, unknown>();
function once<T>(key: object, make: () => T): T {
  let v = compiled.get(key) as T | undefined;
  if (v === undefined) compiled.set(key, (v = make()));
  return v;
}

const truthy = (s: ExprSummary): boolean => s.kind === 'bool' && s.strings[0] === 'true';
const show = (s: string, n = 60): string => JSON.stringify(s.length > n ? s.slice(0, n) + '…' : s);

// ---- call -------------------------------------------------------------------------------------
function matchCall(m: M<'call'>, ctx: FileContext, facts: FileFacts): Hit[] {
  const c = once(m, () => ({
    callee: compilePatterns(m.callee, 'calls', 'matcher.callee'),
    args: (m.args ?? []).map((a) => ({ ...a, re: a.regex ? compileRegexList(a.regex, 'matcher.args.regex') : undefined, callsRe: a.calls ? compilePatterns(a.calls, 'calls', 'matcher.args.calls') : undefined })),
    kwargs: Object.entries(m.kwargs ?? {}).map(([k, v]) => ({ k, ...v, re: v.regex ? compileRegexList(v.regex, 'matcher.kwargs.regex') : undefined })),
  }));
  const hits: Hit[] = [];
  for (const call of facts.calls) {
    if (!c.callee.test(call.callee)) continue;
    if (m.isNew !== undefined && call.isNew !== m.isNew) continue;
    if (m.inLoop !== undefined && call.inLoop !== m.inLoop) continue;
    if (m.notInFunction && call.fn >= 0) continue;
    let detail: string | undefined;
    const argOk = c.args.every((cond) => {
      const candidates = cond.index !== undefined ? [call.args[cond.index]].filter((x): x is ExprSummary => !!x) : call.args;
      return candidates.some((a) => {
        if (cond.kind && !cond.kind.includes(a.kind)) return false;
        if (cond.notConstant && ctx.isConstant(a)) return false;
        if (cond.callsRe && !a.calls.some((x) => cond.callsRe!.test(x))) return false;
        if (cond.re) {
          const s = ctx.allStrings(a).find((x) => cond.re!.test(x));
          if (s === undefined) return false;
          detail = show(s);
        }
        return true;
      });
    });
    if (!argOk) continue;
    const kwOk = c.kwargs.every((cond) => {
      const v = call.kwargs[cond.k];
      if (cond.present === false) return v === undefined;
      if (!v) return false;
      if (cond.truthy && !truthy(v)) return false;
      if (cond.notConstant && ctx.isConstant(v)) return false;
      if (cond.re && !ctx.allStrings(v).some((x) => cond.re!.test(x))) return false;
      return true;
    });
    if (!kwOk) continue;
    hits.push({ start: call.start, line: call.line, column: call.column, detail: detail ?? call.callee });
  }
  return hits;
}

// ---- import -----------------------------------------------------------------------------------
function matchImport(m: M<'import'>, facts: FileFacts): Hit[] {
  const re = once(m, () => compilePatterns(m.modules, 'modules', 'matcher.modules'));
  return facts.imports.filter((i) => re.test(i.module)).map((i) => ({ start: i.start, line: i.line, column: i.column, detail: i.module }));
}

// ---- taint ------------------------------------------------------------------------------------
interface CompiledSource {
  label: string;
  members?: PatternSet;
  calls?: PatternSet;
  argRe?: RegExp;
  literal?: RegExp;
}

/**
 * Intra-file, flow-insensitive taint: a name is tainted when any assignment to it holds a source
 * or a tainted name; a sink is hit when one of its watched arguments (or fields) does.
 */
function matchTaint(m: M<'taint'>, ctx: FileContext, facts: FileFacts): Hit[] {
  const c = once(m, () => ({
    sources: m.sources.map(
      (s): CompiledSource => ({
        label: s.label,
        ...(s.members ? { members: compilePatterns(s.members, 'members', 'matcher.sources.members') } : {}),
        ...(s.calls ? { calls: compilePatterns(s.calls, 'calls', 'matcher.sources.calls') } : {}),
        ...(s.argRegex ? { argRe: compileRegexList(s.argRegex, 'matcher.sources.argRegex') } : {}),
        ...(s.literal ? { literal: compileRegexList(s.literal, 'matcher.sources.literal') } : {}),
      }),
    ),
    sinks: m.sinks.map((s) => ({ ...s, callsRe: s.calls ? compilePatterns(s.calls, 'calls', 'matcher.sinks.calls') : undefined, fieldsRe: s.fields ? compileRegexList(s.fields, 'matcher.sinks.fields') : undefined })),
  }));
  // Sinks first: most files have none, and then no summary needs building.
  const sinkCalls = c.sinks.some((k) => k.callsRe) ? facts.calls.filter((call) => c.sinks.some((k) => k.callsRe?.test(call.callee))) : [];
  const sinkFields = c.sinks.some((k) => k.fieldsRe) ? facts.fields.filter((f) => c.sinks.some((k) => k.fieldsRe?.test(f.field))) : [];
  if (sinkCalls.length === 0 && sinkFields.length === 0) return [];
  const direct = (s: ExprSummary): string | undefined => {
    for (const src of c.sources) {
      if (src.members && s.members.some((x) => src.members!.test(x))) return src.label;
      if (src.calls && s.calls.some((x) => src.calls!.test(x)) && (!src.argRe || ctx.allStrings(s).some((x) => src.argRe!.test(x)))) return src.label;
      if (src.literal && s.strings.some((x) => src.literal!.test(x))) return src.label;
    }
    return undefined;
  };
  const tainted = new Map<string, string>();
  const viaRefs = (s: ExprSummary, self?: string): string | undefined => {
    for (const r of s.refs) if (r !== self && tainted.has(r)) return tainted.get(r);
    for (const c of s.calls) if (tainted.has(`${c}()`)) return tainted.get(`${c}()`);
    return undefined;
  };
  const assigns = [...facts.assigns, ...paramAssigns(facts)];
  let changed = true;
  for (let round = 0; changed && round < 8; round++) {
    changed = false;
    for (const a of assigns) {
      if (tainted.has(a.name)) continue;
      const label = direct(a.value) ?? viaRefs(a.value, a.name);
      if (label !== undefined) {
        tainted.set(a.name, label);
        changed = true;
      }
    }
  }
  const hitOf = (s: ExprSummary): string | undefined => direct(s) ?? viaRefs(s);
  const hits: Hit[] = [];
  const seen = new Set<number>();
  for (const sink of c.sinks) {
    if (sink.callsRe) {
      for (const call of sinkCalls) {
        if (seen.has(call.start) || !sink.callsRe.test(call.callee)) continue;
        const watched: ExprSummary[] = [];
        if (!sink.args && !sink.kwargs) watched.push(...call.args, ...Object.values(call.kwargs));
        for (const i of sink.args ?? []) if (call.args[i]) watched.push(call.args[i]!);
        for (const k of sink.kwargs ?? []) if (call.kwargs[k]) watched.push(call.kwargs[k]!);
        for (const w of watched) {
          const label = hitOf(w);
          if (label !== undefined) {
            seen.add(call.start);
            hits.push({ start: call.start, line: call.line, column: call.column, detail: `${label} → ${call.callee}` });
            break;
          }
        }
      }
    }
    if (sink.fieldsRe) {
      for (const f of sinkFields) {
        if (seen.has(f.start) || !sink.fieldsRe.test(f.field)) continue;
        const label = hitOf(f.value);
        if (label !== undefined) {
          seen.add(f.start);
          const value = ctx.allStrings(f.value).find((x) => c.sources.some((s) => s.literal?.test(x)));
          hits.push({ start: f.start, line: f.line, column: f.column, detail: `${label}${value ? ` ${show(value)}` : ''} → ${f.field}` });
        }
      }
    }
  }
  return hits;
}

/** Arguments of calls to same-file functions flow into their parameters (`open(url)` → `url`). */
const paramCache = new WeakMap<FileFacts, { name: string; value: ExprSummary }[]>();
function paramAssigns(facts: FileFacts): { name: string; value: ExprSummary }[] {
  const cached = paramCache.get(facts);
  if (cached) return cached;
  const byName = new Map<string, string[]>();
  for (const f of facts.functions) if (f.name && f.params.length > 0 && !byName.has(f.name)) byName.set(f.name, f.params);
  const out: { name: string; value: ExprSummary }[] = [];
  if (byName.size > 0) {
    for (const call of facts.calls) {
      const local = call.callee.startsWith('this.') ? call.callee.slice(5) : call.callee;
      const params = byName.get(local);
      if (!params) continue;
      call.args.forEach((a, i) => {
        if (params[i] !== undefined && out.length < 20_000) out.push({ name: params[i]!, value: a });
      });
    }
  }
  paramCache.set(facts, out);
  return out;
}

// ---- guarded calls (logic bombs, anti-debugging) ------------------------------------------------
function guardKinds(g: ExprSummary, facts: FileFacts, ctx: FileContext): Set<string> {
  const sets = once(guardKinds, () => ({
    clock: compilePatterns(['$clock'], 'calls', 'clock'),
    host: compilePatterns(['$hostname'], 'calls', 'hostname'),
    timer: compilePatterns(['$timer'], 'calls', 'timer'),
    envMember: compilePatterns(['process.env.*', 'os.environ.*'], 'members', 'env'),
    envCall: compilePatterns(['os.getenv', 'os.environ.get'], 'calls', 'env'),
    debugMember: compilePatterns(['process.execArgv*', 'process.debugPort', 'inspector.*', 'sys.gettrace', 'sys.gettrace()'], 'members', 'debug'),
    debugCall: compilePatterns(['inspector.url', 'process.execArgv.*', 'sys.gettrace', 'sys.getprofile'], 'calls', 'debug'),
  }));
  const kinds = new Set<string>();
  const strs = ctx.allStrings(g);
  const literalCompare = g.comparesLiteral || g.calls.some((c) => /\.(includes|startsWith|endsWith|match|test|indexOf|some)$/.test(c));
  const fixedDate = literalCompare || g.numbers.some((n) => n >= 1970 && n <= 2100) || strs.some((s) => /^\d{4}-\d{2}-\d{2}/.test(s));
  if (fixedDate && g.calls.some((c) => sets.clock.test(c)) && !g.subtracts) kinds.add('date');
  if (g.calls.some((c) => sets.host.test(c) || /^(os\.hostname|os\.userInfo)\(\)\./.test(c)) && (literalCompare || strs.length > 0)) kinds.add('hostname');
  if (literalCompare && strs.length > 0 && (g.members.some((x) => sets.envMember.test(x)) || g.calls.some((x) => sets.envCall.test(x)))) kinds.add('env');
  if (g.comparesLiteral && g.numbers.some((n) => n >= 10) && g.refs.some((r) => facts.counters.includes(r))) kinds.add('counter');
  if (g.comparesLiteral && g.subtracts && g.calls.some((c) => sets.timer.test(c))) kinds.add('timing');
  if (g.members.some((x) => sets.debugMember.test(x)) || g.calls.some((x) => sets.debugCall.test(x)) || strs.some((s) => /^--(inspect|debug)/.test(s))) kinds.add('debugger-check');
  return kinds;
}

function matchGuarded(m: M<'guarded-call'>, ctx: FileContext, facts: FileFacts): Hit[] {
  const re = once(m, () => compilePatterns(m.callee, 'calls', 'matcher.callee'));
  const hits: Hit[] = [];
  const reported = new Set<ExprSummary>();
  const memo = new Map<ExprSummary, Set<string>>();
  for (const call of facts.calls) {
    if (!call.guarded || !re.test(call.callee)) continue;
    for (const g of call.guards) {
      let kinds = memo.get(g);
      if (!kinds) memo.set(g, (kinds = guardKinds(g, facts, ctx)));
      const kind = m.guard.find((k) => kinds.has(k));
      if (!kind) continue;
      if (m.oncePerGuard && reported.has(g)) break;
      reported.add(g);
      hits.push({ start: call.start, line: call.line, column: call.column, detail: `${call.callee} behind a ${kind} condition` });
      break;
    }
  }
  return hits;
}

// ---- strings and identifiers -----------------------------------------------------------------------
export function shannonEntropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  const n = [...s].length;
  for (const c of counts.values()) {
    const p = c / n;
    h -= p * Math.log2(p);
  }
  return h;
}

function matchString(m: M<'string'>, facts: FileFacts): Hit[] {
  const c = once(m, () => ({
    re: m.regex ? compileRegexList(m.regex, 'matcher.regex', '') : undefined,
    not: m.notRegex ? compileRegexList(m.notRegex, 'matcher.notRegex') : undefined,
    ctx: m.context ? compileRegexList(m.context, 'matcher.context') : undefined,
  }));
  const hits: Hit[] = [];
  for (const s of facts.strings) {
    const v = s.value;
    if (m.minLength !== undefined && v.length < m.minLength) continue;
    if (m.maxLength !== undefined && v.length > m.maxLength) continue;
    if (c.ctx && !(s.context && c.ctx.test(s.context))) continue;
    if (c.re && !c.re.test(v)) continue;
    if (c.not && c.not.test(v)) continue;
    if (m.minEntropy !== undefined && shannonEntropy(v) < m.minEntropy) continue;
    hits.push({ start: s.start, line: s.line, column: s.column, detail: `${s.context ? `${s.context} = ` : ''}${v.length} chars` });
    if (hits.length >= (m.maxPerFile ?? 5)) break;
  }
  return hits;
}

function matchHexIdents(m: M<'hex-identifiers'>, facts: FileFacts): Hit[] {
  if (facts.hexIdents < m.minCount || facts.hexIdents / Math.max(1, facts.identCount) < m.minRatio) return [];
  return [{ start: 0, line: 1, column: 1, detail: `${facts.hexIdents} of ${facts.identCount} identifiers look like _0x…` }];
}

// ---- raw text ------------------------------------------------------------------------------------
function matchText(m: M<'text'>, ctx: FileContext): Hit[] {
  const c = once(m, () => ({
    re: new RegExp(m.regex.map((r) => `(?:${r})`).join('|'), m.caseSensitive ? 'gu' : 'giu'),
    files: m.files ? compileRegexList(m.files, 'matcher.files') : undefined,
    notFiles: m.notFiles ? compileRegexList(m.notFiles, 'matcher.notFiles') : undefined,
  }));
  if (c.files && !c.files.test(ctx.file.path)) return [];
  if (c.notFiles && c.notFiles.test(ctx.file.path)) return [];
  const hits: Hit[] = [];
  c.re.lastIndex = 0;
  const max = m.maxPerFile ?? 3;
  for (let match = c.re.exec(ctx.file.text); match; match = c.re.exec(ctx.file.text)) {
    const p = ctx.lines.position(match.index);
    const shown = [...match[0]].map((ch) => (/[\p{Cf}\p{Co}]/u.test(ch) ? `\\u{${ch.codePointAt(0)!.toString(16)}}` : ch)).join('');
    hits.push({ start: match.index, ...p, detail: shown.length > 60 ? shown.slice(0, 60) + '…' : shown });
    if (hits.length >= max) break;
    if (match[0].length === 0) c.re.lastIndex++;
  }
  return hits;
}

function matchMarker(m: M<'marker'>, facts: FileFacts): Hit[] {
  return facts.markers.filter((x) => x.type === m.type && (m.inLoop === undefined || x.inLoop === m.inLoop)).map((x) => ({ start: x.start, line: x.line, column: x.column, detail: x.type }));
}

// ---- package.json install scripts ---------------------------------------------------------------
function matchScripts(m: M<'package-scripts'>, ctx: FileContext): Hit[] {
  const c = once(m, () => ({
    cmd: m.commandRegex ? compileRegexList(m.commandRegex, 'matcher.commandRegex') : undefined,
    ignore: m.ignoreRegex ? compileRegexList(m.ignoreRegex, 'matcher.ignoreRegex') : undefined,
  }));
  let pkg: { scripts?: Record<string, unknown> };
  try {
    pkg = JSON.parse(ctx.file.text) as typeof pkg;
  } catch {
    return [];
  }
  const hits: Hit[] = [];
  for (const name of m.scripts) {
    const cmd = pkg?.scripts?.[name];
    if (typeof cmd !== 'string') continue;
    if (c.cmd && !c.cmd.test(cmd)) continue;
    if (c.ignore && c.ignore.test(cmd)) continue;
    const at = Math.max(0, ctx.file.text.indexOf(`"${name}"`));
    hits.push({ start: at, ...ctx.lines.position(at), detail: `${name}: ${show(cmd, 120)}` });
  }
  return hits;
}

/** Runs one synchronous matcher on a file. Built-in kinds (secrets, tools, deps) run elsewhere. */
export function runFileMatcher(m: Matcher, ctx: FileContext): Hit[] {
  const facts = ctx.facts;
  switch (m.kind) {
    case 'text':
      return matchText(m, ctx);
    case 'package-scripts':
      return matchScripts(m, ctx);
    default:
      break;
  }
  if (!facts) return [];
  switch (m.kind) {
    case 'call':
      return matchCall(m, ctx, facts);
    case 'import':
      return matchImport(m, facts);
    case 'taint':
      return matchTaint(m, ctx, facts);
    case 'guarded-call':
      return matchGuarded(m, ctx, facts);
    case 'string':
      return matchString(m, facts);
    case 'hex-identifiers':
      return matchHexIdents(m, facts);
    case 'marker':
      return matchMarker(m, facts);
    default:
      return [];
  }
}
