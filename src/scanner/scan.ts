/**
 * The scan pipeline: target → files → (text rules, secrets, facts → fact rules) per file →
 * project rules (MCP tool poisoning, description-vs-code mismatch) → inline suppressions →
 * baseline → capabilities, score and rating.
 */
import { WARDEN_VERSION } from '../core/version.js';
import { WardenError } from '../core/errors.js';
import type { Capabilities, CapabilityName, ExtractedTool, FileFacts, Finding, RawTool, ScanReport, Severity, SourceFile, SuppressedFinding } from './types.js';
import { SEVERITIES } from './types.js';
import { LineIndex, snippetAt } from './lines.js';
import { loadRules, type Rule } from './rules.js';
import { runFileMatcher, type Hit } from './engines.js';
import { makeFileContext, type FileContext } from './file-context.js';
import { extractJsFacts } from './js-facts.js';
import { NESTING_LIMIT, nestingBeyond } from './nesting.js';
import { extractPythonFacts, pythonParser } from './py-facts.js';
import { findSecrets } from './secrets.js';
import { dependencyLookalikes } from './dependencies.js';
import { addCapability, callCapabilities, emptyCapabilities, fileCapabilities, nativeFile, openModes } from './capabilities.js';
import { fingerprint, inlineSuppression, readBaseline } from './suppress.js';
import { riskScore } from './score.js';
import { resolveTarget, TARGET_LIMITS, type TargetFile } from './targets.js';
import { checkTool, poisonRuleInfo, toolClaimsReadOnly } from './poisoning-adapter.js';

export interface ScanProgress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  current: string;
}

export interface ScanOptions {
  /** Extra rule folders (`--rules DIR`). */
  rulesDirs?: string[];
  /** Rule ids to turn off (`--disable`). */
  disable?: string[];
  /** Run only these rule ids (fixture tests, focused scans). */
  only?: string[];
  /** Path of a baseline file, or the fingerprints themselves. */
  baseline?: string | Set<string>;
  /** For `npm:` targets: install and scan the dependency tree (scripts disabled). For folders: include node_modules. */
  deps?: boolean;
  onProgress?: (p: ScanProgress) => void;
  /** Overrides the npm binary for `npm:` targets. */
  npmCommand?: string;
  /**
   * Files (target-relative paths) known to crash the parser: they are not parsed and are reported
   * as unanalysed-code. scanIsolated passes the file a crashed child was parsing.
   */
  unanalysed?: string[];
  /**
   * Called synchronously with a file's path just before it is handed to a parser, and with
   * `undefined` when the parser is done (scanIsolated's marker of which file a crash happened in).
   */
  onParse?: (path: string | undefined) => void;
}

export interface InMemoryTarget {
  files: { path: string; text: string }[];
  label?: string;
}

const JS_FILE = /\.(js|mjs|cjs|jsx|ts|mts|cts|tsx)$/i;
const DTS_FILE = /\.d\.(ts|mts|cts)$/i;
const PY_FILE = /\.py$/i;
const MAX_INMEMORY_FILES = 10_000;
/**
 * Bounds of the cross-file tool pass: registering files re-read, files loaded for their exports,
 * bytes per file, import depth and value lookups per reading. Each reading can load the next file
 * of a chain, so a file is read at most depth + 2 times.
 */
const CROSS_FILE = { candidates: 50, files: 300, bytes: 2_000_000, depth: 6, lookups: 5_000 } as const;

function languageOf(path: string): 'js' | 'python' | 'package-json' | 'text' {
  if (/(^|\/)package\.json$/.test(path)) return 'package-json';
  if (JS_FILE.test(path) && !DTS_FILE.test(path)) return 'js';
  if (PY_FILE.test(path)) return 'python';
  return 'text';
}

function looksBinary(buf: Buffer): boolean {
  const n = Math.min(buf.length, 8000);
  for (let i = 0; i < n; i++) if (buf[i] === 0) return true;
  return false;
}

/** A rule id → the rule, for project-level findings. */
interface RunState {
  rules: Rule[];
  byLang: Record<'js' | 'python' | 'package-json' | 'text', Rule[]>;
  findings: Finding[];
  suppressed: SuppressedFinding[];
  tools: ExtractedTool[];
  caps: Capabilities;
  parseErrors: { file: string; message: string }[];
  occurrences: Map<string, number>;
  lineIndexes: Map<string, LineIndex>;
  pendingTools: { tool: ExtractedTool; reach: CodeReach }[];
  fileFunctions: Map<string, Map<string, CodeReach>>;
  /** JS files whose tool registrations read relative imports (resolved after all files are scanned). */
  crossFileCandidates: string[];
  /** Tool-shaped definitions, added after all files if the package uses MCP (addDefinitionTools). */
  definitionTools: { tool: ExtractedTool; reach: CodeReach; lines: LineIndex }[];
  /** Whether any file registers tools or imports an MCP library. */
  usesMcp: boolean;
  /** Files not to parse (ScanOptions.unanalysed), and files already reported as unanalysed. */
  crashedBefore: Set<string>;
  unanalysedFiles: Set<string>;
  onParse: ((path: string | undefined) => void) | undefined;
}

/** Modules whose import marks a package as an MCP server (the SDK, FastMCP, tmcp, mcp-framework and the like). */
const MCP_MODULE = /modelcontextprotocol|(?:^|[/@_.-])(?:fast|t)?mcp(?:$|[/_.-])|^mcp-framework\b/i;
/** The rule scan.ts reports itself for files it could not analyse (src/scanner/rules/unanalysed-code.yaml). */
const UNANALYSED_RULE = 'unanalysed-code';
/** Tool-shaped definitions added per scan, at most. */
const MAX_DEFINITION_TOOLS = 2_000;

function addFinding(st: RunState, lines: LineIndex, path: string, f: Omit<Finding, 'fingerprint' | 'snippet' | 'file'>, suppressible = true): void {
  const reason = suppressible ? inlineSuppression(lines, f.line, f.ruleId) : undefined;
  if (reason !== undefined) {
    st.suppressed.push({ ruleId: f.ruleId, file: path, line: f.line, reason });
    return;
  }
  const lineText = lines.lineText(f.line);
  const key = `${f.ruleId}\0${path}\0${lineText.replace(/\s+/g, ' ').trim()}`;
  const occ = st.occurrences.get(key) ?? 0;
  st.occurrences.set(key, occ + 1);
  st.findings.push({ ...f, file: path, snippet: snippetAt(lines, f.line, f.column), fingerprint: fingerprint(f.ruleId, path, lineText, occ) });
}

function ruleFinding(rule: Rule, hit: Hit): Omit<Finding, 'fingerprint' | 'snippet' | 'file'> {
  return {
    ruleId: rule.id,
    severity: rule.severity,
    confidence: rule.confidence,
    category: rule.category,
    line: hit.line,
    column: hit.column,
    message: hit.detail ? `${rule.message} (${hit.detail})` : rule.message,
    fixHint: rule.fixHint,
  };
}

const RELATIVE_CALLEE = /^(\.\.?\/[^]*)\.([A-Za-z_$][\w$]*)$/;

/** What calls inside some ranges can do: own capabilities, local functions called by name, and calls into relative imports. */
interface CodeReach {
  caps: Set<CapabilityName>;
  /** Calls into other files of the target: `{module: './lib.js', name: 'writeFileContent'}`. */
  external: { module: string; name: string }[];
}

function reachOf(facts: FileFacts, ranges: { start: number; end: number }[]): CodeReach {
  const caps = new Set<CapabilityName>();
  const external: CodeReach['external'] = [];
  const fnByName = new Map<string, { start: number; end: number }[]>();
  for (const f of facts.functions) if (f.name) (fnByName.get(f.name) ?? fnByName.set(f.name, []).get(f.name)!).push(f);
  const seen = new Set<string>();
  let frontier = ranges;
  for (let depth = 0; depth < 5 && frontier.length > 0; depth++) {
    const next: { start: number; end: number }[] = [];
    for (const call of facts.calls) {
      if (!frontier.some((r) => call.start >= r.start && call.end <= r.end)) continue;
      for (const c of callCapabilities(call.callee, facts.language === 'python' ? () => openModes(call) : undefined)) caps.add(c);
      const rel = RELATIVE_CALLEE.exec(call.callee);
      if (rel) {
        if (!external.some((e) => e.module === rel[1] && e.name === rel[2])) external.push({ module: rel[1]!, name: rel[2]! });
        continue;
      }
      const local = call.callee.slice(call.callee.lastIndexOf('.') + 1);
      if (!seen.has(local) && fnByName.has(local)) {
        seen.add(local);
        next.push(...fnByName.get(local)!);
      }
    }
    frontier = next;
  }
  return { caps, external };
}

/**
 * Per file: reach of each named function (its calls, those of nested callbacks, and of local
 * functions it calls by name), in O(calls × nesting depth) so that bundles stay fast.
 */
function functionReach(facts: FileFacts): Map<string, CodeReach> {
  const fns = facts.functions;
  const parent = new Array<number>(fns.length).fill(-1);
  const stack: number[] = [];
  for (let i = 0; i < fns.length; i++) {
    while (stack.length > 0 && fns[stack[stack.length - 1]!]!.end <= fns[i]!.start) stack.pop();
    parent[i] = stack.length > 0 ? stack[stack.length - 1]! : -1;
    stack.push(i);
  }
  const direct = new Map<string, { caps: Set<CapabilityName>; locals: Set<string>; external: CodeReach['external'] }>();
  const entry = (name: string) => {
    let e = direct.get(name);
    if (!e) direct.set(name, (e = { caps: new Set(), locals: new Set(), external: [] }));
    return e;
  };
  for (const f of fns) if (f.name) entry(f.name);
  for (const call of facts.calls) {
    if (call.fn < 0) continue;
    const caps = callCapabilities(call.callee);
    const rel = RELATIVE_CALLEE.exec(call.callee);
    const local = rel ? undefined : call.callee.slice(call.callee.lastIndexOf('.') + 1);
    if (caps.length === 0 && !rel && !(local && direct.has(local))) continue;
    for (let i = call.fn, hops = 0; i >= 0 && hops < 32; i = parent[i]!, hops++) {
      const name = fns[i]!.name;
      if (!name) continue;
      const e = entry(name);
      for (const c of caps) e.caps.add(c);
      if (rel && e.external.length < 50 && !e.external.some((x) => x.module === rel[1] && x.name === rel[2])) e.external.push({ module: rel[1]!, name: rel[2]! });
      if (local && local !== name && direct.has(local)) e.locals.add(local);
    }
  }
  const out = new Map<string, CodeReach>();
  for (const [name, e] of direct) out.set(name, { caps: new Set(e.caps), external: [...e.external] });
  for (let round = 0; round < 4; round++) {
    for (const [name, e] of direct) {
      const r = out.get(name)!;
      for (const l of e.locals) {
        const o = out.get(l)!;
        for (const c of o.caps) r.caps.add(c);
        for (const x of o.external) if (r.external.length < 50 && !r.external.some((y) => y.module === x.module && y.name === x.name)) r.external.push(x);
      }
    }
  }
  return out;
}

function resolveRelative(from: string, module: string): string[] {
  const parts = from.split('/').slice(0, -1);
  for (const seg of module.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.') parts.push(seg);
  }
  const base = parts.join('/');
  const stem = base.replace(/\.(m|c)?js$/, '');
  return [base, `${stem}.js`, `${stem}.ts`, `${stem}.mjs`, `${stem}.mts`, `${base}/index.js`, `${base}/index.ts`];
}

/** Tool handler capabilities, following relative imports up to a few files deep. */
function resolveToolCapabilities(st: RunState): void {
  for (const t of st.pendingTools) {
    const caps = new Set(t.reach.caps);
    const queue = t.reach.external.map((e) => ({ ...e, from: t.tool.file }));
    const seen = new Set<string>();
    for (let i = 0; i < queue.length && i < 200; i++) {
      const e = queue[i]!;
      for (const cand of resolveRelative(e.from, e.module)) {
        const fns = st.fileFunctions.get(cand);
        if (!fns) continue;
        const key = `${cand}#${e.name}`;
        const r = fns.get(e.name);
        if (r && !seen.has(key)) {
          seen.add(key);
          for (const c of r.caps) caps.add(c);
          for (const x of r.external) queue.push({ ...x, from: cand });
        }
        break;
      }
    }
    t.tool.handlerCapabilities = [...caps].sort();
  }
}

async function scanFile(st: RunState, file: SourceFile): Promise<void> {
  const lines = new LineIndex(file.text);
  const lang = languageOf(file.path);
  const facts = lang === 'js' || lang === 'python' ? await analysableFacts(st, file.path, file.text, lines, lang) : undefined;
  if (facts?.incomplete) reportUnanalysed(st, file.path, lines, 0, facts.incomplete, false);
  if (facts?.parseError) st.parseErrors.push({ file: file.path, message: facts.parseError.slice(0, 200) });
  try {
    await runFileRules(st, file, lines, lang, facts);
  } finally {
    facts?.dispose?.();
  }
}

/**
 * A file's facts, unless the file cannot be analysed safely: brackets nested beyond
 * NESTING_LIMIT (never handed to the parser, see nesting.ts), expressions deep enough to exhaust
 * the walk's stack (RangeError), or a file that crashed the parser in an earlier attempt
 * (ScanOptions.unanalysed). Such a file is scanned as text only and reported as unanalysed-code.
 */
async function analysableFacts(st: RunState, path: string, text: string, lines: LineIndex, lang: 'js' | 'python'): Promise<FileFacts | undefined> {
  if (st.unanalysedFiles.has(path)) return undefined;
  if (st.crashedBefore.has(path)) return reportUnanalysed(st, path, lines, 0, 'it crashed the parser in an earlier attempt');
  const deep = nestingBeyond(text);
  if (deep >= 0) return reportUnanalysed(st, path, lines, deep, `brackets nested more than ${NESTING_LIMIT} deep`);
  const parser = lang === 'python' ? await pythonParser() : undefined;
  st.onParse?.(path);
  try {
    return parser ? extractPythonFacts(parser, text, lines) : extractJsFacts(path, text, lines);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return reportUnanalysed(st, path, lines, 0, 'expressions nested too deeply for the analyser');
  } finally {
    st.onParse?.(undefined);
  }
}

const EMPTY_LINES = new LineIndex('');
const isCode = (path: string): boolean => {
  const lang = languageOf(path);
  return lang === 'js' || lang === 'python';
};

/**
 * Reports a file whose code was not analysed. The finding is added by the scanner itself: it
 * cannot be disabled or suppressed inline, because a file nobody analysed must never look clean.
 */
function reportUnanalysed(st: RunState, path: string, lines: LineIndex, offset: number, reason: string, textOnly = true, severity?: Severity): undefined {
  if (st.unanalysedFiles.has(path)) return undefined;
  st.unanalysedFiles.add(path);
  st.parseErrors.push({ file: path, message: textOnly ? `not analysed: ${reason} (scanned as text only)` : `not fully analysed: ${reason}` });
  const rule = loadRules().find((r) => r.id === UNANALYSED_RULE);
  if (!rule) return undefined;
  addFinding(st, lines, path, { ...ruleFinding(rule, { start: offset, ...lines.position(offset), detail: reason }), ...(severity ? { severity } : {}) }, false);
  return undefined;
}

async function runFileRules(st: RunState, file: SourceFile, lines: LineIndex, lang: ReturnType<typeof languageOf>, facts: FileFacts | undefined): Promise<void> {
  const ctx: FileContext = makeFileContext(file, lines, facts);

  for (const rule of st.byLang[lang]) {
    for (const m of rule.matchers) {
      if (m.kind === 'dependency-lookalike') {
        for (const hit of dependencyLookalikes(ctx)) addFinding(st, lines, file.path, ruleFinding(rule, hit));
        continue;
      }
      if (m.kind === 'secretlint') {
        for (const hit of await findSecrets(ctx)) addFinding(st, lines, file.path, ruleFinding(rule, hit));
        continue;
      }
      const hits = runFileMatcher(m, ctx);
      for (const hit of hits) addFinding(st, lines, file.path, ruleFinding(rule, hit));
      if (hits.length > 0) break;
    }
  }

  if (facts) {
    fileCapabilities(st.caps, file.path, facts);
    addFileTools(st, file.path, lines, facts);
    if (facts.registersTools || facts.imports.some((i) => MCP_MODULE.test(i.module))) st.usesMcp = true;
    for (const t of facts.toolDefinitions ?? []) {
      if (st.definitionTools.length >= MAX_DEFINITION_TOOLS) break;
      st.definitionTools.push({ tool: toExtractedTool(t, file.path), reach: reachOf(facts, t.handler ? [t.handler] : []), lines });
    }
    if (facts.functions.length > 0 && facts.language === 'js') st.fileFunctions.set(file.path, functionReach(facts));
    if (facts.importedToolRefs) st.crossFileCandidates.push(file.path);
  }
  if (lang === 'package-json') {
    try {
      const pkg = JSON.parse(file.text) as { scripts?: Record<string, unknown>; gypfile?: boolean };
      for (const s of ['preinstall', 'install', 'postinstall']) {
        if (typeof pkg?.scripts?.[s] === 'string') addCapability(st.caps, 'installScripts', `${file.path} ${s}: ${String(pkg.scripts[s]).slice(0, 80)}`);
      }
      if (pkg?.gypfile) addCapability(st.caps, 'nativeCode', `${file.path} gypfile`);
    } catch {
      /* not JSON: nothing to summarise */
    }
  }
  if (lang === 'python' && /(^|\/)setup\.py$/.test(file.path) && facts?.calls.some((c) => /(^|\.)setup$/.test(c.callee) && c.kwargs.cmdclass)) {
    addCapability(st.caps, 'installScripts', `${file.path} setup(cmdclass=…)`);
  }
}

/** Adds a file's extracted tools to the report (`known`: tools of this file already added, by via and name). */
function addFileTools(st: RunState, path: string, lines: LineIndex, facts: FileFacts, known?: Set<string>): void {
  const before = st.tools.length;
  for (const t of facts.tools) {
    if (known?.has(`${t.via}\0${t.name}`)) continue;
    const ranges = t.handler ? [t.handler] : facts.cases.filter((c) => c.value === t.name);
    st.tools.push(toExtractedTool(t, path));
    st.pendingTools.push({ tool: st.tools[st.tools.length - 1]!, reach: reachOf(facts, ranges) });
  }
  if (st.tools.length > before) st.lineIndexes.set(path, lines);
}

function toExtractedTool(t: RawTool, path: string): ExtractedTool {
  return {
    name: t.name,
    ...(t.description !== undefined ? { description: t.description } : {}),
    ...(t.inputSchema !== undefined ? { inputSchema: t.inputSchema } : {}),
    ...(t.annotations ? { annotations: t.annotations } : {}),
    file: path,
    line: t.loc.line,
    via: t.via,
    handlerCapabilities: [],
  };
}

/**
 * Tool-shaped definitions (FileFacts.toolDefinitions) become tools when the package uses MCP and no
 * registration already named them: the lists a handler builds in locals, returns from a function
 * or keeps in a registry are read even when the registration itself cannot be (a poisoned
 * description is not hidden by indirection). The first definition of a name wins.
 */
function addDefinitionTools(st: RunState): void {
  if (!st.usesMcp) return;
  const names = new Set(st.tools.map((t) => t.name));
  for (const d of st.definitionTools) {
    if (names.has(d.tool.name)) continue;
    names.add(d.tool.name);
    st.tools.push(d.tool);
    st.pendingTools.push({ tool: d.tool, reach: d.reach });
    if (!st.lineIndexes.has(d.tool.file)) st.lineIndexes.set(d.tool.file, d.lines);
  }
}

/**
 * Tools whose definitions live in another file of the scan: a ListTools handler returning an
 * imported array, a registration loop over one, a registration naming an imported constant or
 * definition object. Each such file is read again with the exported static values of the files it
 * imports (following their imports and `export *`), loading files as they are asked for, within
 * CROSS_FILE bounds. Only tools the first reading did not find are added.
 */
async function resolveCrossFileTools(st: RunState, files: TargetFile[]): Promise<void> {
  if (st.crossFileCandidates.length === 0) return;
  const byPath = new Map(files.map((f) => [f.path, f]));
  const texts = new Map<string, string>();
  const load = async (path: string): Promise<boolean> => {
    if (texts.has(path)) return true;
    const f = byPath.get(path);
    // Every file was read once before this pass: those it refused (too deep, crashed the parser,
    // binary) are in unanalysedFiles and stay unparsed.
    if (!f?.read || f.size > CROSS_FILE.bytes || texts.size >= CROSS_FILE.files || languageOf(path) !== 'js' || st.unanalysedFiles.has(path)) return false;
    texts.set(path, (await f.read()).toString('utf8'));
    return true;
  };
  for (const path of st.crossFileCandidates.slice(0, CROSS_FILE.candidates)) {
    if (!(await load(path))) continue;
    let facts: FileFacts | undefined;
    for (let round = 0; ; round++) {
      const missing = new Set<string>();
      // Each file's exports are extracted once per round; `null` marks one in progress, and an
      // export being evaluated is not entered again (import cycles end as "unknown").
      const exportsOf = new Map<string, FileFacts | null>();
      const evaluating = new Set<string>();
      let budget = CROSS_FILE.lookups;
      const valueFrom =
        (from: string, depth: number) =>
        (module: string, name: string): unknown => {
          if (depth > CROSS_FILE.depth || budget-- <= 0) return undefined;
          const target = resolveRelative(from, module).find((c) => byPath.has(c));
          if (target === undefined) return undefined;
          if (!texts.has(target)) {
            missing.add(target);
            return undefined;
          }
          if (!exportsOf.has(target)) {
            exportsOf.set(target, null);
            st.onParse?.(target);
            try {
              exportsOf.set(target, extractJsFacts(target, texts.get(target)!, undefined, { importedValue: valueFrom(target, depth + 1) }));
            } catch (e) {
              if (!(e instanceof RangeError)) throw e;
              return undefined; // too deep to evaluate: the value stays unknown
            } finally {
              st.onParse?.(from);
            }
          }
          const key = `${target}\0${name}`;
          if (evaluating.has(key)) return undefined;
          evaluating.add(key);
          try {
            return exportsOf.get(target)?.exportValue?.(name);
          } finally {
            evaluating.delete(key);
          }
        };
      st.onParse?.(path);
      try {
        facts = extractJsFacts(path, texts.get(path)!, undefined, { importedValue: valueFrom(path, 0) });
      } catch (e) {
        if (!(e instanceof RangeError)) throw e;
        facts = undefined; // the first reading's tools stand
        break;
      } finally {
        st.onParse?.(undefined);
      }
      // The last reading comes after the last load: a file loaded and not read again is wasted.
      if (round > CROSS_FILE.depth) break;
      let loaded = false;
      for (const m of missing) if (await load(m)) loaded = true;
      if (!loaded) break;
    }
    if (!facts) continue;
    const known = new Set(st.tools.filter((t) => t.file === path).map((t) => `${t.via}\0${t.name}`));
    addFileTools(st, path, st.lineIndexes.get(path) ?? new LineIndex(texts.get(path)!), facts, known);
  }
}

function projectRules(st: RunState, disabled: Set<string>): void {
  const active = new Set(st.rules.filter((r) => r.languages.includes('project')).flatMap((r) => r.matchers.map((m) => m.kind)));
  const ruleOf = (kind: string) => st.rules.find((r) => r.matchers.some((m) => m.kind === kind));
  const linesOf = (file: string) => st.lineIndexes.get(file) ?? new LineIndex('');
  if (active.has('tool-poisoning')) {
    const owner = ruleOf('tool-poisoning')!;
    for (const tool of st.tools) {
      const def = { name: tool.name, ...(tool.description !== undefined ? { description: tool.description } : {}), ...(tool.inputSchema !== undefined ? { inputSchema: tool.inputSchema } : {}), ...(tool.annotations ? { annotations: tool.annotations } : {}) };
      for (const pf of checkTool(def) ?? []) {
        if (disabled.has(pf.ruleId)) continue;
        addFinding(st, linesOf(tool.file), tool.file, {
          ruleId: pf.ruleId,
          severity: pf.severity,
          confidence: pf.confidence,
          category: owner.category,
          line: tool.line,
          column: 1,
          message: `${pf.message} [${pf.field}: ${pf.evidence}]`,
          fixHint: pf.fixHint,
        });
      }
    }
  }
  if (active.has('tool-mismatch')) {
    const rule = ruleOf('tool-mismatch')!;
    const m = rule.matchers.find((x) => x.kind === 'tool-mismatch') as { capabilities?: string[] };
    const watched = new Set(m.capabilities ?? ['spawnsProcesses', 'fsWrites', 'dynamicCode']);
    for (const t of st.tools) {
      const bad = t.handlerCapabilities.filter((c) => watched.has(c));
      if (bad.length === 0 || !toolClaimsReadOnly(t)) continue;
      addFinding(st, linesOf(t.file), t.file, ruleFinding(rule, { start: 0, line: t.line, column: 1, detail: `tool "${t.name}" claims to be read-only; its handler ${bad.join(', ')}` }));
    }
  }
}

/**
 * Scans a folder, `.tgz`, `npm:<name>@<version>`, or files given in memory, and returns the report.
 * Nothing in the target is executed.
 */
export async function scan(target: string | InMemoryTarget, options: ScanOptions = {}): Promise<ScanReport> {
  const t0 = performance.now();
  let rules = loadRules({ ...(options.rulesDirs ? { extraDirs: options.rulesDirs } : {}), ...(options.disable ? { disable: options.disable } : {}) });
  if (options.only) {
    const only = new Set(options.only);
    rules = rules.filter((r) => only.has(r.id));
  }
  const poisonIds = new Set(poisonRuleInfo().map((r) => r.id));
  for (const id of options.disable ?? []) {
    if (id.startsWith('mcp-tool-') && !poisonIds.has(id)) throw new WardenError('WARDEN_E_SCAN_RULE_UNKNOWN', `Unknown poisoning check "${id}" in --disable.`, { where: '--disable' });
  }
  const baseline = typeof options.baseline === 'string' ? await readBaseline(options.baseline) : options.baseline;
  const forLang = (l: string) => rules.filter((r) => r.languages.includes(l as never) || r.languages.includes('any'));
  const st: RunState = {
    rules,
    byLang: { js: forLang('js'), python: forLang('python'), 'package-json': forLang('package-json'), text: forLang('text') },
    findings: [],
    suppressed: [],
    tools: [],
    caps: emptyCapabilities(),
    parseErrors: [],
    occurrences: new Map(),
    lineIndexes: new Map(),
    pendingTools: [],
    definitionTools: [],
    usesMcp: false,
    crashedBefore: new Set(options.unanalysed ?? []),
    unanalysedFiles: new Set(),
    onParse: options.onParse,
    fileFunctions: new Map(),
    crossFileCandidates: [],
  };

  let label: string;
  let files: TargetFile[];
  let cleanup = async () => {};
  if (typeof target === 'string') {
    const r = await resolveTarget(target, { ...(options.deps ? { deps: true } : {}), ...(options.npmCommand ? { npmCommand: options.npmCommand } : {}) });
    label = r.label;
    files = r.files;
    cleanup = r.cleanup;
  } else {
    if (!Array.isArray(target.files) || target.files.length > MAX_INMEMORY_FILES) throw new WardenError('WARDEN_E_INPUT_TOO_LARGE', `Give at most ${MAX_INMEMORY_FILES} files to scan in memory.`);
    label = target.label ?? '<memory>';
    files = target.files.map((f) => {
      const buf = Buffer.from(f.text, 'utf8');
      return { path: f.path.replace(/\\/g, '/').replace(/^\/+/, ''), size: buf.length, read: async () => buf };
    });
  }

  let scanned = 0;
  let skipped = 0;
  let bytes = 0;
  try {
    for (let i = 0; i < files.length; i++) {
      const f = files[i]!;
      if (nativeFile(f.path)) addCapability(st.caps, 'nativeCode', `${f.path}`);
      if (!f.read) {
        skipped++;
        // Code the scanner does not read is reported: a reviewer must know it was not analysed.
        if (isCode(f.path)) reportUnanalysed(st, f.path, EMPTY_LINES, 0, `larger than ${TARGET_LIMITS.maxFileBytes / 1024 / 1024} MB`, true, 'medium');
        continue;
      }
      const buf = await f.read();
      if (looksBinary(buf)) {
        skipped++;
        // Node runs a .js file with a NUL byte in a comment; a scanner that skips it as binary is blind.
        if (isCode(f.path)) reportUnanalysed(st, f.path, EMPTY_LINES, 0, 'a NUL byte made it look binary', true, 'high');
        continue;
      }
      bytes += buf.length;
      scanned++;
      await scanFile(st, { path: f.path, text: buf.toString('utf8'), bytes: buf.length });
      if (options.onProgress && (i % 250 === 0 || i === files.length - 1)) options.onProgress({ filesDone: i + 1, filesTotal: files.length, bytesDone: bytes, current: f.path });
    }
    await resolveCrossFileTools(st, files);
    addDefinitionTools(st);
  } finally {
    await cleanup();
  }

  resolveToolCapabilities(st);
  projectRules(st, new Set(options.disable ?? []));

  let baselined = 0;
  let findings = st.findings;
  if (baseline) {
    findings = findings.filter((f) => !baseline.has(f.fingerprint));
    baselined = st.findings.length - findings.length;
  }
  findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)));
  const summary = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) summary[f.severity]++;
  const { score, rating } = riskScore(findings, st.caps);
  const rulesRun = rules.filter((r) => !r.matchers.some((m) => m.kind === 'tool-poisoning')).map((r) => ({ id: r.id, description: r.description, severity: r.severity, fixHint: r.fixHint }));
  if (rules.some((r) => r.matchers.some((m) => m.kind === 'tool-poisoning'))) rulesRun.push(...poisonRuleInfo().filter((r) => !(options.disable ?? []).includes(r.id)));
  rulesRun.sort((a, b) => (a.id < b.id ? -1 : 1));
  return {
    schemaVersion: 1,
    target: label,
    tool: { name: 'warden', version: WARDEN_VERSION },
    files: { scanned, skipped, bytes, parseErrors: st.parseErrors },
    durationMs: Math.round(performance.now() - t0),
    findings,
    suppressed: st.suppressed,
    baselined,
    tools: st.tools,
    capabilities: st.caps,
    score,
    rating,
    summary,
    rulesRun,
  };
}
